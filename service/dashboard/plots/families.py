"""Optimizer families compared: each family's best value, and the learning curves of the
trials overlaid and coloured by family, pruned ones dotted and marked where they stopped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor import OptimizerName
from service.dashboard.plots.sampling import best_first, curve_subset
from service.dashboard.plots.style import PRUNED_COLOUR, Figure, colour_of, empty, figure, titled
from service.dashboard.queries import Curve, TrialPoint
from tunewise.wire.models import Direction, TrialState

#: Curves drawn at most (the best half and the latest half).
CURVE_CAP = 120


@dataclass(frozen=True)
class FamilyResult:
    family: OptimizerName
    best: TrialPoint | None
    complete: int
    pruned: int
    failed: int
    running: int


def family_results(points: Sequence[TrialPoint], direction: Direction) -> list[FamilyResult]:
    """Per family tried: its best trial and its counts, best family first."""
    ranked = best_first([p for p in points if p.state is TrialState.COMPLETE], direction)
    results = []
    for family in sorted({p.family for p in points}):
        mine = [p for p in points if p.family is family]
        results.append(
            FamilyResult(
                family=family,
                best=next((p for p in ranked if p.family is family), None),
                **{state.value: sum(1 for p in mine if p.state is state) for state in TrialState},
            )
        )
    order = {p.number: i for i, p in enumerate(ranked)}
    return sorted(
        results, key=lambda r: order.get(r.best.number, len(order)) if r.best else len(order)
    )


def family_best(results: Sequence[FamilyResult], metric: str) -> Figure:
    title = "Best value per family"
    scored = [r for r in results if r.best is not None]
    if not scored:
        return empty(title, "No complete trial yet")
    fig = figure(title, yaxis=titled(metric), showlegend=False)
    for result in scored:
        assert result.best is not None
        fig.add(
            "bar",
            x=[result.family.value],
            y=[result.best.value],
            name=result.family.value,
            marker={"color": colour_of(result.family)},
            text=[f"{result.best.value:.4g}"],
            textposition="outside",
            cliponaxis=False,
            customdata=[[result.best.number, result.complete, result.pruned]],
            hovertemplate=(
                f"{result.family.value}: best %{{y:.4g}} (trial %{{customdata[0]}})<br>"
                "%{customdata[1]} complete, %{customdata[2]} pruned<extra></extra>"
            ),
        )
    return fig


def learning_curves(
    points: Sequence[TrialPoint],
    curves: Mapping[int, Curve],
    direction: Direction,
    metric: str,
) -> Figure:
    """One trace per family (its curves joined with gaps), one per family for its pruned
    curves (dotted), and one marking where pruned trials stopped."""
    title = "Learning curves by family"
    drawn = [p for p in curve_subset(points, direction, CURVE_CAP) if curves.get(p.trial_id)]
    if not drawn:
        return empty(title, "No trial has reported a step yet")
    fig = figure(title, xaxis=titled("step"), yaxis=titled(metric), height=380)
    for family in sorted({p.family for p in drawn}):
        mine = [p for p in drawn if p.family is family]
        for pruned in (False, True):
            chosen = [p for p in mine if (p.state is TrialState.PRUNED) is pruned]
            if chosen:
                fig.data.append(_joined(family, chosen, curves, metric, pruned=pruned))
    stops = [p for p in drawn if p.state is TrialState.PRUNED]
    if stops:
        ends = [curves[p.trial_id][-1] for p in stops]
        fig.add(
            "scatter",
            x=[step for step, _ in ends],
            y=[value for _, value in ends],
            mode="markers",
            name="pruned here",
            marker={
                "symbol": "x",
                "size": 8,
                "color": [colour_of(p.family) for p in stops],
                "line": {"width": 1, "color": PRUNED_COLOUR},
            },
            customdata=[p.number for p in stops],
            hovertemplate="trial %{customdata} pruned at step %{x}<extra></extra>",
        )
    if len(points) > CURVE_CAP:
        fig.note(f"{len(drawn)} of {len(points)} trials: the best and the latest", y=1.06)
    return fig


def _joined(
    family: OptimizerName,
    chosen: Sequence[TrialPoint],
    curves: Mapping[int, Curve],
    metric: str,
    *,
    pruned: bool,
) -> dict[str, Any]:
    xs: list[int | None] = []
    ys: list[float | None] = []
    numbers: list[int | None] = []
    for point in chosen:
        for step, value in curves[point.trial_id]:
            xs.append(step)
            ys.append(value)
            numbers.append(point.number)
        xs.append(None)
        ys.append(None)
        numbers.append(None)
    return dict(
        type="scatter",
        x=xs,
        y=ys,
        mode="lines",
        name=f"{family.value} (pruned)" if pruned else family.value,
        legendgroup=family.value,
        connectgaps=False,
        line={"color": colour_of(family), "width": 1.2, "dash": "dot" if pruned else "solid"},
        opacity=0.6 if pruned else 0.85,
        customdata=numbers,
        hovertemplate=(
            f"trial %{{customdata}} ({family.value}{', pruned' if pruned else ''})<br>"
            f"step %{{x}}: {metric} %{{y:.4g}}<extra></extra>"
        ),
    )
