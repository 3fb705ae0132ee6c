"""Save an Explorer's map as one standalone HTML file: offline, no kernel needed.

The page carries plotly.js inline, the map (coordinates as binary typed arrays,
no per-point hover strings), and every point's nearest neighbours precomputed
in the original space (the Explorer's k-NN graph, reused), so hovering and
clicking work from a file opened anywhere, on a page where widgets cannot
run, or with no network at all. The neighbour panel and the hover preview are
drawn by the SAME JavaScript renderer as the live widget's
(:mod:`._panel_assets`), from data in the same shape as :func:`._panel.panel_data`.

User data stays data: the figure and the neighbour lists are embedded as JSON
inside ``<script type="application/json">`` with ``<``, ``>`` and ``&``
escaped, so no item text can close the script tag; the renderer puts item text
on screen with ``textContent`` only, and uses only the ``data:`` URIs embedkit
made itself as image and audio sources.

>>> from embedkit.explorer._export import safe_json
>>> "<" in safe_json({"text": "</script><script>alert(1)</script>"})
False
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np

from embedkit.errors import InputError
from embedkit.explorer._mapfigure import color_values, static_figure
from embedkit.explorer._panel import item_data
from embedkit.explorer._panel_assets import PANEL_CSS, PANEL_JS

__all__ = ["EXPORT_MAX_POINTS", "export_html", "safe_json"]

#: Larger maps are not exported: the page embeds every point's item and its exact
#: neighbours (an all-pairs search, growing with the square of the points).
EXPORT_MAX_POINTS = 200_000

#: Audio is inlined only while the page stays below this size.
MAX_EMBEDDED_AUDIO_BYTES = 30_000_000


def _script_safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def safe_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``<``, ``>``, ``&``)."""
    return _script_safe(json.dumps(value, ensure_ascii=False, default=_plain))


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _items(explorer: Any) -> tuple[list[str], list[str | None]]:
    """Per item: the text shown (the text, or a file name and length) and its media data URI."""
    kind = explorer.kind
    if kind == "audio":
        sizes = [Path(str(p)).stat().st_size if Path(str(p)).is_file() else 0 for p in explorer.items]
        if sum(sizes) > MAX_EMBEDDED_AUDIO_BYTES:
            kind = "audio-names-only"
    texts, media = [], []
    for item in explorer.items:
        if kind == "audio-names-only":
            entry = item_data(item, "text")
            entry["text"] = Path(str(item)).name
        else:
            entry = item_data(item, kind, size=128)
        texts.append(entry["text"])
        media.append(entry.get("media"))
    return texts, media


def _colours(explorer: Any) -> tuple[Any, str | None]:
    name = getattr(explorer, "color_name", "none")
    if name == "none":
        return None, None
    if name == "faithfulness":
        values = np.nan_to_num(explorer.faithfulness(), nan=0.0).astype(np.float32)
        return values, "RdYlGn"
    values = explorer.clusters() if name == "cluster" else explorer.table.column(name)
    how, result = color_values(values)
    if how == "scale":
        return result, "Viridis"
    names, palette, _ = result
    return [palette[n] for n in names], None


