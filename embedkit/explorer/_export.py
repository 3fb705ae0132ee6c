"""Save an Explorer's map as one standalone HTML file: offline, no kernel needed.

The page carries plotly.js inline, the figure, and every point's nearest
neighbours precomputed in the original space (the Explorer's k-NN graph,
reused), so hovering and clicking work from a file opened anywhere, on a
page where widgets cannot run, or with no network at all.

User data stays data: the figure and the neighbour lists are embedded as JSON
inside ``<script type="application/json">`` with ``<``, ``>`` and ``&``
escaped, so no item text can close the script tag; the page's script then
puts item text on screen with ``textContent`` only, never as HTML, and uses
only the ``data:`` URIs embedkit made itself as image and audio sources.

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
from embedkit.explorer._previews import audio_duration, audio_player, image_thumbnail

__all__ = ["export_html", "safe_json"]

#: Audio is inlined only while the page stays below this size.
MAX_EMBEDDED_AUDIO_BYTES = 30_000_000


def safe_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``<``, ``>``, ``&``)."""
    text = json.dumps(value, ensure_ascii=False, default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _media(explorer: Any) -> list[str | None]:
    """Per item: a data URI (image thumbnail / audio clip) or None."""
    if explorer.kind == "image":
        out: list[str | None] = []
        for item in explorer.items:
            try:
                out.append(image_thumbnail(item, 128))
            except InputError:
                out.append(None)
        return out
    if explorer.kind == "audio":
        sizes = [Path(str(p)).stat().st_size if Path(str(p)).is_file() else 0 for p in explorer.items]
        if sum(sizes) > MAX_EMBEDDED_AUDIO_BYTES:
            return [None] * len(sizes)
        players = [audio_player(item) for item in explorer.items]
        return [p.split('src="', 1)[1].removesuffix('"></audio>') if 'src="' in p else None
                for p in players]
    return [None] * len(explorer.items)


def _names(explorer: Any) -> list[str]:
    if explorer.kind == "text":
        return [str(item) for item in explorer.items]
    names = []
    for item in explorer.items:
        name = Path(str(item)).name if not isinstance(item, np.ndarray) else "image array"
        if explorer.kind == "audio":
            seconds = audio_duration(str(item))
            name += f" ({seconds:.1f} s)" if seconds is not None else ""
        names.append(name)
    return names


def export_html(explorer: Any, path: Any, title: str | None = None) -> Path:
    """Write ``explorer``'s map, previews and neighbour lists to ``path``; return the path.

    >>> import numpy as np, tempfile, os
    >>> from embedkit import Explorer
    >>> explorer = Explorer(np.eye(5) + 0.1, list("abcde"), method="pca", k=2)
    >>> out = export_html(explorer, os.path.join(tempfile.mkdtemp(), "map.html"))
    >>> out.read_text().count("ek-data") > 0
    True
    """
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"Export to an .html file, got {path.name!r}.")
    explorer.wait_for_map()
    indices, scores = explorer.knn_graph(explorer.k)
    figure = go.Figure(explorer.figure.to_dict())
    figure.update_layout(width=None, autosize=True)
    for layer in figure.data[1:5]:
        layer.update(x=[], y=[])
    payload = {
        "kind": explorer.kind,
        "k": int(indices.shape[1]),
        "names": _names(explorer),
        "labels": None if explorer.labels is None else [str(v) for v in explorer.labels],
        "media": _media(explorer),
        "neighbors": indices.astype(int),
        "scores": np.round(scores.astype(float), 4),
        "x": explorer.coords[:, 0].astype(float),
        "y": explorer.coords[:, 1].astype(float),
    }
    heading = html.escape(title or explorer.title or "Embedding map")
    page = _TEMPLATE.format(
        title=heading, plotly=get_plotlyjs(), figure=safe_json(figure.to_plotly_json()),
        data=safe_json(payload), script=_SCRIPT, method=html.escape(explorer.shown_method.upper()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; media-src data:; font-src data:">
<title>{title}</title>
<style>
body {{font-family: sans-serif; margin: 12px;}}
#ek-wrap {{display: flex; gap: 12px;}}
#ek-map {{flex: 1 1 auto; min-width: 400px; height: 600px;}}
#ek-side {{width: 360px; max-height: 600px; overflow-y: auto; font-size: 13px; overflow-wrap: anywhere;}}
#ek-side img {{max-width: 100%; display: block;}}
.ek-score {{font-family: monospace; background: #eef; padding: 0 3px;}}
li {{margin-bottom: 6px;}}
</style></head>
<body><h3>{title} <small>({method}; click a point to see its nearest neighbours in the original space)</small></h3>
<div id="ek-wrap"><div id="ek-map"></div><div id="ek-side"><div id="ek-preview"></div><div id="ek-panel"><i>Click a point.</i></div></div></div>
<script>{plotly}</script>
<script type="application/json" id="ek-figure">{figure}</script>
<script type="application/json" id="ek-data">{data}</script>
<script>{script}</script>
</body></html>
"""

# Item text and labels reach the page only through textContent (never innerHTML).
_SCRIPT = r"""
(function () {
  const fig = JSON.parse(document.getElementById('ek-figure').textContent);
  const data = JSON.parse(document.getElementById('ek-data').textContent);
  const panel = document.getElementById('ek-panel');
  const preview = document.getElementById('ek-preview');
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function itemNode(j) {
    const box = el('div');
    const media = data.media[j];
    if (data.kind !== 'text') box.appendChild(el('div', data.names[j]));
    else box.appendChild(el('div', data.names[j], 'ek-text'));
    if (data.kind === 'image' && media && media.startsWith('data:image/')) {
      const img = el('img'); img.src = media; img.alt = data.names[j]; box.appendChild(img);
    }
    if (data.kind === 'audio' && media && media.startsWith('data:audio/')) {
      const audio = el('audio'); audio.controls = true; audio.preload = 'none'; audio.src = media;
      box.appendChild(audio);
    }
    return box;
  }
  function label(j) { return data.labels ? data.labels[j] : null; }
  function show(i) {
    const gd = document.getElementById('ek-map');
    const nb = data.neighbors[i], sc = data.scores[i];
    panel.replaceChildren();
    panel.appendChild(el('h4', 'Point ' + i + (label(i) !== null ? ' · ' + label(i) : '')));
    panel.appendChild(itemNode(i));
    panel.appendChild(el('h4', nb.length + ' nearest neighbours (cosine, original space)'));
    const list = el('ol', null, 'ek-neighbours');
    nb.forEach(function (j, r) {
      const li = el('li', null, 'ek-neighbour'); li.dataset.index = j;
      li.appendChild(el('span', sc[r].toFixed(3), 'ek-score'));
      li.appendChild(el('span', ' #' + j + (label(j) !== null ? ' ' + label(j) : '')));
      li.appendChild(itemNode(j));
      list.appendChild(li);
    });
    panel.appendChild(list);
    panel.dataset.point = i;
    Plotly.restyle(gd, {x: [nb.map(j => data.x[j]), [data.x[i]]], y: [nb.map(j => data.y[j]), [data.y[i]]]}, [2, 3]);
  }
  Plotly.newPlot('ek-map', fig.data, fig.layout, {responsive: true}).then(function (gd) {
    gd.on('plotly_click', function (ev) {
      const p = ev.points.find(q => q.curveNumber === 0);
      if (p) show(p.pointIndex);
    });
    gd.on('plotly_hover', function (ev) {
      const p = ev.points.find(q => q.curveNumber === 0);
      if (p && data.kind !== 'text') { preview.replaceChildren(itemNode(p.pointIndex)); }
    });
    window.embedkitMap = {show: show, data: data};
    document.body.dataset.ready = '1';
  });
})();
"""
