"""Per-family defaults for a workload: the advisor's candidate when it has one, built-in
defaults when it has none, overrides validated afresh."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor import Advice, TaskDescription, advise
from advisor.config import ScheduleSpec, TrainConfig
from advisor.families import OptimizerName
from workers.defaults import FamilyDefaults
from workers.optim import BUILTIN_DEFAULTS
from workers.workloads.tabular_mlp import TabularMlp

SPEC = TabularMlp.spec


def _advice_offering(*families: OptimizerName) -> Advice:
    advice = advise(TaskDescription(domain=SPEC.domain, architecture=SPEC.architecture))
    kept = tuple(c for c in advice.candidates if c.optimizer in families)
    return advice.model_copy(update={"candidates": kept})


def test_the_advisors_candidate_gives_the_defaults() -> None:
    advice = _advice_offering(OptimizerName.ADAM)
    candidate = advice.candidate(OptimizerName.ADAM)
    assert candidate is not None

    assert FamilyDefaults(SPEC, advice).config(OptimizerName.ADAM) == (
        candidate.defaults,
        "advisor",
    )


def test_a_family_the_advisor_does_not_offer_gets_built_in_defaults() -> None:
    defaults = FamilyDefaults(SPEC, _advice_offering(OptimizerName.ADAM))

    assert defaults.config(OptimizerName.NESTEROV) == (
        BUILTIN_DEFAULTS[OptimizerName.NESTEROV],
        "built-in",
    )


def test_without_an_answer_from_the_advisor_every_family_is_built_in() -> None:
    defaults = FamilyDefaults(SPEC, None)

    assert all(defaults.config(f)[1] == "built-in" for f in OptimizerName)


def test_asking_the_advisor_describes_the_workloads_task() -> None:
    defaults = FamilyDefaults.ask(SPEC)

    assert defaults.advice is not None
    assert defaults.advice.task.domain is SPEC.domain
    assert defaults.advice.task.architecture is SPEC.architecture


def test_overrides_replace_values_and_keep_the_rest() -> None:
    defaults = FamilyDefaults(SPEC, None)
    config, origin = defaults.with_overrides(OptimizerName.MOMENTUM, {"lr": 0.3})

    assert origin == "built-in"
    assert (config.lr, config.momentum) == (0.3, BUILTIN_DEFAULTS[OptimizerName.MOMENTUM].momentum)


def test_an_override_the_family_does_not_take_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not take momentum"):
        FamilyDefaults(SPEC, None).with_overrides(OptimizerName.ADAM, {"momentum": 0.9})


def _adamw_defaulting_to(config: TrainConfig) -> FamilyDefaults:
    advice = _advice_offering(OptimizerName.ADAMW)
    candidate = advice.candidates[0].model_copy(update={"defaults": config})
    return FamilyDefaults(SPEC, advice.model_copy(update={"candidates": (candidate,)}))


def test_a_partial_schedule_adjusts_the_default_one() -> None:
    schedule = ScheduleSpec(name="warmup_cosine", warmup_fraction=0.05, min_lr_fraction=0.1)
    defaults = _adamw_defaulting_to(TrainConfig(optimizer="adamw", lr=1e-3, schedule=schedule))

    config, _ = defaults.with_overrides(OptimizerName.ADAMW, {"schedule": {"warmup_fraction": 0.2}})

    assert config.schedule == schedule.model_copy(update={"warmup_fraction": 0.2})


def test_naming_another_schedule_starts_it_afresh() -> None:
    schedule = ScheduleSpec(name="warmup_cosine", warmup_fraction=0.05)
    defaults = _adamw_defaulting_to(TrainConfig(optimizer="adamw", lr=1e-3, schedule=schedule))

    # The default warmup would be refused by a cosine schedule; it is not carried over.
    config, _ = defaults.with_overrides(OptimizerName.ADAMW, {"schedule": {"name": "cosine"}})

    assert config.schedule == ScheduleSpec(name="cosine")