def export_html(explorer: Any, path: Any, title: str | None = None) -> Path:
    """Write ``explorer``'s map, previews and neighbour lists to ``path``; return the path.

    >>> import numpy as np, tempfile, os
    >>> from embedkit import Explorer
    >>> explorer = Explorer(np.eye(5) + 0.1, list("abcde"), method="pca", k=2)
    >>> out = export_html(explorer, os.path.join(tempfile.mkdtemp(), "map.html"))
    >>> out.read_text().count("ek-data") > 0
    True
    """
    from plotly.offline import get_plotlyjs

    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"Export to an .html file, got {path.name!r}.")
    if len(explorer.X) > EXPORT_MAX_POINTS:
        raise InputError(
            f"This map has {len(explorer.X):,} points; a standalone page holds at most "
            f"{EXPORT_MAX_POINTS:,} (it embeds every item and its exact neighbours). Export a "
            "sample instead: rows = np.random.default_rng(0).choice(n, 100_000, replace=False); "
            "Explorer(X[rows], [items[i] for i in rows], ...).to_html(path).")
    explorer.wait_for_map()
    indices, scores = explorer.knn_graph(explorer.k)
    colours, scale = _colours(explorer)
    # Built fresh (no widget state carried over), with the live map's density contours.
    figure = static_figure(explorer.coords, colours, scale, contours=explorer.map.contour_lines)
    texts, media = _items(explorer)
    payload = {
        "kind": "text" if explorer.kind == "audio" and not any(media) else explorer.kind,
        "k": int(indices.shape[1]),
        "texts": texts,
        "labels": None if explorer.labels is None else [str(v) for v in explorer.labels],
        "media": media,
        "neighbors": indices.astype(np.int32),
        "scores": np.round(scores.astype(float), 4),
        "x": explorer.coords[:, 0].astype(float),
        "y": explorer.coords[:, 1].astype(float),
    }
    heading = html.escape(title or explorer.title or "Embedding map", quote=False)
    page = _TEMPLATE.format(
        title=heading, plotly=get_plotlyjs(), figure=_script_safe(figure.to_json()),
        data=safe_json(payload), panel_js=PANEL_JS, panel_css=PANEL_CSS, script=_SCRIPT,
        method=html.escape(explorer.shown_method.upper()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(page, encoding="utf-8")
    partial.replace(path)  # never a half-written page under the user's name
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; media-src data:; font-src data:">
<title>{title}</title>
<style>
body {{font-family: sans-serif; margin: 12px;}}
#ek-wrap {{display: flex; gap: 12px;}}
#ek-map {{flex: 1 1 auto; min-width: 400px; height: 600px;}}
#ek-side {{width: 360px; max-height: 600px; overflow-y: auto;}}
{panel_css}
</style></head>
<body><h3>{title} <small>({method}; drag to pan, wheel to zoom, click a point to see its nearest neighbours in the original space)</small></h3>
<div id="ek-wrap"><div id="ek-map"></div><div id="ek-side" class="ek-side"><div id="ek-preview"></div><div id="ek-panel"></div></div></div>
<script>{plotly}</script>
<script type="application/json" id="ek-figure">{figure}</script>
<script type="application/json" id="ek-data">{data}</script>
<script>{panel_js}</script>
<script>{script}</script>
</body></html>
"""

# Builds the same panel/preview objects as embedkit.explorer._panel and draws them
# with the shared renderer (ekRenderPanel / ekRenderPreview).
_SCRIPT = r"""
(function () {
  const fig = JSON.parse(document.getElementById('ek-figure').textContent);
  const data = JSON.parse(document.getElementById('ek-data').textContent);
  const panelEl = document.getElementById('ek-panel');
  const previewEl = document.getElementById('ek-preview');
  function label(j) { return data.labels ? data.labels[j] : null; }
  function item(j) { return {kind: data.kind, text: data.texts[j], media: data.media[j]}; }
  function show(i) {
    const gd = document.getElementById('ek-map');
    const nb = data.neighbors[i], sc = data.scores[i];
    ekRenderPreview(previewEl, null);
    ekRenderPanel(panelEl, {
      point: i, title: 'Point ' + i + (label(i) !== null ? ' · ' + label(i) : ''), item: item(i),
      caption: nb.length + ' nearest neighbours (cosine, original space)',
      neighbours: nb.map(function (j, r) { return {index: j, score: sc[r], label: label(j), item: item(j)}; }),
    });
    panelEl.dataset.point = i;
    Plotly.restyle(gd, {x: [nb.map(j => data.x[j]), [data.x[i]]], y: [nb.map(j => data.y[j]), [data.y[i]]]}, [1, 2]);
  }
  ekRenderPanel(panelEl, null);
  ekRenderPreview(previewEl, null);
  Plotly.newPlot('ek-map', fig.data, fig.layout, {responsive: true, scrollZoom: true}).then(function (gd) {
    gd.on('plotly_click', function (ev) {
      const p = ev.points.find(q => q.curveNumber === 0);
      if (p) show(p.pointIndex);
    });
    gd.on('plotly_hover', function (ev) {
      const p = ev.points.find(q => q.curveNumber === 0);
      if (p) ekRenderPreview(previewEl, {point: p.pointIndex, item: item(p.pointIndex),
        title: 'Under the pointer: point ' + p.pointIndex + (label(p.pointIndex) !== null ? ' · ' + label(p.pointIndex) : '')});
    });
    gd.on('plotly_unhover', function () { ekRenderPreview(previewEl, null); });
    window.embedkitMap = {show: show, data: data};
    document.body.dataset.ready = '1';
  });
})();
"""
