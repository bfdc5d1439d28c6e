"""The Advice's suggestions for a job: constraints and extra objectives in the shape of the
job contract's ``Constraint`` ({metric, max} or {metric, min}) and ``Objective``."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor import Advice
from advisor.advice import SuggestedConstraint, SuggestedObjective
from tests.advisor.helpers import advice


def test_a_constraint_has_exactly_one_bound() -> None:
    assert SuggestedConstraint(metric="train_seconds", max=60).model_dump(exclude_none=True) == {
        "metric": "train_seconds",
        "max": 60,
    }
    assert SuggestedConstraint(metric="peak_memory_mb", min=1).min == 1
    for bounds in ({}, {"max": 60, "min": 1}):
        with pytest.raises(ValidationError, match="exactly one of max or min"):
            SuggestedConstraint(metric="train_seconds", **bounds)
    with pytest.raises(ValidationError):
        SuggestedConstraint(metric="val_loss", max=1)


def test_an_objective_names_a_resource_metric_and_a_direction() -> None:
    assert SuggestedObjective(metric="train_seconds").model_dump() == {
        "metric": "train_seconds",
        "direction": "minimize",
    }
    with pytest.raises(ValidationError):
        SuggestedObjective(metric="train_seconds", direction="down")


def test_the_suggestions_survive_json_and_old_advice_without_them_still_validates() -> None:
    result = advice(domain="vision", memory_limit_gb=8, time_limit_s=60, time_tradeoff=True)
    again = Advice.model_validate_json(result.model_dump_json())
    assert again == result
    assert {c.metric for c in again.search.constraints} == {"peak_memory_mb", "train_seconds"}
    assert [o.metric for o in again.search.secondary_objectives] == ["train_seconds"]
    stored = result.model_dump(mode="json")
    del stored["search"]["constraints"], stored["search"]["secondary_objectives"]
    for field in ("memory_limit_gb", "time_limit_s", "time_tradeoff"):
        del stored["task"][field]
    old = Advice.model_validate(stored)
    assert old.search.constraints == () and old.search.secondary_objectives == ()


def test_every_suggestion_has_a_rationale_item_citing_an_address() -> None:
    result = advice(domain="vision", memory_limit_gb=8, time_limit_s=60, time_tradeoff=True)
    by_rule = {item.rule: item for item in result.search.rationale}
    for rule in (
        "resources.memory_limit_constraint",
        "resources.time_limit_constraint",
        "resources.time_tradeoff_objective",
    ):
        assert "https://" in by_rule[rule].source, rule
    assert "peak_memory_mb" in by_rule["resources.memory_limit_constraint"].text
    assert "train_seconds" in by_rule["resources.time_limit_constraint"].text
    assert "train_seconds" in by_rule["resources.time_tradeoff_objective"].text
