"""Similarity: the same workload counts most, then domain, architecture and regime, then
dataset and batch size on log scales; below the threshold a past job is not used."""

from __future__ import annotations

import pytest

from advisor import NormalisedTask
from advisor.task import Architecture, Domain, Regime
from service.evidence.similarity import THRESHOLD, similarity


def task(**fields: object) -> NormalisedTask:
    values: dict[str, object] = {
        "domain": Domain.TABULAR,
        "architecture": Architecture.MLP,
        "regime": Regime.FROM_SCRATCH,
        "dataset_size": 1000,
        "batch_size": 32,
    }
    values.update(fields)
    return NormalisedTask.model_validate(values)


def test_the_same_task_on_the_same_workload_is_fully_alike() -> None:
    match = similarity(task(), "tabular-mlp", task(), "tabular-mlp")
    assert match.score == pytest.approx(1.0)
    assert match.same_workload and match.dataset_ratio == 1.0


def test_the_workload_counts_most() -> None:
    same_workload = similarity(task(), "tabular-mlp", task(architecture="cnn"), "tabular-mlp")
    other_workload = similarity(task(), "tabular-mlp", task(), "digits-cnn")
    assert same_workload.score > other_workload.score


def test_sizes_count_on_a_log_scale() -> None:
    scores = [
        similarity(task(), "w", task(dataset_size=1000 * factor), "w").score
        for factor in (1, 2, 10, 100, 1000)
    ]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] - scores[1] == pytest.approx(0.15 * 0.15, abs=1e-3)  # 2x: log10 2 / 2
    assert scores[3] == scores[4]  # 100x apart and beyond: no agreement left


def test_a_different_kind_of_task_is_below_the_threshold() -> None:
    vision = task(domain="vision", architecture="cnn", dataset_size=50_000, batch_size=256)
    assert similarity(task(), "tabular-mlp", vision, "digits-cnn").score < THRESHOLD
    # Even on the same workload, a task that differs in every other way is not used.
    assert similarity(task(), "tabular-mlp", vision, "tabular-mlp").score < THRESHOLD


def test_a_related_task_on_the_same_workload_passes_and_says_how_it_differs() -> None:
    match = similarity(task(dataset_size=1200), "tabular-mlp", task(), "tabular-mlp")
    assert match.score >= THRESHOLD
    assert match.describe().startswith("same workload, dataset 1.2x larger")
