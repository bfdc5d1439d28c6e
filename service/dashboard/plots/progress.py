"""Best value so far against trial number: every improvement exactly, the trials themselves
as markers per family (thinned past a thousand)."""

from __future__ import annotations

from collections.abc import Sequence

from service.dashboard.plots.sampling import complete, sign, thin
from service.dashboard.plots.style import Figure, colour_of, empty, figure, titled
from service.dashboard.queries import TrialPoint
from tunewise.wire.models import Direction

TITLE = "Best so far"
#: Trial markers drawn at most; the best-so-far line always has every improvement.
MARKER_CAP = 600


def improvements(points: Sequence[TrialPoint], direction: Direction) -> list[tuple[int, float]]:
    """(number, value) of each complete trial that beat every earlier one."""
    s = sign(direction)
    steps: list[tuple[int, float]] = []
    for point in complete(points):
        assert point.value is not None
        if not steps or s * point.value < s * steps[-1][1]:
            steps.append((point.number, point.value))
    return steps


def best_so_far(
    points: Sequence[TrialPoint], direction: Direction, metric: str, title: str = TITLE
) -> Figure:
    done = complete(points)
    if not done:
        return empty(title, "No complete trial yet")
    fig = figure(title, xaxis=titled("trial number"), yaxis=titled(metric))
    steps = improvements(points, direction)
    shown = thin(done, MARKER_CAP, keep=[p for p in done if (p.number, p.value) in steps])
    for family in sorted({p.family for p in shown}):
        mine = [p for p in shown if p.family is family]
        fig.add(
            "scatter",
            x=[p.number for p in mine],
            y=[p.value for p in mine],
            mode="markers",
            name=family.value,
            legendgroup=family.value,
            marker={"color": colour_of(family), "size": 6, "opacity": 0.55},
            hovertemplate=f"trial %{{x}} ({family.value})<br>{metric} %{{y:.4g}}<extra></extra>",
        )
    last = points[-1].number
    fig.add(
        "scatter",
        x=[n for n, _ in steps] + [max(last, steps[-1][0])],
        y=[v for _, v in steps] + [steps[-1][1]],
        mode="lines",
        name="best so far",
        line={"color": "#222222", "width": 2, "shape": "hv"},
        hovertemplate="best after trial %{x}: %{y:.4g}<extra></extra>",
    )
    if len(shown) < len(done):
        fig.note(f"markers: {len(shown)} of {len(done)} trials", y=1.08)
    return fig
