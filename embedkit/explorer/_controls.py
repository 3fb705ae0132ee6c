"""The ipywidgets around an Explorer's map: controls, legend, side panel, status line.

Kept apart from :mod:`._explorer` so the Explorer's logic (neighbours,
selection, projection) reads without widget plumbing. Every widget here only
forwards to a public Explorer method, so whatever a learner can click, a test
or a notebook cell can call.

Layout, compact so a 1000 px tall window shows it whole: one row of controls
and the status line above the map; the legend and the side panel (hover
preview, then the clicked point's neighbours) beside it; projection settings
and the selection table folded below.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from embedkit.explorer._mapfigure import color_values
from embedkit.explorer._panel import PanelView

__all__ = ["ExplorerControls"]

_SIDE_WIDTH = 330
# jupyter-scatter draws its buttons (pan, lasso, reset...) in a column left of the canvas.
_MAP_TOOLBAR_WIDTH = 36


def _legend_html(entries: list[tuple[str, str]], title: str = "") -> str:
    # Names are user data: escaped for HTML text (no &quot; where no attribute is involved).
    rows = "".join(f'<div class="ek-legend-entry" style="white-space:nowrap;overflow:hidden;'
                   f'text-overflow:ellipsis"><span style="display:inline-block;width:10px;height:10px;'
                   f'border-radius:5px;background:{colour};margin-right:4px"></span>'
                   f'{html.escape(name, quote=False)}</div>' for name, colour in entries)
    head = f"<b>{html.escape(title, quote=False)}</b>" if title else ""
    return f'<div class="ek-legend" style="font-size:12px;columns:2;max-height:120px;overflow-y:auto">{head}{rows}</div>'


class ExplorerControls:
    """Builds the layout and turns widget events into Explorer calls."""

    def __init__(self, explorer: Any, map_size: int = 520):
        import ipywidgets as w

        self.explorer = explorer
        self._score = ""
        settings = explorer.projection
        self.colour = w.Dropdown(options=explorer.color_options(), description="Colour",
                                 layout=w.Layout(width="210px"))
        self.search_box = w.Text(placeholder="search items, labels…", layout=w.Layout(width="180px"),
                                 continuous_update=False)
        self.previous = w.Button(description="◀", layout=w.Layout(width="34px"), tooltip="previous match")
        self.next = w.Button(description="▶", layout=w.Layout(width="34px"), tooltip="next match")
        self.matches = w.HTML("")
        self.method = w.Dropdown(options=[("UMAP", "umap"), ("PCA", "pca"), ("t-SNE", "tsne")],
                                 value=settings["method"], description="Method",
                                 layout=w.Layout(width="180px"))
        self.n_neighbors = w.IntSlider(value=settings["n_neighbors"], min=2, max=100,
                                       description="n_neighbors")
        self.min_dist = w.FloatSlider(value=settings["min_dist"], min=0.0, max=0.99, step=0.05,
                                      description="min_dist")
        self.perplexity = w.FloatSlider(value=settings["perplexity"], min=2, max=100, step=1,
                                        description="perplexity")
        self.seed = w.BoundedIntText(value=settings["random_state"], min=0, max=2**31 - 1,
                                     description="seed", layout=w.Layout(width="160px"))
        self.recompute = w.Button(description="Recompute map", button_style="primary")
        self.query_box = w.Text(placeholder="type a text (or a file path) to place it",
                                layout=w.Layout(width="330px"), continuous_update=False)
        self.query_button = w.Button(description="Place query")
        self.side = PanelView(layout=w.Layout(width=f"{_SIDE_WIDTH}px"))
        self.legend = w.HTML("", layout=w.Layout(width=f"{_SIDE_WIDTH}px"))
        self.status = w.HTML("")
        self.score = w.HTML("")
        self.table = w.HTML("<i>Lasso some points (the lasso button left of the map) to list "
                            "them here.</i>")

        self._syncing = False
        self.colour.observe(lambda change: None if self._syncing else explorer.color_by(change["new"]),
                            names="value")
        self.search_box.observe(lambda change: explorer.search(change["new"]), names="value")
        self.previous.on_click(lambda _: explorer.step_match(-1))
        self.next.on_click(lambda _: explorer.step_match(1))
        self.recompute.on_click(lambda _: self._recompute())
        self.query_button.on_click(lambda _: self._query())
        self.query_box.observe(lambda change: self._query() if change["new"] else None, names="value")

        projection = w.VBox([w.HBox([self.method, self.seed, self.recompute]),
                             w.HBox([self.n_neighbors, self.min_dist]), self.perplexity])
        tools = w.Accordion(children=[projection, self.table],
                            titles=("Projection settings", "Selection table"))
        tools.selected_index = None
        rows = [w.HBox([self.colour, self.search_box, self.previous, self.next, self.matches],
                       layout=w.Layout(flex_flow="row wrap"))]
        if explorer.embedder is not None:
            rows.append(w.HBox([self.query_box, self.query_button]))
        title = (w.HTML(f"<b>{html.escape(explorer.title, quote=False)}</b>") if explorer.title
                 else w.HTML(""))
        side = w.VBox([self.legend, self.side])
        width = _MAP_TOOLBAR_WIDTH + map_size + _SIDE_WIDTH + 24
        self._map_row = w.HBox([side])  # the map goes first once coloured (see attach_map)
        self.layout = w.VBox([title, *rows, w.HBox([self.status, self.score]), self._map_row, tools],
                             layout=w.Layout(width=f"{width}px", max_width="100%"))

    def attach_map(self, map_widget: Any) -> None:
        """Put the map widget into the layout (made last: see :mod:`._mapview`)."""
        self._map_row.children = (map_widget, *self._map_row.children)

    # ----- widget events -> Explorer ------------------------------------------------------
    def _recompute(self) -> None:
        self.explorer.set_projection(method=self.method.value, n_neighbors=self.n_neighbors.value,
                                     min_dist=self.min_dist.value, perplexity=self.perplexity.value,
                                     random_state=self.seed.value)

    def _query(self) -> None:
        text = self.query_box.value.strip()
        if not text:
            return
        try:
            self.explorer.query(text)
        except Exception as error:  # noqa: BLE001 - the learner sees why in the status line
            self.show_status(f"Query failed: {error}")

    # ----- Explorer -> widgets ------------------------------------------------------------
    def show_panel(self, panel: dict) -> None:
        """A click's panel replaces the hover preview, so the preview cannot pass for it."""
        with self.side.hold_sync():
            self.side.preview = None
            self.side.panel = panel

    def show_preview(self, preview: dict | None) -> None:
        self.side.preview = preview

    def show_status(self, text: str) -> None:
        self.status.value = f"<span style='color:#555'>{html.escape(text, quote=False)}</span>"

    def show_selection(self, frame: Any, count: int) -> None:
        """The selection table: ``frame`` holds the first rows of the ``count`` selected."""
        self.show_status(f"{count} point(s) selected: see explorer.selected")
        shown = frame.head(50).assign(item=frame["item"].head(50).map(lambda v: str(v)[:120]))
        more = f"<i>… and {count - 50} more (explorer.selected has all)</i>" if count > 50 else ""
        self.table.value = (shown.to_html(index=False, escape=True, border=0) + more if count
                            else "<i>Nothing selected.</i>")

    def show_matches(self, count: int, position: int = -1) -> None:
        where = f"{position + 1} of {count}" if position >= 0 else f"{count} match(es)"
        self.matches.value = f"<span>{where}</span>" if count or self.search_box.value else ""

    def score_text(self) -> str:
        return self._score

    def apply_colors(self, name: str, values: Any, scores: dict | None = None) -> None:
        """Colour the points; categorical values also get a legend.

        For "faithfulness", ``scores`` is the map's :meth:`Explorer.faithfulness_score`.
        """
        view = self.explorer.map
        self._score = ""
        self.score.value = ""
        if values is None:
            view.color(None)
            self.legend.value = ""
        elif name == "faithfulness":
            scores = scores or self.explorer.faithfulness_score()
            shown = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32), nan=0.0), 0, 1)
            view.color(shown, scale="RdYlGn", limits=(0.0, 1.0))
            self.legend.value = ("<div class='ek-legend' style='font-size:12px'>kept neighbours: "
                                 "<span style='color:#d73027'>■ 0%</span> … "
                                 "<span style='color:#1a9850'>■ 100%</span></div>")
            trust = scores["trustworthiness"]
            self._score = (f" · faithfulness: on average {scores['kept_fraction']:.0%} of each "
                           f"point's {self.explorer.faithfulness_k} nearest neighbours stay its "
                           "neighbours on the map"
                           + (f" (trustworthiness {trust:.3f})" if trust is not None else ""))
            self.score.value = f"<b>{html.escape(self._score.strip(' ·'), quote=False)}</b>"
        else:
            how, result = color_values(values)
            if how == "scale":
                low, high = float(np.min(result)), float(np.max(result))
                view.color(result, scale="viridis", limits=(low, high if high > low else low + 1))
                self.legend.value = (f"<div class='ek-legend' style='font-size:12px'>"
                                     f"{html.escape(name, quote=False)}: {low:.3g} (purple) … "
                                     f"{high:.3g} (yellow)</div>")
            else:
                names, palette, legend = result
                view.color(names, palette=palette)
                self.legend.value = _legend_html(legend, name)
        if self.colour.value != name:
            self._syncing = True  # reflect a call from code in the dropdown without re-colouring
            try:
                self.colour.value = name
            finally:
                self._syncing = False
