"""The side panel's content as data, and the live widget that draws it.

Python decides WHAT the panel shows (:func:`panel_data`: the point, its
neighbours in the original space, their labels, thumbnails and clips as
``data:`` URIs); the JavaScript renderer in :mod:`embedkit.explorer._panel_assets`
decides HOW, for the live widget (:class:`PanelView`, an anywidget whose state
is two synced dict traits) and for the standalone export alike. Item text is
sent as plain text and put on screen with ``textContent``, so nothing is ever
escaped twice (a ``"`` shows as ``"``) and nothing a user typed runs as HTML.

>>> from embedkit.explorer._panel import item_data
>>> item_data('He said "hi"', "text")
{'kind': 'text', 'text': 'He said "hi"', 'media': None}
"""

from __future__ import annotations

import html
from typing import Any

import anywidget
import traitlets

from embedkit.errors import InputError
from embedkit.explorer._panel_assets import PANEL_CSS, PANEL_JS
from embedkit.explorer._previews import audio_duration, audio_source, image_thumbnail, item_name

__all__ = ["PanelView", "item_data", "panel_data", "preview_data", "static_panel_html"]


def item_data(item: Any, kind: str, size: int = 160) -> dict:
    """One item for the renderer: ``{"kind", "text", "media"}`` (media: a data URI or None)."""
    if kind == "text":
        return {"kind": kind, "text": str(item), "media": None}
    name = item_name(item)
    if kind == "image":
        try:
            return {"kind": kind, "text": name, "media": image_thumbnail(item, size)}
        except InputError as error:
            return {"kind": kind, "text": name, "media": None, "note": f"image not readable: {error}"}
    seconds = audio_duration(str(item))
    media, note = audio_source(item)
    text = name + (f" ({seconds:.1f} s)" if seconds is not None else "")
    return {"kind": kind, "text": text, "media": media, **({"note": note} if note else {})}


def _label(labels: Any, i: int) -> str | None:
    return None if labels is None else str(labels[i])


def panel_data(items: Any, labels: Any, kind: str, i: int | None, indices: Any, scores: Any,
               query_item: Any = None) -> dict:
    """The panel for point ``i`` (or a query, with ``i=None``) and its neighbours."""
    title = f"Point {i}" if i is not None else f"Query: {str(query_item)[:80]}"
    if i is not None and labels is not None:
        title += f" · {_label(labels, i)}"
    head = item_data(items[i] if i is not None else query_item, kind, size=192)
    neighbours = [{"index": int(j), "score": round(float(s), 4), "label": _label(labels, int(j)),
                   "item": item_data(items[int(j)], kind, size=72)}
                  for j, s in zip(indices, scores)]
    return {"point": None if i is None else int(i), "title": title, "item": head,
            "caption": f"{len(neighbours)} nearest neighbours (cosine, original space)",
            "neighbours": neighbours}


def preview_data(items: Any, labels: Any, kind: str, i: int) -> dict:
    """What the hover preview shows for point ``i``: clearly marked as under the pointer."""
    title = f"Under the pointer: point {i}" + (f" · {_label(labels, i)}" if labels is not None else "")
    return {"point": int(i), "title": title, "item": item_data(items[i], kind, size=96)}


def static_panel_html(panel: dict) -> str:
    """The same panel as plain escaped HTML, for printing in a notebook or saving (not live)."""
    def item(entry: dict) -> str:
        text = html.escape(entry["text"], quote=False)
        media = entry.get("media") or ""
        if entry["kind"] == "image" and media.startswith("data:image/"):
            return f'<div>{text}</div><img class="ek-image" src="{media}">'
        if entry["kind"] == "audio" and media.startswith("data:audio/"):
            return f'<div>{text}</div><audio controls preload="none" src="{media}"></audio>'
        return f'<div class="ek-text">{text}</div>'

    rows = "".join(f'<li class="ek-neighbour" data-index="{row["index"]}"><span class="ek-score">'
                   f'{row["score"]:.3f}</span> #{row["index"]} '
                   f'<i>{html.escape(row["label"] or "", quote=False)}</i>{item(row["item"])}</li>'
                   for row in panel["neighbours"])
    return (f'<div class="ek-panel"><h4>{html.escape(panel["title"], quote=False)}</h4>'
            f'{item(panel["item"])}<h4>{html.escape(panel["caption"])}</h4>'
            f'<ol class="ek-neighbours">{rows}</ol></div>')


_ESM = PANEL_JS + r"""
export default {
  render({ model, el }) {
    el.classList.add('ek-side');
    const preview = ekEl('div', null, 'ek-preview-box');
    const panel = ekEl('div', null, 'ek-panel-box');
    el.append(preview, panel);
    const draw = () => {
      ekRenderPreview(preview, model.get('preview'));
      ekRenderPanel(panel, model.get('panel'));
    };
    model.on('change:panel', draw);
    model.on('change:preview', draw);
    draw();
  },
};
"""


class PanelView(anywidget.AnyWidget):
    """The live side panel: ``panel`` (the clicked point) and ``preview`` (under the pointer).

    >>> view = PanelView()
    >>> view.panel = panel_data(["a", "b"], None, "text", 0, [1], [0.5])
    >>> view.panel["neighbours"][0]["index"]
    1
    """

    _esm = _ESM
    _css = PANEL_CSS
    panel = traitlets.Dict(None, allow_none=True).tag(sync=True)
    preview = traitlets.Dict(None, allow_none=True).tag(sync=True)
