"""The ipywidgets around an Explorer's map: controls, side panel, status line.

Kept apart from :mod:`embedkit.explorer` so the Explorer's logic (neighbours,
selection, projection) reads without widget plumbing. Every widget here only
forwards to a public Explorer method, so whatever a learner can click, a test
or a notebook cell can call.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from embedkit.explorer._mapfigure import POINTS, color_values, legend_traces
from embedkit.explorer._previews import hover_text, item_html

__all__ = ["ExplorerControls", "PANEL_CSS", "neighbour_panel"]

PANEL_CSS = """<style>
.ek-panel {font-size: 13px; line-height: 1.35; overflow-wrap: anywhere;}
.ek-panel h4 {margin: 4px 0;}
.ek-neighbours {padding-left: 18px; margin: 0;}
.ek-neighbour {margin-bottom: 6px;}
.ek-score {font-family: monospace; background: #eef; padding: 0 3px;}
.ek-image {max-width: 100%; image-rendering: auto; display: block;}
.ek-missing {color: #a00;}
</style>"""


def neighbour_panel(explorer: Any, i: int | None, indices: Any, scores: Any,
                    query_item: Any = None) -> str:
    """The side panel's HTML: point ``i`` (or a query) and its neighbours, all escaped."""
    items, labels, kind = explorer.items, explorer.labels, explorer.kind
    head = item_html(items[i] if i is not None else query_item, kind, size=192)
    title = f"Point {i}" if i is not None else "Query"
    if i is not None and labels is not None:
        title += f" · {hover_text(labels[i], 'text', width=60)}"
    rows = []
    for rank, (j, score) in enumerate(zip(indices, scores), start=1):
        label = "" if labels is None else f" <i>{hover_text(labels[j], 'text', width=40)}</i>"
        rows.append(f'<li class="ek-neighbour" data-index="{int(j)}"><b>{rank}.</b> '
                    f'<span class="ek-score">{float(score):.3f}</span> #{int(j)}{label}'
                    f'{item_html(items[j], kind, size=72)}</li>')
    return (f'<div class="ek-panel"><h4>{title}</h4>{head}<h4>{len(rows)} nearest neighbours '
            f'(cosine, original space)</h4><ol class="ek-neighbours">{"".join(rows)}</ol></div>')


class ExplorerControls:
    """Builds the layout and turns widget events into Explorer calls."""

    def __init__(self, explorer: Any):
        import ipywidgets as w

        self.explorer = explorer
        self._score = ""
        settings = explorer.projection
        self.colour = w.Dropdown(options=explorer.color_options(), description="Colour",
                                 layout=w.Layout(width="230px"))
        self.search_box = w.Text(placeholder="search items, labels…", layout=w.Layout(width="200px"),
                                 continuous_update=False)
        self.previous = w.Button(description="◀", layout=w.Layout(width="36px"), tooltip="previous match")
        self.next = w.Button(description="▶", layout=w.Layout(width="36px"), tooltip="next match")
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
        self.panel = w.HTML(PANEL_CSS + "<i>Click a point to see its nearest neighbours.</i>",
                            layout=w.Layout(width="340px", max_height="560px", overflow="auto"))
        self.preview = w.HTML("", layout=w.Layout(width="340px"))
        self.status = w.HTML("")
        self.score = w.HTML("")

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
        tools = w.Accordion(children=[projection], titles=("Projection settings",))
        tools.selected_index = None
        rows = [w.HBox([self.colour, self.search_box, self.previous, self.next, self.matches])]
        if explorer.embedder is not None:
            rows.append(w.HBox([self.query_box, self.query_button]))
        side = w.VBox([self.preview, self.panel])
        title = w.HTML(f"<b>{html.escape(explorer.title)}</b>") if explorer.title else w.HTML("")
        self.layout = w.VBox([title, *rows, w.HBox([explorer.figure, side]), self.score,
                              self.status, tools])

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
    def show_panel(self, panel_html: str) -> None:
        self.panel.value = PANEL_CSS + panel_html

    def show_preview(self, preview_html: str) -> None:
        self.preview.value = preview_html

    def show_status(self, text: str) -> None:
        self.status.value = f"<span style='color:#555'>{html.escape(text)}</span>"

    def show_matches(self, count: int, position: int = -1) -> None:
        where = f"{position + 1} of {count}" if position >= 0 else f"{count} match(es)"
        self.matches.value = f"<span>{where}</span>" if count or self.search_box.value else ""

    def score_text(self) -> str:
        return self._score

    def apply_colors(self, name: str, values: Any, scores: dict | None = None) -> None:
        """Colour the points layer; categorical values also get legend entries.

        For "faithfulness", ``scores`` is the map's :meth:`Explorer.faithfulness_score`.
        """
        figure = self.explorer.figure
        self._score = ""
        marker: dict[str, Any]
        legend: list = []
        if values is None:
            marker = dict(color="#1f77b4", colorscale=None, showscale=False)
        elif name == "faithfulness":
            scores = scores or self.explorer.faithfulness_score()
            shown = np.nan_to_num(np.asarray(values, dtype=float), nan=-0.01)
            marker = dict(color=shown, colorscale="RdYlGn", cmin=0, cmax=1, showscale=True,
                          colorbar=dict(title=dict(text="kept"), thickness=12))
            trust = scores["trustworthiness"]
            self._score = (f" · faithfulness: on average {scores['kept_fraction']:.0%} of each "
                           f"point's {self.explorer.faithfulness_k} nearest neighbours stay its "
                           "neighbours on the map"
                           + (f" (trustworthiness {trust:.3f})" if trust is not None else ""))
            self.score.value = f"<b>{html.escape(self._score.strip(' ·'))}</b>"
        else:
            how, result = color_values(values)
            if how == "scale":
                marker = dict(color=result, colorscale="Viridis", showscale=True,
                              colorbar=dict(title=dict(text=html.escape(name)), thickness=12))
            else:
                colors, legend = result
                marker = dict(color=colors, colorscale=None, showscale=False)
        if name != "faithfulness":
            self.score.value = ""
        figure.data[POINTS].marker.update(marker)
        if len(figure.data) > 5:
            figure.data = figure.data[:5]
        if legend:
            figure.add_traces(legend_traces(legend))
        if self.colour.value != name:
            self._syncing = True  # reflect a call from code in the dropdown without re-colouring
            try:
                self.colour.value = name
            finally:
                self._syncing = False
