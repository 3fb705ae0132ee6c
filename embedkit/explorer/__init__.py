"""The Explorer subsystem: an interactive embedding map, two linked maps, and a standalone export.

Public names (re-exported from :mod:`embedkit`): :class:`Explorer`, :func:`compare`,
:class:`Comparison`, :func:`export_html`. Everything else in this package is private
(modules starting with ``_``): one module per idea, so a reader can guess the file.

- ``_explorer``: the Explorer (wires the parts together)
- ``_mapstate``: the neighbour search, k-NN graph, projections, faithfulness
- ``_items``: items, labels and metadata as a table
- ``_previews``: one item (text, image, audio) as safe HTML / data URIs
- ``_controls``: the ipywidgets layout around the map
- ``_mapview``: the live jupyter-scatter map and its events
- ``_density``: density contour lines (binned KDE + contourpy)
- ``_mapfigure``: colours and the static (plotly) figure of the export
- ``_export``: the standalone offline HTML page
- ``_compare``: two linked Explorers

Large maps. At 1,000,000 points (measured with ``benchmarks/bench_explorer_browser.py``
and ``bench_explorer.py --parts memory``; see benchmarks/README.md) the map
draws, pans, zooms and answers clicks like plain jupyter-scatter on the same
data, and builds in about twice its time. What changes with size:

- points are drawn at 1 px (:func:`._mapview.point_size`), and from
  ``DENSITY_AUTO_POINTS`` (50,000) density contours show where they pile up;
- hover previews still come one point at a time (no per-point data is sent),
  but hitting one 1 px point needs zooming in first;
- a click searches all rows exactly (no k-NN graph above ``GRAPH_MAX_POINTS``,
  20,000): ~40-55 ms in the kernel at 1M x 64; a user's ``index=`` (faiss
  HNSW) makes it sub-millisecond;
- the selection table lists a lasso's first 50 rows (``explorer.selected``
  has them all);
- faithfulness scores a seeded sample of 3,000 points; PCA and k-means are
  fitted on a 100,000-point sample and applied block by block;
- the default UMAP computes in the background while PCA shows; at 1M that is
  a long job (not timed here): pass ``method="pca"`` for a first look;
- ``to_html`` stops with a clear error above ``EXPORT_MAX_POINTS`` (200,000):
  the page embeds every point's item and exact neighbours;
- a lasso of 300,000 points reaches Python in ~80 ms; label names
  (``show_label_names``) take ~1 s to place.

Kernel memory: the caller's array, the Explorer's own float32 copy of it, and
about 0.75x the data for the map (plain jupyter-scatter on the same data adds
0.55x; 0.31x of both is jupyter-scatter's float64 point arrays).

>>> from embedkit.explorer import Explorer
>>> Explorer.__module__
'embedkit.explorer._explorer'
"""

from embedkit.explorer._compare import Comparison, compare
from embedkit.explorer._explorer import Explorer
from embedkit.explorer._export import export_html

__all__ = ["Comparison", "Explorer", "compare", "export_html"]
