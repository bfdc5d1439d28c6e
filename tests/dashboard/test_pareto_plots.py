"""The front and the multi-objective figures on hand-made trials: dominance with mixed
directions and ties, the front of three objectives against the line of two, infeasible
trials kept off the front and the best, and big jobs thinned with the front kept."""

from __future__ import annotations

import json
import random

import plotly.graph_objects as go

from advisor import OptimizerName
from service.dashboard.front import dominates, family_tradeoffs, pareto_front
from service.dashboard.objectives import Bound, ObjectiveAxis, ObjectivePoint, StudyLayout
from service.dashboard.plots.pareto import (
    SCATTER_CAP,
    config_text,
    objective_history,
    pareto_scatter,
)
from service.dashboard.plots.style import Figure, to_json
from service.dashboard.queries import TrialPoint
from tunewise.wire.models import TrialState

ACCURACY_AND_TIME = StudyLayout(
    objectives=(
        ObjectiveAxis("val_accuracy", "maximize"),
        ObjectiveAxis("train_seconds", "minimize"),
    ),
    constraints=(Bound("peak_memory_mb", max=800),),
)
THREE = StudyLayout(
    objectives=(
        ObjectiveAxis("val_loss", "minimize"),
        ObjectiveAxis("train_seconds", "minimize"),
        ObjectiveAxis("peak_memory_mb", "minimize"),
    )
)


def point(
    number: int,
    values: tuple[float, ...] | None,
    family: str = "adam",
    violation: float | None = None,
) -> ObjectivePoint:
    state = TrialState.COMPLETE if values is not None else TrialState.PRUNED
    trial = TrialPoint(number + 100, number, state, OptimizerName(family), None, {"lr": 1e-3})
    return ObjectivePoint(
        trial=trial,
        values=values,
        violations=() if violation is None else (violation,),
        reported={"peak_memory_mb": 800 + violation} if violation is not None else {},
        config={"optimizer": family, "lr": 1e-3},
    )


def accepted(fig: Figure) -> go.Figure:
    """Raises when a property is not in plotly's schema."""
    return go.Figure(json.loads(to_json(fig)))


def traces(fig: Figure) -> dict[str, dict[str, object]]:
    return {t["name"]: t for t in fig.data}


def test_dominance_respects_each_direction_and_ties_dominate_nothing() -> None:
    signs = [-1.0, 1.0]  # maximize accuracy, minimize seconds
    assert dominates((0.9, 10), (0.8, 10), signs)
    assert not dominates((0.9, 10), (0.8, 5), signs)
    assert not dominates((0.9, 10), (0.9, 10), signs)


def test_the_front_skips_infeasible_and_keeps_ties_best_first() -> None:
    points = [
        point(0, (0.90, 30), "adamw", violation=-100),
        point(1, (0.95, 10), "adam", violation=50),  # best on both, but over the memory limit
        point(2, (0.80, 5), "sgd", violation=-500),
        point(3, (0.80, 5), "momentum", violation=-400),  # ties trial 2
        point(4, (0.70, 8), "sgd", violation=-500),  # dominated by 2
        point(5, None, "adam"),  # pruned
    ]
    front = pareto_front(points, ACCURACY_AND_TIME.objectives)
    assert [p.number for p in front] == [0, 2, 3]  # highest accuracy first
    tradeoffs = {
        t.family.value: t for t in family_tradeoffs(points, ACCURACY_AND_TIME.objectives, front)
    }
    assert tradeoffs["adam"].on_front == () and tradeoffs["adam"].infeasible == 1
    assert tradeoffs["adam"].best == (None, None)  # its one complete trial is infeasible
    assert [p.number for p in tradeoffs["sgd"].on_front] == [2]
    assert [b.number for b in tradeoffs["sgd"].best if b] == [2, 2]


