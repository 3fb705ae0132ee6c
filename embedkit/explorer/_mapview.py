"""The live map: a jupyter-scatter widget (anywidget + regl-scatterplot, WebGL).

Coordinates and colours travel as compact binary arrays, not JSON; nothing is
sent per point for hovering (the Explorer fetches a preview when the pointer
rests on a point, through the synced ``hovering`` trait); pan and wheel zoom
are the renderer's own. This module only adapts jupyter-scatter to what the
Explorer needs:

- one browser selection of a single point is a click; of several, a lasso;
- the clicked point's neighbours (and search matches) are highlighted as the
  widget's selection, which the Explorer sets itself: those echoes are not
  taken for a user's lasso;
- the chosen point and a typed query are marked with small rectangles;
- label names at the centre of their points (``show_label_names``);
- density contours (:mod:`._density`), drawn as line annotations under the
  marks and recomputed when another projection is swapped in.

The widget itself is made on first use of :attr:`MapView.widget`, so the
Explorer sets colours, contours and marks first: jupyter-scatter re-sends
every point's data on each such change once a widget exists (at 1,000,000
points, 16 MB and a float64 copy each time).

>>> import numpy as np
>>> view = MapView(np.random.default_rng(0).normal(size=(50, 2)))
>>> view.widget.points.shape
(50, 4)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MapView", "point_size"]

_BLUE = "#1f77b4"
_CONTOUR_COLOUR = (0.15, 0.15, 0.15, 0.55)


def point_size(n: int) -> float:
    """Marker size in pixels: big for a few hundred points, one or two pixels at a million."""
    return 7 if n <= 2_000 else 4 if n <= 20_000 else 2 if n <= 300_000 else 1


class MapView:
    """A jupyter-scatter map of ``coords`` with the Explorer's events.

    ``on_click(i)``, ``on_lasso(indices)`` (an empty list when the selection is
    cleared) and ``on_hover(i or None)`` are called from the widget's events.
    """

    def __init__(self, coords: np.ndarray, width: int = 520, height: int = 520,
                 on_click: Callable[[int], None] | None = None,
                 on_lasso: Callable[[list[int]], None] | None = None,
                 on_hover: Callable[[int | None], None] | None = None):
        import jscatter

        n = len(coords)
        self._frame = pd.DataFrame({"x": coords[:, 0].astype(np.float32),
                                    "y": coords[:, 1].astype(np.float32)})
        self.on_click, self.on_lasso, self.on_hover = on_click, on_lasso, on_hover
        self._shown: np.ndarray | None = None  # the selection the Explorer drew itself
        self._labels_on = False
        self._contours_on = False
        self._annotations: list = []  # as sent to the widget (renderer coordinates)
        #: the density contour lines drawn now (map coordinates), see :meth:`contours`
        self.contour_lines: list[np.ndarray] = []
        self._contour_annotations: list = []
        #: the rectangles drawn now, as ``(x, y, colour)`` in map coordinates
        self.marks: list[tuple[float, float, str]] = []
        self.scatter = jscatter.Scatter(
            x="x", y="y", data=self._frame, width=width, height=height,
            size=point_size(n), opacity=0.85 if n <= 20_000 else 0.6, color=_BLUE,
            color_selected="#d62728", background_color="#ffffff", axes=False, legend=False,
            lasso_on_long_press=True, reticle=True, zoom_animation=400,
        )
        self._widget = None

    @property
    def widget(self) -> Any:
        """The jupyter-scatter widget (made now if it does not exist yet)."""
        if self._widget is None:
            self._widget = self.scatter.widget
            self._widget.observe(self._selection_changed, names="selection")
            self._widget.observe(self._hovering_changed, names="hovering")
            if self._annotations:
                self._widget.annotations = self._annotations
        return self._widget

    # ----- browser -> Explorer ------------------------------------------------------------
    def _selection_changed(self, change: dict) -> None:
        new = np.zeros(0, dtype=np.int64) if change["new"] is None else np.asarray(change["new"]).ravel()
        if self._shown is not None and np.array_equal(new, self._shown):
            return  # the Explorer's own highlight, set from Python or echoed by the browser
        self._shown = None
        if len(new) == 1 and self.on_click:
            self.on_click(int(new[0]))
        elif self.on_lasso:
            self.on_lasso(new)

    def _hovering_changed(self, change: dict) -> None:
        if self.on_hover:
            self.on_hover(None if change["new"] is None or change["new"] < 0 else int(change["new"]))

    # ----- Explorer -> browser ------------------------------------------------------------
    def show(self, indices: Any) -> None:
        """Highlight ``indices`` (the widget's selection) without reporting it as a lasso."""
        shown = np.asarray(indices, dtype=np.int64).ravel()
        self._shown = shown
        self.scatter.selection(shown if len(shown) else None)

    def mark(self, points: list[tuple[float, float, str]]) -> None:
        """Small rectangles at ``(x, y, colour)``: the chosen point, a query."""
        self.marks = list(points)
        self._annotate()

    def contours(self, on: bool) -> None:
        """Draw (or remove) the points' density contours (see :mod:`._density`)."""
        self._contours_on = bool(on)
        self._compute_contours()
        self._annotate()

    def _compute_contours(self) -> None:
        from jscatter import Line

        from embedkit.explorer._density import density_lines

        coords = np.column_stack([self._frame["x"].to_numpy(), self._frame["y"].to_numpy()])
        self.contour_lines = density_lines(coords) if self._contours_on else []
        # In the renderer's coordinates once per map, vectorised and rounded (1e-4 of the
        # map's half-width is far below a pixel): jscatter's own annotations() normalises
        # vertex by vertex, 0.15 ms each, which made every click wait ~0.8 s.
        self._contour_annotations = [
            Line(np.round(self._to_ndc(line), 4).tolist(), line_color=_CONTOUR_COLOUR, line_width=1)
            for line in self.contour_lines]

    def _to_ndc(self, xy: np.ndarray) -> np.ndarray:
        """Map coordinates -> the renderer's [-1, 1] (jscatter's linear scales)."""
        x_scale, y_scale = self.scatter.x()["scale"], self.scatter.y()["scale"]
        (x_low, x_high), (y_low, y_high) = (x_scale.vmin, x_scale.vmax), (y_scale.vmin, y_scale.vmax)
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        return np.column_stack([(xy[:, 0] - x_low) / ((x_high - x_low) or 1.0) * 2 - 1,
                                (xy[:, 1] - y_low) / ((y_high - y_low) or 1.0) * 2 - 1])

    def _annotate(self) -> None:
        """Send the contour lines and the marks (one annotation list: the widget has one)."""
        from jscatter import Rect

        xs, ys = self._frame["x"].to_numpy(), self._frame["y"].to_numpy()
        r = float(max(np.ptp(xs), np.ptp(ys), 1e-9)) * 0.012
        rects = []
        for x, y, colour in self.marks:
            (x0, y0), (x1, y1) = self._to_ndc(np.array([[x - r, y - r], [x + r, y + r]]))
            rects.append(Rect(x_start=float(x0), x_end=float(x1), y_start=float(y0),
                              y_end=float(y1), line_color=colour, line_width=2))
        annotations = self._contour_annotations + rects
        if self._widget is not None and (annotations or self._annotations):
            self._widget.annotations = annotations  # nothing to send if it had none and has none
        self._annotations = annotations

    def move(self, coords: np.ndarray) -> None:
        """Swap in another map (a projection arriving from the background)."""
        self._frame["x"] = coords[:, 0].astype(np.float32)
        self._frame["y"] = coords[:, 1].astype(np.float32)
        self.scatter.xy(x="x", y="y", animate=False)
        if self._contours_on:
            self._compute_contours()
            self._annotate()
        if self._labels_on:
            self.scatter.label(by="_label")

    def zoom_to(self, indices: Any) -> None:
        """Move the camera to ``indices`` (all points when empty)."""
        indices = [int(i) for i in indices]
        self.scatter.zoom(to=indices if indices else None, animation=400, padding=0.5)

    def color(self, values: Any = None, palette: dict | None = None, scale: str | None = None,
              limits: tuple[float, float] | None = None) -> None:
        """Colour by categories (``palette``: name -> colour) or numbers (``scale``), or plainly."""
        if values is None:
            self.scatter.color(default=_BLUE, by=None)
        elif palette is not None:
            if not isinstance(values, pd.Categorical):
                values = pd.Categorical([str(v) for v in values])
            self._frame["_colour"] = values.set_categories(list(palette))
            self.scatter.color(by="_colour", map=palette)
        else:
            self._frame["_colour"] = np.asarray(values, dtype=np.float32)
            self.scatter.color(by="_colour", map=scale, norm=limits)

    def label_names(self, labels: Any) -> None:
        """Draw each label's name at the centre of its points."""
        self._frame["_label"] = pd.Categorical([str(v) for v in labels])
        self._labels_on = True
        self.scatter.label(by="_label", align="center")

    def ndc(self) -> np.ndarray:
        """Each point's position in the renderer's normalised coordinates ([-1, 1], for tests)."""
        return np.asarray(self.widget.points)[:, :2].astype(np.float32)
