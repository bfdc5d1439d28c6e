"""Normalising a task: what the person gave wins, the text fills gaps, defaults say why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor import TaskDescription
from advisor.normalise import DEFAULT_BUDGET_TRIALS, Reader, normalise
from advisor.task import Architecture, Domain, Priority, Regime, Symptom
from advisor.text import TextReading, read_description


def reader_of(reading: TextReading) -> Reader:
    return lambda text: reading


def test_given_fields_win_over_the_text() -> None:
    reading = TextReading(domain=Domain.NLP, evidence={"domain": "BERT"})
    result = normalise(TaskDescription(description="x", domain="vision"), reader_of(reading))
    assert result.task.domain is Domain.VISION
    assert "domain" not in result.task.inferred


def test_the_text_fills_gaps_with_its_evidence() -> None:
    reading = TextReading(
        architecture=Architecture.LSTM,
        symptoms=(Symptom.OVERFITTING,),
        evidence={"architecture": "LSTM", "symptoms": "过拟合"},
    )
    result = normalise(TaskDescription(description="x", domain="nlp"), reader_of(reading))
    assert result.task.architecture is Architecture.LSTM
    assert result.task.symptoms == (Symptom.OVERFITTING,)
    assert result.task.inferred["symptoms"].origin == "text"
    assert result.task.inferred["symptoms"].evidence == "过拟合"
    assert not result.unrecognised


def test_defaults_fill_what_the_rules_need_and_say_why() -> None:
    result = normalise(TaskDescription(domain="recsys"), reader_of(TextReading()))
    task = result.task
    assert task.priority is Priority.BALANCED and task.regime is Regime.FROM_SCRATCH
    assert task.budget_trials == DEFAULT_BUDGET_TRIALS
    assert task.sparse_features is True
    assert all(
        task.inferred[f].origin == "default" for f in ("priority", "regime", "budget_trials")
    )
    assert "pretrained" in task.inferred["regime"].evidence


def test_given_values_are_not_marked_as_inferred() -> None:
    task = normalise(
        TaskDescription(domain="vision", priority="fast_convergence", budget_trials=7),
        reader_of(TextReading()),
    ).task
    assert task.priority is Priority.FAST_CONVERGENCE and task.budget_trials == 7
    assert "priority" not in task.inferred and "budget_trials" not in task.inferred


def test_a_text_value_the_contract_refuses_is_dropped_not_fatal() -> None:
    reading = TextReading(model_params=10**16, evidence={"model_params": "10 quadrillion"})
    task = normalise(TaskDescription(description="x", domain="nlp"), reader_of(reading)).task
    assert task.model_params is None and "model_params" not in task.inferred


def test_unrecognised_means_only_a_description_and_nothing_read() -> None:
    nothing = reader_of(TextReading())
    assert normalise(TaskDescription(description="x"), nothing).unrecognised
    assert normalise(TaskDescription(description="x", budget_trials=5), nothing).unrecognised
    assert not normalise(TaskDescription(description="x", domain="gan"), nothing).unrecognised
    assert not normalise(TaskDescription(domain="gan"), nothing).unrecognised


def test_a_budget_read_from_the_text_sets_the_number_of_trials() -> None:
    task = TaskDescription(description="ResNet-50, 试 40 次")
    advice_task = normalise(task, read_description).task
    assert advice_task.budget_trials == 40
    assert advice_task.inferred["budget_trials"].origin == "text"


def test_a_budget_alone_does_not_describe_a_task() -> None:
    assert normalise(TaskDescription(description="50 trials please"), read_description).unrecognised


def test_limits_read_from_the_text_are_marked_inferred_with_their_words() -> None:
    task = normalise(
        TaskDescription(description="ResNet-18, 我只有8G显存, 训练时间不能超过10分钟, 尽量快"),
        read_description,
    ).task
    assert (task.memory_limit_gb, task.time_limit_s, task.time_tradeoff) == (8.0, 600.0, True)
    assert task.inferred["memory_limit_gb"].origin == "text"
    assert task.inferred["memory_limit_gb"].evidence == "8G显存"
    assert task.inferred["time_limit_s"].evidence == "训练时间不能超过10分钟"
    assert task.inferred["time_tradeoff"].evidence == "尽量快"


def test_limits_given_as_json_win_over_the_text_and_are_not_inferred() -> None:
    given = TaskDescription.model_validate_json(
        '{"description": "an 8 GB GPU, each run under 30 s", "domain": "vision", '
        '"memory_limit_gb": 24, "time_limit_s": 120, "time_tradeoff": false}'
    )
    task = normalise(given, read_description).task
    assert (task.memory_limit_gb, task.time_limit_s, task.time_tradeoff) == (24.0, 120.0, False)
    assert not {"memory_limit_gb", "time_limit_s", "time_tradeoff"} & task.inferred.keys()


def test_limits_alone_do_not_describe_a_task() -> None:
    for text in ("I have an 8 GB GPU", "each run under 30 s", "尽量快"):
        assert normalise(TaskDescription(description=text), read_description).unrecognised


def test_a_limit_the_contract_refuses_names_the_field() -> None:
    for field, value in (("memory_limit_gb", 0), ("time_limit_s", -5), ("time_limit_s", 1e12)):
        with pytest.raises(ValidationError) as refused:
            TaskDescription(domain="vision", **{field: value})
        assert refused.value.errors()[0]["loc"] == (field,)
