"""Hyperparameters against the objective: lr per family on a log axis, parallel coordinates
(drawn as SVG lines, so the page needs no WebGL and no ``unsafe-eval``), and importance."""

from __future__ import annotations

import math
from collections.abc import Sequence

from service.dashboard.importance import Importance
from service.dashboard.plots.sampling import best_first, complete, thin
from service.dashboard.plots.style import Figure, colour_of, empty, figure, titled
from service.dashboard.queries import TrialPoint, plotted_names
from tunewise.wire.models import Direction

#: Points in the lr plot (shared among families), and lines in parallel coordinates, at most.
LR_CAP = 800
LINES_CAP = 200
#: The axis that parallel coordinates and importance call the family.
FAMILY_AXIS = "optimizer"


def lr_vs_value(points: Sequence[TrialPoint], direction: Direction, metric: str) -> Figure:
    title = "Learning rate against value, per family"
    done = [p for p in complete(points) if "lr" in p.params]
    if not done:
        return empty(title, "No complete trial yet")
    fig = figure(title, xaxis=titled("lr (log)", type="log"), yaxis=titled(metric))
    families = sorted({p.family for p in done})
    for family in families:
        mine = [p for p in done if p.family is family]
        shown = thin(mine, LR_CAP // len(families), keep=best_first(mine, direction)[:20])
        fig.add(
            "scatter",
            x=[p.params["lr"] for p in shown],
            y=[p.value for p in shown],
            mode="markers",
            name=family.value,
            marker={"color": colour_of(family), "size": 7, "opacity": 0.7},
            customdata=[p.number for p in shown],
            hovertemplate=(
                f"trial %{{customdata}} ({family.value})<br>lr %{{x:.3g}}<br>"
                f"{metric} %{{y:.4g}}<extra></extra>"
            ),
        )
    if len(done) > LR_CAP:
        fig.note(
            f"a sample of {LR_CAP} of {len(done)} trials, the best of each family included", y=1.08
        )
    return fig


def _axis_scale(values: Sequence[float]) -> tuple[float, float, bool]:
    """(low, high, log): log when every value is positive and they span two decades."""
    low, high = min(values), max(values)
    if low > 0 and high / low >= 100:
        return math.log10(low), math.log10(high), True
    return low, high, False


def parallel_coordinates(points: Sequence[TrialPoint], direction: Direction, metric: str) -> Figure:
    """Axes: family, each hyperparameter and own dimension that varies, then the objective;
    each axis scaled to [0, 1] (log where the values span decades). A trial's line skips axes
    it has no value on."""
    title = "Parallel coordinates"
    everything = complete(points)
    done = best_first(everything, direction)[:LINES_CAP]
    if len(done) < 2:
        return empty(title, "Needs two complete trials")
    families = sorted({p.family for p in done})
    varying = [
        name
        for name in plotted_names(done)
        if len({p.params[name] for p in done if name in p.params}) > 1
    ]
    axes = [FAMILY_AXIS, *varying, metric]

    def value_of(point: TrialPoint, axis: str) -> float | None:
        if axis == FAMILY_AXIS:
            return float(families.index(point.family))
        if axis == metric:
            return point.value
        return point.params.get(axis)

    scales = {
        axis: _axis_scale([v for p in done if (v := value_of(p, axis)) is not None])
        for axis in axes[1:]
    }
    scales[FAMILY_AXIS] = (0.0, max(1.0, len(families) - 1.0), False)

    def position(axis: str, value: float) -> float:
        low, high, log = scales[axis]
        x = math.log10(value) if log else value
        return 0.5 if high == low else (x - low) / (high - low)

    fig = figure(
        title,
        height=380,
        xaxis={"visible": False},
        yaxis={"visible": False, "range": [-0.12, 1.14]},
    )
    for family in families:
        xs: list[float | None] = []
        ys: list[float | None] = []
        numbers: list[int | None] = []
        for point in (p for p in done if p.family is family):
            for index, axis in enumerate(axes):
                value = value_of(point, axis)
                if value is not None:
                    xs.append(index)
                    ys.append(position(axis, value))
                    numbers.append(point.number)
            xs.append(None)
            ys.append(None)
            numbers.append(None)
        fig.add(
            "scatter",
            x=xs,
            y=ys,
            mode="lines",
            name=family.value,
            connectgaps=False,
            line={"color": colour_of(family), "width": 1},
            opacity=0.55,
            customdata=numbers,
            hovertemplate="trial %{customdata}<extra></extra>",
        )
    for index, axis in enumerate(axes):
        fig.shape(type="line", x0=index, x1=index, y0=0, y1=1, line={"color": "#888", "width": 1})
        fig.annotate(f"<b>{axis}</b>", x=index, y=1.11)
        if axis == FAMILY_AXIS:
            for i, family in enumerate(families):
                fig.annotate(
                    family.value, x=index, y=position(axis, i), xanchor="right", font={"size": 10}
                )
            continue
        low, high, log = scales[axis]
        ends = (10**low, 10**high) if log else (low, high)
        fig.annotate(f"{ends[0]:.3g}", x=index, y=-0.06, font={"size": 10})
        fig.annotate(f"{ends[1]:.3g}", x=index, y=1.04, font={"size": 10})
    if len(everything) > LINES_CAP:
        fig.note(f"the best {LINES_CAP} of {len(everything)} complete trials", y=1.2)
    return fig


def importance(found: Sequence[Importance]) -> Figure:
    title = "Parameter importance"
    if not found:
        return empty(title, "Needs at least five complete trials")
    total = sum(i.score for i in found) or 1.0
    shown = list(reversed(found))
    fig = figure(
        title,
        xaxis=titled("share of the objective's rank variance explained", tickformat=".0%"),
        showlegend=False,
        height=max(220, 60 + 28 * len(shown)),
    )
    fig.add(
        "bar",
        x=[i.score / total for i in shown],
        y=[i.param for i in shown],
        orientation="h",
        marker={"color": "#0072B2"},
        customdata=[[i.score, i.trials] for i in shown],
        hovertemplate=(
            "%{y}: %{x:.0%} (raw %{customdata[0]:.3f}, %{customdata[1]} trials)<extra></extra>"
        ),
    )
    return fig
