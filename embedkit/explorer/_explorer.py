"""The Explorer: an embedding map where every point can be inspected, searched and compared.

Shown in a notebook it is one ipywidgets layout around a jupyter-scatter map
(WebGL, binary data: 100,000s of points stay interactive): hover a point to
preview its item, click it to see the item and its nearest neighbours in the
ORIGINAL embedding space (not on the map, which distorts them), highlighted on
the map. Colour by a label, a metadata column, a cluster, or by faithfulness
(how many of a point's neighbours the map kept). Search (the map zooms to the
matches), lasso selection (``explorer.selected``, ``on_select``), a query box
with an attached embedder, projection controls and standalone HTML export.

This module wires the parts together: :mod:`._mapstate` (search, k-NN graph,
projections, faithfulness), :mod:`._items` (items, labels, metadata),
:mod:`._mapview` (the map), :mod:`._panel` (the side panel) and
:mod:`._controls` (the widgets). A first map never waits for UMAP or the graph:
PCA shows while they compute in a background thread. Maps arriving from it are
swapped in under the map lock, which every map change takes, and nothing waits
for that thread while holding it.

What changes at 1,000,000 points is listed in :mod:`embedkit.explorer`.

>>> import numpy as np
>>> from embedkit import Explorer
>>> X = np.random.default_rng(0).normal(size=(30, 5))
>>> explorer = Explorer(X, [f"item {i}" for i in range(30)], method="pca", k=3)
>>> explorer.neighbors_of(0).shape[0]
3
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import traitlets

from embedkit.errors import InputError, UnknownNameError, closest_names
from embedkit.explorer._controls import ExplorerControls
from embedkit.explorer._density import check_density_option, wants_contours
from embedkit.explorer._items import ItemTable
from embedkit.explorer._mapfigure import CHOSEN_COLOUR, QUERY_COLOUR
from embedkit.explorer._mapstate import DEFAULT_PARAMS, MapState, projection_settings
from embedkit.explorer._mapview import MapView
from embedkit.explorer._panel import panel_data, preview_data, static_panel_html
from embedkit.explorer._previews import ITEM_KINDS, guess_kind
from embedkit.memory import release_freed_memory
from embedkit.projection import PROJECTION_METHODS
from embedkit.validation import check_embeddings, check_k

__all__ = ["Explorer"]


class Explorer(traitlets.HasTraits):
    """An interactive map of ``embeddings`` whose points show the ``items`` they came from.

    Parameters: ``items`` are texts, image paths/arrays or audio paths
    (``kind`` "text" | "image" | "audio", guessed if None); ``labels`` a
    sequence or a ``metadata`` column name; ``show_label_names`` draws each
    label's name at the centre of its points (e.g. cluster names);
    ``metadata`` a DataFrame with one row per item; ``method`` "umap" | "pca" |
    "tsne"; ``k`` neighbours shown on click; ``embedder`` (fitted, with
    ``transform``) enables the query box; ``index`` (any object with
    ``search(queries, k) -> (scores, ids)``, e.g. a faiss index) answers the
    query box and the neighbour panel instead of exact search; ``map_size``
    the map's width and height in pixels; ``density_contours`` draws contour
    lines of the points' density (True, False, or None: automatic, on from
    ``DENSITY_AUTO_POINTS`` = 50,000 points, where the dense cores saturate).
    For what changes at 1,000,000 points (hover, lasso, export), see
    :mod:`embedkit.explorer`.

    The Explorer keeps its own float32 copy of ``embeddings`` (read-only), so
    changing the caller's array later cannot change the map. At a million
    points that copy is most of the map's memory: ``copy=False`` (as in
    scikit-learn) uses a float32 array in place instead, and then the
    caller must not edit it while the map is in use.

    Observe ``selected_indices`` (lasso selection) or ``chosen`` (click)
    with ``explorer.observe(callback, names="selected_indices")``.

    >>> import numpy as np
    >>> explorer = Explorer(np.eye(4) + 0.1, ["a", "b", "c", "<d>"], method="pca", k=2)
    >>> explorer.select(3)["item"].tolist()
    ['a', 'b']
    """

    selected_indices = traitlets.List(help="rows picked by lasso selection")
    chosen = traitlets.Int(None, allow_none=True, help="the clicked point, or None")

    def __init__(self, embeddings: Any, items: Any, labels: Any = None, metadata: Any = None,
                 kind: str | None = None, method: str = "umap", k: int = 8, embedder: Any = None,
                 title: str | None = None, color: str | None = None, random_state: int = 0,
                 faithfulness_k: int = 10, background: bool = True,
                 show_label_names: bool = False, index: Any = None, map_size: int = 520,
                 density_contours: bool | None = None, copy: bool = True, **params: Any):
        super().__init__()
        if not isinstance(copy, bool):
            raise InputError(f"copy must be True or False, got {copy!r}.")
        self.X = self._check_embeddings(embeddings, copy)
        n = len(self.X)
        self.table = ItemTable(items, labels, metadata, n)
        self.items, self.metadata = self.table.items, self.table.metadata
        self.labels, self.label_name = self.table.labels, self.table.label_name
        self.kind = kind or guess_kind(self.items)
        if self.kind not in ITEM_KINDS:
            raise InputError(f"kind must be one of {', '.join(ITEM_KINDS)}, got {self.kind!r}.")
        if method not in PROJECTION_METHODS:
            raise UnknownNameError(f"Unknown projection method {method!r}."
                                   f"{closest_names(str(method), PROJECTION_METHODS)}")
        if show_label_names and self.labels is None:
            raise InputError("show_label_names=True needs labels=... (one name per point).")
        if isinstance(map_size, bool) or not isinstance(map_size, int) or not 200 <= map_size <= 2000:
            raise InputError(f"map_size is the map's side in pixels, 200 to 2000; got {map_size!r}.")
        contours = wants_contours(check_density_option(density_contours), n)
        self.k = check_k(k, n - 1)
        self.faithfulness_k = check_k(faithfulness_k, n - 1, name="faithfulness_k")
        self.embedder, self.title, self.background = embedder, title or "", background
        self.show_label_names = bool(show_label_names)
        self._selection_callbacks: list[Callable[[pd.DataFrame], None]] = []
        self._matches, self._match_pos = np.array([], dtype=int), -1
        unknown = set(params) - set(DEFAULT_PARAMS)
        if unknown:
            raise InputError(f"Unknown parameter(s) {sorted(unknown)}; projection parameters are "
                             f"{', '.join(DEFAULT_PARAMS)}.")
        self.map_state = MapState(self.X, self.k, self.faithfulness_k, {
            "method": method, "random_state": random_state,
            **{key: params.get(key, value) for key, value in DEFAULT_PARAMS.items()}}, index=index)
        self._map_lock = threading.RLock()
        self._map = self.map_state.first_coords(background)  # (settings, coords), swapped whole
        self._query_mark: tuple[float, float] | None = None
        self.map = MapView(self.coords, width=map_size, height=map_size, on_click=self._on_click,
                           on_lasso=self._select, on_hover=self._on_hover)
        if self.show_label_names:
            self.map.label_names(self.labels)
        if contours:
            self.map.contours(True)
        self.controls = ExplorerControls(self, map_size)
        self.widget = self.controls.layout
        self.color_by(color or (self.label_name if self.labels is not None else None))
        self.controls.attach_map(self.map.widget)  # made now, coloured: its points are sent once
        release_freed_memory()
        if self.shown_method != method:
            self._start_projection(dict(self.projection))

    @property
    def coords(self) -> np.ndarray:
        """The map's coordinates, one row per point (the map shown now)."""
        return self._map[1]

    @property
    def shown_method(self) -> str:
        """The projection shown now: while another computes in the background, "pca"."""
        return self._map[0]["method"]

    @property
    def projection(self) -> dict:
        """The projection asked for last: method, random_state and its parameters."""
        return self.map_state.settings

    @projection.setter
    def projection(self, settings: dict) -> None:
        self.map_state.settings = settings

    # ----- input checks -------------------------------------------------------------------
    @staticmethod
    def _check_embeddings(embeddings: Any, copy: bool = True) -> np.ndarray:
        X = check_embeddings(embeddings)  # first: a ragged list gets a clear error, not numpy's
        if len(X) < 2:
            raise InputError(f"A map needs at least 2 points, got {len(X)}. Pass more embeddings; "
                             "to look at one item, use embedkit.nearest_neighbors.")
        if isinstance(embeddings, np.ndarray) and np.may_share_memory(X, embeddings):
            # The caller may edit their array; the map and its index must not change. Without
            # a copy, a view: the read-only flag below must not touch the caller's own array.
            X = X.copy() if copy else X.view()
        X.flags.writeable = False
        return X

    # ----- the data table ----------------------------------------------------------------
    @property
    def data(self) -> pd.DataFrame:
        """One row per point: item, label, metadata columns and map coordinates x, y."""
        frame = self.table.frame()
        coords = self.wait_for_map()
        frame["x"], frame["y"] = coords[:, 0], coords[:, 1]
        return frame

    def _rows(self, indices: Any, scores: Any = None) -> pd.DataFrame:
        return self.table.rows(indices, scores)

    # ----- neighbours (original space) ---------------------------------------------------
    def knn_graph(self, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every point's ``k`` nearest other points (exact cosine): ``(indices, scores)``.

        Computed once, cached on disk, and reused by the neighbour panel, the
        faithfulness score, UMAP and the HTML export (see :mod:`._mapstate`).
        """
        return self.map_state.knn_graph(k)

    def neighbors_of(self, i: int, k: int | None = None) -> pd.DataFrame:
        """Point ``i``'s nearest neighbours in the original space: index, score, item, labels."""
        i = self._check_point(i)
        indices, scores = self.map_state.neighbors(i, check_k(k or self.k, len(self.X) - 1))
        return self._rows(indices, scores)

    def _check_point(self, i: Any) -> int:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < len(self.X):
            raise InputError(f"Point {i!r} does not exist: choose 0 to {len(self.X) - 1}.")
        return int(i)

    # ----- clicks, hovers and selections -------------------------------------------------
    def _on_click(self, i: int) -> None:
        """The map reports a click on point ``i``."""
        self._choose(self._check_point(i))  # no DataFrame: nobody reads it

    def select(self, i: int) -> pd.DataFrame:
        """Choose point ``i``: fill the side panel, highlight it and its neighbours; return them."""
        return self._rows(*self._choose(self._check_point(i)))

    def _choose(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        indices, scores = self.map_state.neighbors(i, self.k)
        panel = panel_data(self.items, self.labels, self.kind, i, indices, scores)
        with self._map_lock:
            self._query_mark = None
            self.controls.show_panel(panel)  # first: the browser draws messages in order
            self._highlight(i, indices)
            self.chosen = i
        return indices, scores

    def _highlight(self, i: int | None, indices: Any) -> None:
        """Mark point ``i`` and its neighbours on the map shown now (under the map lock)."""
        coords = self.coords
        marks = [] if i is None else [(float(coords[i, 0]), float(coords[i, 1]), CHOSEN_COLOUR)]
        if self._query_mark is not None:
            marks.append((*self._query_mark, QUERY_COLOUR))
        self.map.mark(marks)
        self.map.show(([] if i is None else [i]) + [int(j) for j in indices])

    def panel(self, i: int) -> dict:
        """The side panel's content for point ``i`` as data (what the widget and the export draw)."""
        i = self._check_point(i)
        indices, scores = self.map_state.neighbors(i, self.k)
        return panel_data(self.items, self.labels, self.kind, i, indices, scores)

    def panel_html(self, i: int | None, indices: Any, scores: Any, query_item: Any = None) -> str:
        """The side panel as static, escaped HTML (to print or save; the widget draws it live)."""
        return static_panel_html(panel_data(self.items, self.labels, self.kind, i, indices, scores,
                                            query_item))

    def _on_hover(self, i: int | None) -> None:
        """The pointer rests on point ``i`` (None: on no point): fetch its preview."""
        self.controls.show_preview(None if i is None else
                                   preview_data(self.items, self.labels, self.kind, i))

    def set_selection(self, indices: Any) -> pd.DataFrame:
        """Make ``indices`` the selection (as the lasso does), tell every observer, return it."""
        self._select(indices)
        return self.selected

    def _select(self, indices: Any) -> None:
        """The lasso's path: the whole selection's DataFrame only if a callback wants it
        (at 300,000 lassoed points building it takes ~0.6 s; the table shows 50 rows)."""
        array = np.asarray(indices).ravel() if not isinstance(indices, (set, frozenset)) else None
        if array is not None and array.dtype.kind in "iu":  # a lasso of 100,000s: no Python loop
            if len(array) and not (0 <= array.min() and array.max() < len(self.X)):
                self._check_point(int(array[(array < 0) | (array >= len(self.X))][0]))  # raises
            array = np.sort(array.astype(np.int64))
            indices = array[np.concatenate([[True], array[1:] != array[:-1]])].tolist()
        else:
            indices = sorted({self._check_point(int(i)) for i in indices})
        self.selected_indices = indices
        self.controls.show_selection(self._rows(indices[:50]), len(indices))
        if self._selection_callbacks:
            frame = self.selected
            for callback in self._selection_callbacks:
                callback(frame)

    def show_selection(self, indices: Any) -> None:
        """Draw ``indices`` as the map's selection (as a lasso would, without the events)."""
        with self._map_lock:
            self.map.show(indices)

    @property
    def selected(self) -> pd.DataFrame:
        """The lasso selection as a DataFrame (index, item, labels, metadata)."""
        return self._rows(self.selected_indices)

    def on_select(self, callback: Callable[[pd.DataFrame], None]) -> None:
        """Call ``callback(selected_dataframe)`` whenever the selection changes."""
        self._selection_callbacks.append(callback)

    # ----- search and query --------------------------------------------------------------
    def search(self, text: str) -> np.ndarray:
        """Highlight the points whose item, label or metadata contains ``text`` (any case) and
        zoom the map to them."""
        matches = self.table.search(text)
        with self._map_lock:
            self._matches, self._match_pos = matches, -1
            self.map.show(matches)
            self.map.zoom_to(matches)
        self.controls.show_matches(len(matches))
        return matches

    def step_match(self, step: int = 1) -> int | None:
        """Choose the next (``step=1``) or previous (``-1``) search match; return its index."""
        if not len(self._matches):
            return None
        self._match_pos = (self._match_pos + step) % len(self._matches)
        chosen = int(self._matches[self._match_pos])
        self.select(chosen)
        self.map.zoom_to([chosen, *self.map_state.neighbors(chosen, self.k)[0]])
        self.controls.show_matches(len(self._matches), self._match_pos)
        return chosen

    def query(self, item: Any) -> pd.DataFrame:
        """Embed ``item`` with the attached embedder, place it on the map, show its neighbours.

        The map position is the similarity-weighted mean of its neighbours' positions
        (projections such as t-SNE cannot place new points exactly).
        """
        if self.embedder is None:
            raise InputError("This Explorer has no embedder: create it with embedder=... "
                             "(the model that made the embeddings) to use the query box.")
        vector = np.asarray(self.embedder.transform([item]), dtype=np.float32)
        if vector.ndim != 2 or vector.shape[-1] != self.X.shape[1]:
            raise InputError(f"The embedder gives {vector.shape[-1]} dimensions but the map's "
                             f"embeddings have {self.X.shape[1]}: attach the same model.")
        indices, scores = self.map_state.query(vector[0], self.k)
        weights = np.clip(scores, 1e-6, None)
        with self._map_lock:
            coords = self.coords
            where = (coords[indices] * weights[:, None]).sum(axis=0) / weights.sum()
            self._query_mark = (float(where[0]), float(where[1]))
            self._highlight(None, indices)
            self.chosen = None
        self.controls.show_panel(panel_data(self.items, self.labels, self.kind, None, indices,
                                            scores, query_item=item))
        return self._rows(indices, scores)

    # ----- colour -------------------------------------------------------------------------
    def color_options(self) -> list[str]:
        """Names :meth:`color_by` accepts."""
        return ["none", *self.table.column_names(), "cluster", "faithfulness"]

    def color_by(self, name: str | None) -> None:
        """Colour points by a label or metadata column, "cluster", "faithfulness" or "none"."""
        name = name or "none"
        options = self.color_options()
        if name not in options:
            raise UnknownNameError(f"Cannot colour by {name!r}.{closest_names(name, options)} "
                                   f"Choose one of {', '.join(options)}.")
        while True:
            shown, score = self._map, None
            if name == "none":
                values = None
            elif name == "cluster":
                values = self.clusters()
            elif name == "faithfulness":  # may wait for a map: never under the lock
                values, score = self.faithfulness(), self.faithfulness_score()
            else:
                values = self.table.column(name)
            with self._map_lock:
                if self._map is shown:  # else a new map arrived meanwhile: score that one
                    self.color_name = name
                    self.controls.apply_colors(name, values, score)
                    return

    def clusters(self, n_clusters: int = 8) -> np.ndarray:
        """Seeded k-means clusters of the (unit) embeddings, computed once."""
        return self.map_state.clusters(n_clusters)

    # ----- projection and faithfulness ----------------------------------------------------
    def set_projection(self, method: str | None = None, background: bool | None = None,
                       **params: Any) -> None:
        """Recompute the map with another method/parameters (cached in memory and on disk)."""
        settings = projection_settings(self.projection, method, **params)
        with self._map_lock:  # a map arriving now sees the new request
            self.projection = settings
        background = self.background if background is None else background
        found = self.map_state.cached(settings, compute_graph=not background)
        if found is not None or not background:
            self._show(settings, found if found is not None else self.map_state.compute(settings))
        else:
            self._start_projection(settings)

    def _start_projection(self, settings: dict) -> None:
        slow = (" (the neighbour graph, then UMAP: a first UMAP in a new kernel compiles code"
                " for ~15 s)" if settings["method"] == "umap" else "")
        self.controls.show_status(f"Computing {settings['method'].upper()} in the background{slow}…")
        self.map_state.start(settings, self._show,
                             lambda error: self.controls.show_status(f"Projection failed: {error}"))

    def _show(self, settings: dict, coords: np.ndarray) -> None:
        """Swap a map in, with its highlights moved along (called from the background thread too).

        The chosen point is redrawn here rather than by :meth:`select`, so this
        thread never sets a trait of the Explorer (whose observers, such as a
        linked map, belong to the kernel's own thread).
        """
        self.map_state.remember(settings, coords)
        with self._map_lock:
            if settings != self.projection:
                return  # a newer request replaced this one
            self._map = (dict(settings), coords)
            chosen = self.chosen
            indices = [] if chosen is None else self.map_state.neighbors(chosen, self.k)[0]
            self._query_mark = None  # placed on the old map
            self.map.move(coords)
            self._highlight(chosen, indices)
        release_freed_memory()  # the projection's temporaries
        if self.color_name == "faithfulness":
            self.color_by("faithfulness")
        self.controls.show_status(f"Map: {settings['method'].upper()}"
                                  + self.controls.score_text())

    def wait_for_map(self, timeout: float | None = None) -> np.ndarray:
        """Block until a background projection has finished; return the map coordinates."""
        self.map_state.wait(timeout)
        return self.coords

    def faithfulness(self, k: int | None = None) -> np.ndarray:
        """Per point: the fraction of its k high-D neighbours that are among its k map neighbours.

        Above ``GRAPH_MAX_POINTS`` (see :mod:`._mapstate`) a seeded sample is scored; the others get NaN.
        """
        self.wait_for_map()
        settings, coords = self._map
        return self.map_state.faithfulness(coords, settings, k)

    def faithfulness_score(self, k: int | None = None) -> dict[str, float | None]:
        """Overall: mean kept-neighbour fraction, and scikit-learn's trustworthiness (small maps)."""
        self.wait_for_map()
        settings, coords = self._map
        return self.map_state.faithfulness_score(coords, settings, k)

    # ----- display and export -------------------------------------------------------------
    def to_html(self, path: Any, title: str | None = None) -> Any:
        """Write a standalone, offline HTML page of this map (click shows neighbours)."""
        from embedkit.explorer._export import export_html

        return export_html(self, path, title=title)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return (f"Explorer({len(self.X)} {self.kind} items x {self.X.shape[1]} dims, "
                f"map={self.shown_method}, k={self.k})")