def test_the_scatter_labels_directions_rings_the_front_and_greys_the_infeasible() -> None:
    points = [
        point(0, (0.90, 30), "adamw", violation=-100),
        point(1, (0.95, 10), "adam", violation=50),
        point(2, (0.80, 5), "sgd", violation=-500),
    ]
    front = pareto_front(points, ACCURACY_AND_TIME.objectives)
    fig = pareto_scatter(points, ACCURACY_AND_TIME, 0, 1, front)
    accepted(fig)
    assert fig.layout["xaxis"]["title"]["text"] == "val_accuracy (higher is better)"
    assert fig.layout["yaxis"]["title"]["text"] == "train_seconds (lower is better)"
    drawn = traces(fig)
    assert (
        drawn["infeasible"]["x"] == [0.95] and drawn["infeasible"]["marker"]["color"] == "#b8bec8"
    )
    assert "breaks peak_memory_mb ≤ 800 (850)" in drawn["infeasible"]["text"][0]
    assert drawn["Pareto front"]["x"] == [0.90, 0.80]
    assert drawn["front on val_accuracy and train_seconds"]["line"]["shape"] == "hv"
    assert "<b>trial 0</b> · adamw" in drawn["adamw"]["text"][0]
    assert "lr=0.001" in drawn["adamw"]["text"][0] and "feasible" in drawn["adamw"]["text"][0]


def test_the_config_shown_leads_with_the_batch_size_when_the_job_searches_it() -> None:
    assert config_text({"optimizer": "sgd", "lr": 0.1}) == "lr=0.1"
    assert config_text({"optimizer": "sgd", "lr": 0.1, "batch_size": 32}) == "batch_size=32, lr=0.1"


def test_with_three_objectives_the_line_is_the_front_of_the_two_shown() -> None:
    points = [
        point(0, (0.30, 10, 900)),
        point(1, (0.40, 5, 900)),
        point(2, (0.50, 20, 100), "sgd"),  # worse on loss and time, but the lightest
    ]
    front = pareto_front(points, THREE.objectives)
    assert [p.number for p in front] == [0, 1, 2]
    drawn = traces(pareto_scatter(points, THREE, 0, 1, front))
    assert drawn["Pareto front (all objectives)"]["x"] == [0.30, 0.40, 0.50]
    assert drawn["front on val_loss and train_seconds"]["x"] == [0.30, 0.40]


def test_a_history_per_objective_counts_only_feasible_trials_as_best() -> None:
    points = [
        point(0, (0.90, 30), "adamw", violation=-100),
        point(1, (0.95, 10), "adam", violation=50),
        point(2, (0.80, 5), "sgd", violation=-500),
    ]
    accuracy = traces(objective_history(points, ACCURACY_AND_TIME, 0))
    assert accuracy["best so far"]["y"][:1] == [0.90]  # 0.95 is infeasible
    assert accuracy["infeasible"]["x"] == [1]
    seconds = objective_history(points, ACCURACY_AND_TIME, 1)
    accepted(seconds)
    assert traces(seconds)["best so far"]["y"][:2] == [30, 5]
    assert seconds.layout["yaxis"]["title"]["text"] == "train_seconds (lower is better)"


def test_histories_say_when_no_trial_is_feasible_or_complete() -> None:
    only_infeasible = objective_history([point(0, (0.9, 3), violation=1)], ACCURACY_AND_TIME, 0)
    accepted(only_infeasible)
    notes = [a["text"] for a in only_infeasible.layout["annotations"]]
    assert notes == ["no feasible trial yet"] and list(traces(only_infeasible)) == ["infeasible"]
    for fig in (
        objective_history([point(0, None)], THREE, 0),
        pareto_scatter([point(0, None)], THREE, 0, 1, []),
    ):
        assert not accepted(fig).data and fig.layout["annotations"][0]["text"]


def test_a_10k_trial_job_is_thinned_but_keeps_its_whole_front() -> None:
    rng = random.Random(1)
    families = ["adam", "sgd", "momentum"]
    points = [
        point(n, (rng.random(), rng.random() * 60, rng.random() * 900), families[n % 3])
        for n in range(10_000)
    ]
    front = pareto_front(points, THREE.objectives)
    assert len(front) > 20
    fig = pareto_scatter(points, THREE, 0, 1, front)
    shown = {n for t in fig.data if t["mode"] == "markers" for n in _numbers(t)}
    assert {p.number for p in front} <= shown
    assert len(shown) <= SCATTER_CAP + len(front)
    assert "trials: the front and a sample" in fig.layout["annotations"][0]["text"]
    assert len(to_json(fig)) < 1_500_000


def _numbers(trace: dict[str, object]) -> list[int]:
    texts = trace["text"]
    assert isinstance(texts, list)
    return [int(t.split("</b>")[0].removeprefix("<b>trial ")) for t in texts]
