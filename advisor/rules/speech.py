"""Speech."""

from __future__ import annotations

from advisor.rules.base import Condition, Effect, Rule, Topic
from advisor.rules.kinds import O
from advisor.rules.sources import OPENING_004, seed
from advisor.task import Domain

SYNTHESIS_ADAM = Rule(
    id="speech.synthesis_adam",
    topic=Topic.SPEECH,
    summary="Speech (synthesis in particular): Adam, as in most NLP, RL and GAN work.",
    condition=Condition(domains=frozenset({Domain.SPEECH})),
    effect=Effect(scores={O.ADAM: 1.2}),
    sources=(seed("004", *OPENING_004, quote="语音合成"),),
)

RULES: tuple[Rule, ...] = (SYNTHESIS_ADAM,)
