"""One look for every figure: a colour per optimizer family (the same in every plot and in the
page's legends), a quiet layout, and figures serialised for a ``<script type=
"application/json">`` block."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from advisor import OptimizerName

O = OptimizerName  # noqa: E741 -- short alias keeps the table readable
#: Colour-blind-safe where it matters most: the seven seed families get Okabe–Ito colours.
FAMILY_COLOURS: dict[OptimizerName, str] = {
    O.SGD: "#999999",
    O.MOMENTUM: "#E69F00",
    O.NESTEROV: "#56B4E9",
    O.ADAGRAD: "#009E73",
    O.RMSPROP: "#F0E442",
    O.ADAM: "#0072B2",
    O.ADAMW: "#D55E00",
    O.NADAM: "#CC79A7",
    O.RADAM: "#6A3D9A",
    O.ADAFACTOR: "#8C564B",
    O.MUON: "#17BECF",
    O.SPARSE_ADAM: "#B15928",
}
PRUNED_COLOUR = "#444444"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"


def colour_of(family: OptimizerName) -> str:
    return FAMILY_COLOURS[family]


#: Quiet axes shared by every figure (plotly's own templates are deep-copied per figure, which
#: costs more than building the figure).
_AXIS = {
    "gridcolor": "#e8ebf0",
    "zerolinecolor": "#d0d5dd",
    "linecolor": "#c7ccd6",
    "automargin": True,
}


@dataclass
class Figure:
    """A plotly figure in plotly's own JSON schema, built as plain data: validating ten
    thousand points through plotly's graph objects on every page load would cost more than
    the rest of the page. Tests load every builder's output into ``plotly.graph_objects.Figure``,
    which checks it against plotly's schema."""

    layout: dict[str, Any]
    data: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, **trace: Any) -> None:
        self.data.append({"type": kind, **trace})

    def annotate(self, text: str, **where: Any) -> None:
        self.layout.setdefault("annotations", []).append(
            {"text": text, "showarrow": False, **where}
        )

    def note(self, text: str, y: float = 1.08) -> None:
        """A remark above the plot's top-right corner, e.g. that it shows a sample."""
        self.annotate(text, x=1, y=y, xref="paper", yref="paper", xanchor="right")

    def shape(self, **shape: Any) -> None:
        self.layout.setdefault("shapes", []).append(shape)

    def to_dict(self) -> dict[str, Any]:
        return {"data": self.data, "layout": self.layout}


def figure(
    title: str,
    *,
    height: int = 340,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
    **layout: Any,
) -> Figure:
    return Figure(
        layout={
            "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 14}},
            "height": height,
            "margin": {"l": 56, "r": 16, "t": 40, "b": 40},
            "font": {"family": FONT, "size": 12, "color": "#1d2430"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            # Below the x axis's title, never on it.
            "legend": {"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"},
            "hovermode": "closest",
            "xaxis": {**_AXIS, **(xaxis or {})},
            "yaxis": {**_AXIS, **(yaxis or {})},
            **layout,
        }
    )


def titled(text: str, **axis: Any) -> dict[str, Any]:
    """An axis with a title."""
    return {"title": {"text": text}, **axis}


def empty(title: str, message: str) -> Figure:
    """A figure that says why there is nothing to plot yet."""
    fig = figure(title, height=220, xaxis={"visible": False}, yaxis={"visible": False})
    fig.annotate(message, x=0.5, y=0.5, xref="paper", yref="paper")
    return fig


def to_json(fig: Figure) -> str:
    """The figure as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&``
    are escaped so no text in it (a job's name, a family) can close the element."""
    text = json.dumps(fig.to_dict(), separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
