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

>>> from embedkit.explorer import Explorer
>>> Explorer.__module__
'embedkit.explorer._explorer'
"""

from embedkit.explorer._compare import Comparison, compare
from embedkit.explorer._explorer import Explorer
from embedkit.explorer._export import export_html

__all__ = ["Comparison", "Explorer", "compare", "export_html"]
