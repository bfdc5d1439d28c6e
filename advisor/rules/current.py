"""What the person trains with now: the starting point the advice moves from."""

from __future__ import annotations

from advisor.rules.base import Adjustment, Condition, Effect, Rule, Topic
from advisor.rules.sources import DECISION_TREE_000, seed

START_FROM_CURRENT = Rule(
    id="current.start_from_current",
    topic=Topic.CURRENT,
    summary=(
        "Your current optimizer and values are the starting point: its defaults take your "
        "values, and the advice moves away from it only for a reason (a symptom, the task)."
    ),
    condition=Condition(known=frozenset({"current"})),
    effect=Effect(adjustments=(Adjustment.START_FROM_CURRENT,)),
    sources=(seed("000", *DECISION_TREE_000, quote="效果不好?"),),
)

RULES: tuple[Rule, ...] = (START_FROM_CURRENT,)
