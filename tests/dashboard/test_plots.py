"""The figures: plotly accepts each as it is, every family gets its own traces (one colour
per family everywhere), pruned trials are marked, and big jobs are thinned, not truncated."""

from __future__ import annotations

import json
import math
import random

import plotly.graph_objects as go
import pytest

from advisor import OptimizerName
from service.dashboard import plots
from service.dashboard.importance import Importance
from service.dashboard.plots.families import CURVE_CAP
from service.dashboard.plots.progress import MARKER_CAP
from service.dashboard.plots.sampling import curve_subset, thin
from service.dashboard.plots.style import Figure
from service.dashboard.queries import Curve, TrialPoint
from tunewise.wire.models import TrialState

FAMILIES = ("adam", "adamw", "momentum")


def job(n: int, seed: int = 0) -> tuple[list[TrialPoint], dict[int, Curve]]:
    """``n`` trials over three families: every 4th pruned, every 10th failed, last running."""
    rng = random.Random(seed)
    points, curves = [], {}
    for number in range(n):
        lr = 10 ** rng.uniform(-5, -1)
        state = "pruned" if number % 4 == 3 else "failed" if number % 10 == 9 else "complete"
        state = "running" if number == n - 1 else state
        steps = 3 if state == "pruned" else 6
        curve = tuple((s, abs(math.log10(lr) + 3) + 1 / s) for s in range(1, steps + 1))
        value = None if state in ("failed", "running") else curve[-1][1]
        points.append(
            TrialPoint(
                number + 10,
                number,
                TrialState(state),
                OptimizerName(FAMILIES[number % 3]),
                value,
                {"lr": lr, "weight_decay": rng.uniform(0, 0.1)},
            )
        )
        if state != "failed":
            curves[number + 10] = curve
    return points, curves


def accepted(fig: Figure) -> go.Figure:
    """The figure as plotly loads it: raises when a property is not in plotly's schema."""
    return go.Figure(json.loads(plots.to_json(fig)))


def names(fig: Figure) -> list[str]:
    return [trace.get("name", "") for trace in fig.data]


def all_figures(
    points: list[TrialPoint],
    curves: dict[int, Curve],
    importances: tuple[Importance, ...] = (
        Importance("lr", 0.6, 30),
        Importance("optimizer", 0.2, 30),
    ),
) -> list[Figure]:
    results = plots.family_results(points, "minimize")
    return [
        plots.best_so_far(points, "minimize", "val_loss"),
        plots.family_best(results, "val_loss"),
        plots.learning_curves(points, curves, "minimize", "val_loss"),
        plots.lr_vs_value(points, "minimize", "val_loss"),
        plots.parallel_coordinates(points, "minimize", "val_loss"),
        plots.importance(importances),
    ]


def test_every_figure_is_valid_plotly() -> None:
    points, curves = job(40)
    for fig in all_figures(points, curves):
        assert accepted(fig).data, fig.layout["title"]["text"]


def test_an_empty_job_gets_figures_that_say_why() -> None:
    for fig in all_figures([], {}, ()):
        loaded = accepted(fig)
        assert not loaded.data
        assert loaded.layout.annotations[0].text


def test_families_each_get_their_own_traces_in_their_own_colour() -> None:
    points, curves = job(30)
    for fig in all_figures(points, curves)[:5]:
        for family in FAMILIES:
            assert family in names(fig), (fig.layout["title"]["text"], names(fig))
    curves_fig = plots.learning_curves(points, curves, "minimize", "val_loss")
    colour = {t["name"]: t["line"]["color"] for t in curves_fig.data if "line" in t}
    assert colour["adam"] == colour["adam (pruned)"] == plots.colour_of(OptimizerName.ADAM)
    assert colour["adam"] != colour["adamw"]


def test_pruned_curves_are_dotted_and_marked_where_they_stopped() -> None:
    points, curves = job(12)
    fig = plots.learning_curves(points, curves, "minimize", "val_loss")
    traces = {t["name"]: t for t in fig.data}
    assert traces["adam (pruned)"]["line"]["dash"] == "dot"
    assert traces["adam"]["line"]["dash"] == "solid"
    stops = traces["pruned here"]
    pruned = [p for p in points if p.state is TrialState.PRUNED]
    assert stops["customdata"] == [p.number for p in pruned]
    assert stops["x"] == [3] * len(pruned)


def test_best_so_far_steps_only_at_improvements_and_never_gets_worse() -> None:
    points, _ = job(50)
    steps = plots.improvements(points, "minimize")
    values = [v for _, v in steps]
    assert values == sorted(values, reverse=True)
    complete = [p for p in points if p.state is TrialState.COMPLETE]
    assert values[-1] == min(p.value for p in complete if p.value is not None)
    maximizing = [v for _, v in plots.improvements(points, "maximize")]
    assert maximizing == sorted(maximizing)


def test_a_10k_trial_job_is_thinned_but_keeps_the_best() -> None:
    points, _curves = job(10_000)
    best = min((p for p in points if p.state is TrialState.COMPLETE), key=lambda p: p.value or 0)
    fig = plots.best_so_far(points, "minimize", "val_loss")
    markers = sum(len(t["x"]) for t in fig.data if t["mode"] == "markers")
    assert markers <= MARKER_CAP + len(plots.improvements(points, "minimize"))
    assert any(best.number in t["x"] for t in fig.data if t["mode"] == "markers")
    drawn = curve_subset(points, "minimize", CURVE_CAP)
    assert len(drawn) == CURVE_CAP
    assert best in drawn and points[-1] in drawn  # the best, and the latest (running) one
    assert len(plots.to_json(fig)) < 200_000


def test_thinning_keeps_order_and_what_it_is_told_to_keep() -> None:
    points, _ = job(100)
    kept = thin(points, 10, keep=[points[57]])
    assert points[57] in kept and len(kept) <= 11
    assert [p.number for p in kept] == sorted(p.number for p in kept)


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a & b <c>"])
def test_figure_json_cannot_close_its_script_element(text: str) -> None:
    fig = plots.best_so_far(job(5)[0], "minimize", text)
    encoded = plots.to_json(fig)
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert text in json.loads(encoded)["layout"]["yaxis"]["title"]["text"]


def test_parallel_coordinates_put_lr_on_a_log_scale() -> None:
    points, _ = job(40)
    fig = plots.parallel_coordinates(points, "minimize", "val_loss")
    labels = [a["text"] for a in fig.layout["annotations"]]
    assert "<b>lr</b>" in labels and "<b>optimizer</b>" in labels and "<b>val_loss</b>" in labels
    lrs = [p.params["lr"] for p in points if p.state is TrialState.COMPLETE]
    assert f"{min(lrs):.3g}" in labels and f"{max(lrs):.3g}" in labels
