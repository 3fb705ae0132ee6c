"""The plotly figure behind a map: one WebGL trace of points plus highlight layers.

Trace order is fixed, so code (and tests) can find each layer by position:
``POINTS`` (every item; the one that takes hovers, clicks and selections),
then ``MATCHES`` (search hits), ``NEIGHBOURS`` (the clicked point's nearest
neighbours), ``CHOSEN`` (the clicked point) and ``QUERY`` (a typed query).
Highlight layers skip hover, so a click on a highlighted point still reaches
the points layer underneath. Legend entries for categorical colours come after.

>>> from embedkit.explorer._mapfigure import category_colors
>>> colors, legend = category_colors(["cat", "dog", "cat"])
>>> colors[0] == colors[2] != colors[1], [name for name, _ in legend]
(True, ['cat', 'dog'])
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

__all__ = ["POINTS", "MATCHES", "NEIGHBOURS", "CHOSEN", "QUERY", "build_figure", "category_colors",
           "color_values", "legend_traces"]

POINTS, MATCHES, NEIGHBOURS, CHOSEN, QUERY = range(5)
#: More categories than this get a shared "other" colour and no legend entry each.
MAX_LEGEND = 24
_OTHER = "#c7c7c7"


def _palette() -> list[str]:
    import plotly.express as px

    return px.colors.qualitative.Plotly + px.colors.qualitative.Dark24 + px.colors.qualitative.Light24


def category_colors(values: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """Per-point colours for categorical ``values`` (most frequent first) and the legend.

    >>> category_colors([1, 1, 2])[1][0][0]
    '1'
    """
    labels = np.asarray([str(v) for v in values], dtype=object)
    names, counts = np.unique(labels, return_counts=True)
    order = [names[i] for i in np.lexsort((names, -counts))]
    palette = _palette()
    lookup = {name: palette[i % len(palette)] for i, name in enumerate(order[:MAX_LEGEND])}
    colors = [lookup.get(label, _OTHER) for label in labels]
    legend = [(name, lookup[name]) for name in order[:MAX_LEGEND]]
    if len(order) > MAX_LEGEND:
        legend.append((f"{len(order) - MAX_LEGEND} more", _OTHER))
    return colors, legend


def color_values(values: Any) -> tuple[str, Any]:
    """Decide how to colour by ``values``: ("category", (colors, legend)) or ("scale", floats).

    Numbers with many distinct values get a colour scale; anything else is categorical.

    >>> color_values([0.1, 0.5, 0.9] * 5 + [0.2] * 10)[0]
    'category'
    >>> color_values(np.linspace(0, 1, 50))[0]
    'scale'
    """
    array = np.asarray(values)
    if array.dtype.kind in "fiu" and len(np.unique(array)) > 12:
        return "scale", array.astype(float)
    return "category", category_colors(array.tolist())


def legend_traces(legend: list[tuple[str, str]]) -> list:
    """Marker-only traces with no points, one per legend entry (names escaped)."""
    import plotly.graph_objects as go

    return [go.Scattergl(x=[None], y=[None], mode="markers", name=html.escape(name),
                         marker=dict(color=color, size=9), hoverinfo="skip", showlegend=True)
            for name, color in legend]


def _layer(name: str, symbol: str, size: int, color: str, width: float = 2.0):
    import plotly.graph_objects as go

    return go.Scattergl(
        x=[], y=[], mode="markers", name=name, hoverinfo="skip", showlegend=False,
        marker=dict(symbol=symbol, size=size, color=color, line=dict(width=width, color=color)),
    )


def build_figure(coords: np.ndarray, hover: list[str], title: str = "", widget: bool = True):
    """A FigureWidget (or plain Figure) with the points layer and the empty highlight layers.

    >>> fig = build_figure(np.zeros((3, 2)), ["a", "b", "c"], widget=False)
    >>> [trace.name for trace in fig.data]
    ['points', 'search matches', 'neighbours', 'chosen point', 'query']
    """
    import plotly.graph_objects as go

    n = len(coords)
    size = 7 if n <= 2_000 else 5 if n <= 20_000 else 3
    points = go.Scattergl(
        x=coords[:, 0], y=coords[:, 1], mode="markers", name="points", showlegend=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(size=size, color="#1f77b4", opacity=0.8 if n <= 20_000 else 0.6),
        unselected=dict(marker=dict(opacity=0.15)),
    )
    layers = [
        points,
        _layer("search matches", "diamond-open", size + 7, "#ff7f0e"),
        _layer("neighbours", "circle-open", size + 9, "#111111"),
        _layer("chosen point", "star", size + 11, "#d62728", width=1.0),
        _layer("query", "x", size + 11, "#9467bd", width=1.0),
    ]
    layout = go.Layout(
        title=dict(text=html.escape(title), x=0.02) if title else None,
        # The top margin holds the modebar, so it never covers points.
        width=640, height=560, margin=dict(l=10, r=10, t=40 if title else 30, b=10),
        xaxis=dict(showticklabels=False, zeroline=False, showgrid=False),
        yaxis=dict(showticklabels=False, zeroline=False, showgrid=False),
        plot_bgcolor="white", hovermode="closest", dragmode="zoom", clickmode="event",
        # Below the plot area, in rows: plotly widens the bottom margin to fit it,
        # so the legend hides no points (inside the top right, it did).
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.01, yanchor="top",
                    itemclick=False, itemdoubleclick=False, font=dict(size=10)),
    )
    factory = go.FigureWidget if widget else go.Figure
    return factory(data=layers, layout=layout)
