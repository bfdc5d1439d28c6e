"""The rule models: conditions hold on what is known, settings refuse what no family takes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor import NormalisedTask, ParamName
from advisor.config import ScheduleName
from advisor.rules import Between, Condition, Effect, ParamSetting, Rule, Topic
from advisor.rules.base import at_least, at_most, schedule_kind
from advisor.rules.kinds import ADAM_FAMILY, O, of
from advisor.rules.sources import PLAYBOOK, seed
from advisor.task import Domain, Symptom


def task(**fields: object) -> NormalisedTask:
    return NormalisedTask.model_validate({"domain": "vision"} | fields)


def test_an_empty_condition_always_holds() -> None:
    assert Condition().holds(task())


def test_a_constraint_on_an_unknown_field_does_not_hold() -> None:
    condition = Condition(model_params=at_least(1e9))
    assert not condition.holds(task())
    assert condition.holds(task(model_params=2_000_000_000))
    assert not condition.holds(task(model_params=10))


def test_bounds_are_inclusive() -> None:
    between = Between(low=10, high=20)
    assert between.holds(10) and between.holds(20) and not between.holds(21)
    assert at_most(5).holds(5) and not at_most(5).holds(6)


def test_constraints_are_anded_and_any_of_needs_one() -> None:
    condition = Condition(
        domains=frozenset({Domain.VISION}),
        any_of=(
            Condition(symptoms=frozenset({Symptom.OVERFITTING})),
            Condition(batch_size=at_least(1024)),
        ),
    )
    assert not condition.holds(task())
    assert condition.holds(task(symptoms=["overfitting", "oscillation"]))
    assert condition.holds(task(batch_size=2048))
    assert not condition.holds(task(domain="nlp", batch_size=2048))


def test_known_and_unknown_name_task_fields() -> None:
    assert Condition(known=frozenset({"epochs"})).holds(task(epochs=3))
    assert Condition(unknown=frozenset({"epochs"})).holds(task())
    with pytest.raises(ValidationError, match="unknown task fields"):
        Condition(known=frozenset({"epoch"}))


def test_the_current_schedule_is_read_from_its_usual_names() -> None:
    condition = Condition(current_schedules=frozenset({ScheduleName.STEP}))
    assert condition.holds(task(current={"schedule": "StepLR"}))
    assert not condition.holds(task(current={"schedule": "cosine"}))
    assert not condition.holds(task())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("StepLR", ScheduleName.STEP),
        ("MultiStepLR", ScheduleName.STEP),
        ("CosineAnnealingLR", ScheduleName.COSINE),
        ("warmup_cosine", ScheduleName.WARMUP_COSINE),
        ("Exponential", ScheduleName.EXPONENTIAL),
        ("none", ScheduleName.CONSTANT),
        ("my own thing", None),
        (None, None),
    ],
)
def test_schedule_kind(text: str | None, kind: ScheduleName | None) -> None:
    assert schedule_kind(text) is kind


def test_a_setting_refuses_a_parameter_a_family_does_not_take() -> None:
    with pytest.raises(ValidationError, match="sgd do not take momentum"):
        ParamSetting(families=of(O.SGD), param=ParamName.MOMENTUM, default=0.9)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"low": 1e-3, "high": 1e-4}, "low < high"),
        ({"low": 0.0, "high": 1e-3}, "log scale"),
        ({"default": 1.0, "low": 1e-4, "high": 1e-3}, "outside"),
        ({"low": 1e-4}, "both low and high"),
        ({}, "a default, a range, or both"),
    ],
)
def test_a_setting_must_be_coherent(fields: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ParamSetting(families=ADAM_FAMILY, param=ParamName.LR, **fields)


def test_an_effect_touches_the_families_it_names() -> None:
    effect = Effect(
        scores={O.SGD: 1.0},
        params=(ParamSetting(families=of(O.ADAM), param=ParamName.LR, default=1e-3),),
    )
    assert effect.families() == of(O.SGD, O.ADAM)


def test_a_rule_id_names_its_topic() -> None:
    with pytest.raises(ValidationError, match=r"'vision\.<name>'"):
        Rule(
            id="nlp.x",
            topic=Topic.VISION,
            summary="ten chars at least",
            effect=Effect(),
            sources=(PLAYBOOK,),
        )


def test_a_refinement_cites_public_evidence_not_the_seeds() -> None:
    with pytest.raises(ValidationError, match="not the seeds"):
        Rule(
            id="vision.x",
            topic=Topic.VISION,
            summary="ten chars at least",
            effect=Effect(),
            sources=(seed("000", "总结"),),
            refines=("vision.cnn_sgd_momentum",),
        )


def test_a_rule_needs_a_source() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        Rule(
            id="vision.x",
            topic=Topic.VISION,
            summary="ten chars at least",
            effect=Effect(),
            sources=(),
        )
