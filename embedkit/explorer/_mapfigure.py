"""Colours for a map, and the static plotly figure of the standalone export.

The live map is jupyter-scatter (see :mod:`._mapview`); the exported page
has no kernel and no widget manager, so it draws with plotly.js, which is
inlined and works from a file with no network. Coordinates and colours go into
that figure as binary typed arrays (plotly's ``bdata``), not as JSON lists,
and no per-point hover text is embedded: the page's own script shows the item
under the pointer, from the same data its neighbour panel uses.

Trace order of the static figure: ``POINTS`` (every item), then ``NEIGHBOURS``
and ``CHOSEN`` (the clicked point's highlights, filled by the page's script),
then ``DENSITY`` (the live map's density contour lines, when it has any).

>>> from embedkit.explorer._mapfigure import category_palette
>>> names, palette, legend = category_palette(["cat", "dog", "cat"])
>>> list(names), [name for name, _ in legend]
(['cat', 'dog', 'cat'], ['cat', 'dog'])
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["CHOSEN", "CHOSEN_COLOUR", "DENSITY", "MAX_LEGEND", "NEIGHBOURS", "POINTS", "QUERY_COLOUR",
           "category_palette", "color_values", "static_figure"]

POINTS, NEIGHBOURS, CHOSEN, DENSITY = range(4)
CHOSEN_COLOUR, QUERY_COLOUR = "#d62728", "#9467bd"
#: More categories than this share one "other" colour and one legend entry.
MAX_LEGEND = 24
_OTHER = "#c7c7c7"


def _palette() -> list[str]:
    from plotly.colors import qualitative  # not plotly.express: 5x the import time, same lists

    return qualitative.Plotly + qualitative.Dark24 + qualitative.Light24


def category_palette(values: Any) -> tuple[Any, dict[str, str], list[tuple[str, str]]]:
    """Per-point category names (rare ones folded into "N more"), name -> colour, and the legend.

    The most frequent categories come first and keep their colour across calls.
    The names come as a ``pandas.Categorical`` (one small code per point: at a
    million points a list of strings would cost seconds and ~60 MB).

    >>> names, palette, legend = category_palette([1, 1, 2])
    >>> list(names), legend[0][0]
    (['1', '1', '2'], '1')
    """
    import pandas as pd

    raw = np.empty(len(values), dtype=object)
    raw[:] = list(values) if not isinstance(values, (list, np.ndarray)) else values
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)  # hashing, no sort of n strings
    names = [str(u) for u in uniques]
    if len(set(names)) < len(names):  # e.g. 1 and "1": one category, as str() shows them
        merged, distinct = pd.factorize(np.asarray(names, dtype=object))
        codes, names = merged[codes], list(distinct)
    names = np.asarray(names, dtype=object)
    counts = np.bincount(codes, minlength=len(names))
    order = [str(names[i]) for i in np.lexsort((names, -counts))]
    palette = _palette()
    colours = {name: palette[i % len(palette)] for i, name in enumerate(order[:MAX_LEGEND])}
    legend = list(colours.items())
    if len(order) > MAX_LEGEND:
        other = f"{len(order) - MAX_LEGEND} more"
        colours[other] = _OTHER
        legend.append((other, _OTHER))
    # Each point's category, as a code into the palette's order (folded ones -> "N more").
    position = {name: i for i, name in enumerate(colours)}
    fallback = len(colours) - 1
    remap = np.array([position.get(str(name), fallback) for name in names], dtype=np.int32)
    return pd.Categorical.from_codes(remap[codes], categories=list(colours)), colours, legend


def color_values(values: Any) -> tuple[str, Any]:
    """Decide how to colour by ``values``: ("category", palette) or ("scale", floats).

    Numbers with many distinct values get a colour scale; anything else is categorical.

    >>> color_values([0.1, 0.5, 0.9] * 5 + [0.2] * 10)[0]
    'category'
    >>> color_values(np.linspace(0, 1, 50))[0]
    'scale'
    """
    if isinstance(values, np.ndarray) or not isinstance(values[0] if len(values) else 0, str):
        array = np.asarray(values)  # strings stay a list: np.asarray would copy them all
        if array.dtype.kind in "fiu" and len(np.unique(array)) > 12:
            return "scale", array.astype(np.float32)
    return "category", category_palette(values)


def static_figure(coords: np.ndarray, colours: Any = None, colorscale: str | None = None,
                  contours: list | None = None):
    """A plain plotly Figure of ``coords`` for the export: points, then empty highlight layers.

    ``colours``: per-point CSS colours, or numbers with ``colorscale``;
    ``contours``: density contour lines (``m x 2`` arrays), drawn as one thin trace.

    >>> fig = static_figure(np.zeros((3, 2)))
    >>> [trace.name for trace in fig.data]
    ['points', 'neighbours', 'chosen point']
    """
    import plotly.graph_objects as go

    from embedkit.explorer._mapview import point_size

    n = len(coords)
    size = point_size(n) + 1
    marker: dict[str, Any] = dict(size=size, color=colours if colours is not None else "#1f77b4",
                                  opacity=0.85 if n <= 20_000 else 0.6)
    if colorscale:
        marker.update(colorscale=colorscale, showscale=True, cmin=0, cmax=1 if colorscale == "RdYlGn" else None)
    points = go.Scattergl(x=coords[:, 0].astype(np.float32), y=coords[:, 1].astype(np.float32),
                          mode="markers", name="points", showlegend=False, hoverinfo="none",
                          marker=marker)
    layers = [points] + [
        go.Scattergl(x=[], y=[], mode="markers", name=name, hoverinfo="skip", showlegend=False,
                     marker=dict(symbol=symbol, size=size + grow, color=colour,
                                 line=dict(width=2, color=colour)))
        for name, symbol, grow, colour in (("neighbours", "circle-open", 9, "#111111"),
                                           ("chosen point", "star", 11, CHOSEN_COLOUR))]
    if contours:
        gap = np.full((1, 2), np.nan, dtype=np.float32)  # one trace; NaN rows break the line
        joined = np.vstack([part for line in contours for part in (np.asarray(line, np.float32), gap)])
        layers.append(go.Scattergl(x=joined[:, 0], y=joined[:, 1], mode="lines", name="density",
                                   hoverinfo="skip", showlegend=False, connectgaps=False,
                                   line=dict(width=1, color="rgba(38,38,38,0.55)")))
    layout = go.Layout(
        autosize=True, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white",
        xaxis=dict(showticklabels=False, zeroline=False, showgrid=False),
        yaxis=dict(showticklabels=False, zeroline=False, showgrid=False),
        hovermode="closest", dragmode="pan", clickmode="event",
    )
    return go.Figure(data=layers, layout=layout)
