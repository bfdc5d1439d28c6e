"""Adam's beta2: when to lower it from 0.999, and why (stability, not run length)."""

from __future__ import annotations

from advisor.families import ParamName
from advisor.rules.base import Condition, Effect, ParamSetting, Rule, Topic, at_least, at_most
from advisor.rules.kinds import WITH_BETAS
from advisor.rules.sources import GPT3, HYPERPARAMS_003, PARAMS_002, ROBERTA, TRANSFORMER, seed
from advisor.task import Symptom

P = ParamName
LARGE = 1e8
LOSS_SPIKES = Condition(symptoms=frozenset({Symptom.LOSS_SPIKES}))
LONG_STEPS = 100_000
LONG_EPOCHS = 300
_NOT_KNOWN_LARGE = (
    Condition(model_params=at_most(LARGE - 1)),
    Condition(unknown=frozenset({"model_params"})),
)

LOWER_BETA2 = Rule(
    id="betas.lower_beta2",
    topic=Topic.BETAS,
    summary=(
        "Lower beta2 to 0.98 (or 0.95) for very long training, fast-changing gradients or large "
        "models, so the second moment follows recent gradients."
    ),
    condition=Condition(
        any_of=(
            Condition(model_params=at_least(LARGE)),
            LOSS_SPIKES,
            Condition(steps=at_least(LONG_STEPS)),
            Condition(epochs=at_least(LONG_EPOCHS)),
        )
    ),
    effect=Effect(
        params=(
            ParamSetting(families=WITH_BETAS, param=P.BETA2, default=0.98, low=0.95, high=0.995),
        )
    ),
    sources=(
        seed("002", *PARAMS_002, quote="可尝试减小"),
        seed("003", *HYPERPARAMS_003, quote="大模型中常适当降低"),
    ),
)

STABILITY_NOT_RUN_LENGTH = Rule(
    id="betas.stability_not_run_length",
    topic=Topic.BETAS,
    summary=(
        "Lower beta2 buys stability with large batches and large models (loss spikes); a long "
        "run alone does not need it, so a long run of a model not known to be large keeps "
        "beta2 0.999. Refines betas.lower_beta2."
    ),
    condition=Condition(
        any_of=(
            Condition(steps=at_least(LONG_STEPS), any_of=_NOT_KNOWN_LARGE),
            Condition(epochs=at_least(LONG_EPOCHS), any_of=_NOT_KNOWN_LARGE),
        )
    ),
    effect=Effect(
        params=(
            ParamSetting(families=WITH_BETAS, param=P.BETA2, default=0.999, low=0.95, high=0.9999),
        )
    ),
    sources=(GPT3, ROBERTA),
    refines=("betas.lower_beta2",),
)

STABILITY_BETA2 = Rule(
    id="betas.stability_beta2",
    topic=Topic.BETAS,
    summary=(
        "For stability, GPT-style pre-training of billion-parameter models uses beta2 0.95 "
        "(RoBERTa and the original Transformer 0.98); loss spikes call for the same. Refines "
        "betas.lower_beta2."
    ),
    condition=Condition(any_of=(Condition(model_params=at_least(1e9)), LOSS_SPIKES)),
    effect=Effect(
        params=(ParamSetting(families=WITH_BETAS, param=P.BETA2, default=0.95, low=0.9, high=0.99),)
    ),
    sources=(GPT3, ROBERTA, TRANSFORMER),
    refines=("betas.lower_beta2",),
)

RULES: tuple[Rule, ...] = (LOWER_BETA2, STABILITY_NOT_RUN_LENGTH, STABILITY_BETA2)
