"""Two maps of the same items side by side, with clicks and selections linked.

Compare two models (the same texts embedded by two embedders), or two
projections of one embedding (UMAP vs t-SNE, two ``n_neighbors``): choose a
point on either map and both panels show its neighbours in their own space;
lasso a group on one map and the same items light up on the other.
:meth:`Comparison.neighbor_overlap` measures how much the two spaces agree.

Each map is shown as a column, its legend and side panel under it, so the two
maps sit side by side in a 1600 px JupyterLab with the file browser open, and
the two neighbour lists line up for reading against each other. A narrower
window puts the second column under the first rather than cutting it off.

>>> import numpy as np
>>> from embedkit import compare
>>> X = np.random.default_rng(0).normal(size=(20, 4))
>>> both = compare(X, X[:, :3], items=[str(i) for i in range(20)], method="pca", k=3)
>>> _ = both.left.select(4)
>>> both.right.chosen
4
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError
from embedkit.explorer._controls import _MAP_TOOLBAR_WIDTH, _SIDE_WIDTH
from embedkit.explorer._explorer import Explorer

__all__ = ["Comparison", "compare"]

# A column is at least this wide: the colour menu, search box and match buttons stay on one row.
_COLUMN_MIN_WIDTH = 484


class Comparison:
    """Two :class:`Explorer` maps of the same items, linked; display it like a widget."""

    def __init__(self, left: Explorer, right: Explorer):
        import ipywidgets as w

        if not isinstance(left, Explorer) or not isinstance(right, Explorer):
            raise InputError("compare() needs two Explorers, or two embedding arrays plus items=.")
        if len(left.X) != len(right.X):
            raise InputError(f"The two maps have {len(left.X)} and {len(right.X)} points; a "
                             "comparison needs the same items, in the same order, in both.")
        self.left, self.right = left, right
        self._busy = False
        for one, other in ((left, right), (right, left)):
            one.observe(lambda change, other=other: self._mirror_choice(other, change["new"]),
                        names="chosen")
            one.observe(lambda change, other=other: self._mirror_selection(other, change["new"]),
                        names="selected_indices")
        for explorer in (left, right):
            _as_column(explorer)
        # Wraps instead of overflowing: in a narrow window the right column goes under the left.
        self.widget = w.HBox([left.widget, right.widget],
                             layout=w.Layout(flex_flow="row wrap", max_width="100%"))

    def __repr__(self) -> str:
        return f"Comparison(left={self.left!r}, right={self.right!r})"

    def _mirror_choice(self, other: Explorer, i: int | None) -> None:
        if self._busy or i is None or other.chosen == i:
            return
        self._busy = True
        try:
            other.select(i)
        finally:
            self._busy = False

    def _mirror_selection(self, other: Explorer, indices: list[int]) -> None:
        if self._busy or list(other.selected_indices) == list(indices):
            return
        self._busy = True
        try:
            other.show_selection(indices)
            other.set_selection(indices)
        finally:
            self._busy = False

    def neighbor_overlap(self, k: int | None = None) -> np.ndarray:
        """Per point: the fraction of its k neighbours that both spaces agree on."""
        k = k or min(self.left.k, self.right.k)
        a, b = self.left.knn_graph(k)[0], self.right.knn_graph(k)[0]
        return (a[:, :, None] == b[:, None, :]).any(axis=2).mean(axis=1)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _as_column(explorer: Explorer) -> None:
    """Lay ``explorer`` out as one column: legend and side panel under the map, not beside it.

    Beside it, each Explorer is map + 390 px wide, and two no longer fit next to
    each other once JupyterLab's file browser is open (about 1170 px of output in a
    1600 px window): the right map went under the left, or (before wrapping) off screen.
    """
    body = next(child for child in explorer.widget.children
                if explorer.map.widget in getattr(child, "children", ()))
    body.layout.flex_flow = "column"
    side = explorer.map.widget.width
    side = side if isinstance(side, int) else 520
    width = max(_MAP_TOOLBAR_WIDTH + side, _SIDE_WIDTH) + 24
    explorer.widget.layout.width = f"{max(width, _COLUMN_MIN_WIDTH)}px"


def compare(left: Any, right: Any, items: Any = None, titles: tuple[str, str] | None = None,
            **explorer_args: Any) -> Comparison:
    """Link two Explorers, or build them from two embedding arrays of the same ``items``.

    ``explorer_args`` (labels, metadata, method, k, ...) go to both Explorers;
    to compare two projections, pass two Explorers made with different settings.

    >>> import numpy as np
    >>> X = np.random.default_rng(1).normal(size=(12, 5))
    >>> both = compare(X, X[:, :2], items=list("abcdefghijkl"), method="pca", k=2)
    >>> both.neighbor_overlap().shape
    (12,)
    """
    titles = titles or ("left", "right")
    # Two columns (484 px each) fit side by side in a 1600 px JupyterLab, file browser open.
    explorer_args.setdefault("map_size", 420)
    if not isinstance(left, Explorer):
        if items is None:
            raise InputError("Pass items= (one per row) when comparing two embedding arrays.")
        left = Explorer(left, items, title=titles[0], **explorer_args)
    if not isinstance(right, Explorer):
        if items is None:
            raise InputError("Pass items= (one per row) when comparing two embedding arrays.")
        right = Explorer(right, items, title=titles[1], **explorer_args)
    return Comparison(left, right)
