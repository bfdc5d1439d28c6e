"""A multi-objective job's figures: two objectives against each other with the front
highlighted and joined (infeasible trials greyed, points coloured by family), and each
objective's value per trial with its best so far among feasible trials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.dashboard.front import pareto_front
from service.dashboard.objectives import ObjectiveAxis, ObjectivePoint, StudyLayout, on_objective
from service.dashboard.plots.progress import best_so_far
from service.dashboard.plots.sampling import thin
from service.dashboard.plots.style import Figure, colour_of, empty, figure, titled
from service.dashboard.present import config_summary

#: Feasible trials off the front drawn at most (the front and infeasible ones always are).
SCATTER_CAP = 1500
INFEASIBLE_COLOUR = "#b8bec8"
FRONT_COLOUR = "#1d2430"


def axis_title(axis: ObjectiveAxis) -> str:
    return f"{axis.metric} ({axis.better})"


def config_text(config: Mapping[str, Any]) -> str:
    """The config in one line, its batch size first: a multi-objective job that weighs time
    or memory searches it, and it moves them more than any optimizer value."""
    batch = config.get("batch_size")
    if batch is None:
        return config_summary(config)
    rest = config_summary({name: v for name, v in config.items() if name != "batch_size"})
    return f"batch_size={batch}, {rest}"


def hover_text(point: ObjectivePoint, layout: StudyLayout) -> str:
    """Trial, family, its value on every objective, its constraints and its config."""
    lines = [f"<b>trial {point.trial.number}</b> · {point.trial.family.value}"]
    if point.values is not None:
        lines.append(
            " · ".join(
                f"{axis.metric} {value:.4g}"
                for axis, value in zip(layout.objectives, point.values, strict=True)
            )
        )
    broken = [
        bound.text
        + (f" ({point.reported[bound.metric]:.4g})" if bound.metric in point.reported else "")
        for bound, violation in zip(layout.constraints, point.violations, strict=False)
        if violation > 0
    ]
    if broken:
        lines.append("infeasible: breaks " + ", ".join(broken))
    elif layout.constraints:
        lines.append("feasible")
    lines.append(config_text(point.config))
    return "<br>".join(lines)


def pareto_scatter(
    points: Sequence[ObjectivePoint],
    layout: StudyLayout,
    x: int,
    y: int,
    front: Sequence[ObjectivePoint],
) -> Figure:
    """Objective ``x`` against objective ``y``, a trace per family. The job's front (on all
    its objectives) is ringed; the line is the front of these two objectives, drawn as the
    edge of the region it dominates (a staircase: between two front members no trial is
    known to do better)."""
    ax, ay = layout.objectives[x], layout.objectives[y]
    title = f"Pareto front: {ax.metric} against {ay.metric}"
    scored = [p for p in points if p.scored]
    if not scored:
        return empty(title, "No complete trial yet")
    fig = figure(title, height=500, xaxis=titled(axis_title(ax)), yaxis=titled(axis_title(ay)))

    def add(chosen: Sequence[ObjectivePoint], name: str, **marker: object) -> None:
        fig.add(
            "scatter",
            x=[(p.values or ())[x] for p in chosen],
            y=[(p.values or ())[y] for p in chosen],
            mode="markers",
            name=name,
            marker=marker,
            text=[hover_text(p, layout) for p in chosen],
            hovertemplate="%{text}<extra></extra>",
        )

    infeasible = [p for p in scored if not p.feasible]
    if infeasible:  # first, so feasible trials are drawn over them
        add(
            thin(infeasible, SCATTER_CAP),
            "infeasible",
            color=INFEASIBLE_COLOUR,
            size=7,
            symbol="x",
        )
    feasible = thin([p for p in scored if p.feasible], SCATTER_CAP, keep=front)
    for family in sorted({p.trial.family for p in feasible}):
        add(
            [p for p in feasible if p.trial.family is family],
            family.value,
            color=colour_of(family),
            size=9,
            opacity=0.8,
        )
    edge = pareto_front(points, layout.objectives, axes=(x, y))
    if edge:
        fig.add(
            "scatter",
            x=[(p.values or ())[x] for p in edge],
            y=[(p.values or ())[y] for p in edge],
            mode="lines",
            name=f"front on {ax.metric} and {ay.metric}",
            line={"color": FRONT_COLOUR, "width": 1.5, "shape": "hv"},
            hoverinfo="skip",
        )
    if front:  # rings around the family-coloured points
        add(
            front,
            "Pareto front" if len(layout.objectives) == 2 else "Pareto front (all objectives)",
            color=FRONT_COLOUR,
            size=16,
            symbol="circle-open",
            line={"width": 2},
        )
    shown = len(feasible) + len(infeasible)
    if shown < len(scored):
        fig.note(f"{shown} of {len(scored)} trials: the front and a sample", y=1.06)
    return fig


def objective_history(points: Sequence[ObjectivePoint], layout: StudyLayout, index: int) -> Figure:
    """One objective's value per trial (markers per family) and its best so far over the
    feasible trials; infeasible trials are greyed crosses and never count as best."""
    axis = layout.objectives[index]
    projected = on_objective(points, index)
    fig = best_so_far(projected, axis.direction, axis.metric, title=f"{axis.metric} per trial")
    infeasible = [p for p in points if p.scored and not p.feasible]
    if not any(p.value is not None for p in projected):
        if not infeasible:
            return fig
        fig = figure(f"{axis.metric} per trial", xaxis=titled("trial number"))
        fig.note("no feasible trial yet", y=1.08)
    fig.layout["yaxis"] = {**fig.layout["yaxis"], **titled(axis_title(axis))}
    if infeasible:
        fig.add(
            "scatter",
            x=[p.trial.number for p in infeasible],
            y=[(p.values or ())[index] for p in infeasible],
            mode="markers",
            name="infeasible",
            marker={"color": INFEASIBLE_COLOUR, "size": 6, "symbol": "x"},
            text=[hover_text(p, layout) for p in infeasible],
            hovertemplate="%{text}<extra></extra>",
        )
    return fig
