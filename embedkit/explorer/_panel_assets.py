"""The neighbour panel's renderer, as JavaScript and CSS text: ONE renderer for the live widget
(see :mod:`embedkit.explorer._panel`) and the standalone export (:mod:`embedkit.explorer._export`).

Kept as Python strings (not .js files) so they ship in every install without package-data rules.

>>> "function ekRenderPanel" in PANEL_JS and ".ek-panel" in PANEL_CSS
True
"""

__all__ = ["PANEL_CSS", "PANEL_JS"]

PANEL_JS = r"""
// The neighbour panel and the hover preview: the ONE renderer, used by the live
// widget (an anywidget) and by the standalone HTML export. User text reaches the
// page only through textContent, never as HTML; media only as embedkit's own
// data: URIs (images as data:image/..., audio as data:audio/...).
function ekEl(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function ekItem(item) {
  const box = ekEl('div', null, 'ek-item');
  if (!item) return box;
  if (item.kind === 'text') {
    box.appendChild(ekEl('div', item.text, 'ek-text'));
    return box;
  }
  box.appendChild(ekEl('div', item.text, 'ek-name'));
  const media = typeof item.media === 'string' ? item.media : '';
  if (item.kind === 'image' && media.startsWith('data:image/')) {
    const img = ekEl('img', null, 'ek-image');
    img.src = media; img.alt = item.text; img.title = item.text;
    box.appendChild(img);
  } else if (item.kind === 'audio' && media.startsWith('data:audio/')) {
    const audio = ekEl('audio');
    audio.controls = true; audio.preload = 'none'; audio.src = media;
    box.appendChild(audio);
  } else if (item.note) {
    box.appendChild(ekEl('span', item.note, 'ek-missing'));
  }
  return box;
}

// panel: {point, title, item, caption, neighbours: [{index, score, label, item}]} or null
function ekRenderPanel(el, panel) {
  el.replaceChildren();
  const box = ekEl('div', null, 'ek-panel');
  if (!panel || !panel.item) {
    box.appendChild(ekEl('i', 'Click a point to see its nearest neighbours.'));
    box.dataset.point = '';
    el.appendChild(box);
    return;
  }
  box.dataset.point = panel.point === null || panel.point === undefined ? 'query' : String(panel.point);
  box.appendChild(ekEl('h4', panel.title, 'ek-title'));
  box.appendChild(ekItem(panel.item));
  box.appendChild(ekEl('h4', panel.caption));
  const list = ekEl('ol', null, 'ek-neighbours');  // the <ol> numbers the rows
  (panel.neighbours || []).forEach(function (row) {
    const li = ekEl('li', null, 'ek-neighbour');
    li.dataset.index = String(row.index);
    li.appendChild(ekEl('span', Number(row.score).toFixed(3), 'ek-score'));
    li.appendChild(ekEl('span', ' #' + row.index + (row.label !== null && row.label !== undefined ? ' ' : '')));
    if (row.label !== null && row.label !== undefined) li.appendChild(ekEl('i', row.label, 'ek-label'));
    li.appendChild(ekItem(row.item));
    list.appendChild(li);
  });
  box.appendChild(list);
  el.appendChild(box);
}

// preview: {point, title, item} or null (nothing under the pointer)
function ekRenderPreview(el, preview) {
  el.replaceChildren();
  if (!preview || !preview.item) { el.style.display = 'none'; return; }
  el.style.display = '';
  const box = ekEl('div', null, 'ek-preview');
  box.dataset.point = String(preview.point);
  box.appendChild(ekEl('div', preview.title, 'ek-preview-title'));
  box.appendChild(ekItem(preview.item));
  el.appendChild(box);
}
"""

PANEL_CSS = """
.ek-side {font-size: 13px; line-height: 1.35; overflow-wrap: anywhere; font-family: sans-serif;}
.ek-panel-box {max-height: 470px; overflow-y: auto;}
.ek-panel h4 {margin: 4px 0;}
.ek-neighbours {padding-left: 26px; margin: 0; list-style: decimal outside;}
.ek-neighbour {margin-bottom: 6px; display: list-item;}
.ek-score {font-family: monospace; background: #eef; padding: 0 3px;}
.ek-image {max-width: 100%; max-height: 192px; display: block;}
.ek-neighbour .ek-image {max-height: 72px;}
.ek-missing {color: #a00;}
.ek-preview {border: 1px dashed #999; background: #fafafa; padding: 4px; margin-bottom: 6px;}
.ek-preview-title {color: #666; font-size: 12px;}
.ek-preview .ek-image {max-height: 96px;}
"""
