"""The Explorer in a real browser: JupyterLab 4 + headless Debian Chromium, driven by Playwright.

A notebook builds a 100,000-point map (jupyter-scatter, WebGL) in JupyterLab; then:

- clicks on points fill the side panel with each point's true nearest neighbours
  (exact cosine search computed here, independently), numbered once, quotes and
  markup shown as typed;
- a hovered point's preview is replaced by the clicked point's panel;
- the mouse wheel zooms and a drag pans (the picture changes);
- the legend, status line and whole map fit a 1000 px tall window;
- a lasso drawn on the map reaches Python (the notebook's on_select writes it out);
- an exported HTML page, opened with every network request blocked, shows a
  point's neighbours on click.

Every wait is on a condition with a generous limit (the machine may be busy).
Screenshots go to test-artifacts/. Skipped (with the reason) only when Debian
chromium is absent: install it with `scripts/setup --with-browser`.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from labharness import (CHROMIUM, canvas_box, launch_chromium, open_and_run,  # noqa: E402
                        scroll_map_into_view, start_lab)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = Path(__file__).resolve().parent / "browser" / "explorer_in_lab.ipynb"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian chromium is not installed: run scripts/setup --with-browser"),
]


def notebook_data():
    """The same points the test notebook builds (same seed, same recipe)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4, size=(20, 32)).astype(np.float32)
    group = rng.integers(0, 20, 100_000)
    return centres[group] + rng.normal(size=(100_000, 32)).astype(np.float32)


def small_data():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=8, size=(3, 12))
    return np.vstack([c + rng.normal(size=(15, 12)) for c in centres])


def true_neighbours(X, i, k=5):
    from embedkit import NeighborIndex

    return NeighborIndex(X).neighbors_of(i, k)[0].tolist()


def pixels_of(box, ndc):
    side = min(box["width"], box["height"])
    ndc = np.asarray(ndc, dtype=np.float64)
    return np.column_stack([box["left"] + box["width"] / 2 + ndc[:, 0] * side / 2,
                            box["top"] + box["height"] / 2 - ndc[:, 1] * side / 2])


def isolated(pixels, box, count, margin=25, alone=5.0):
    """``count`` points with no other point within ``alone`` px, inside the map."""
    from scipy.spatial import cKDTree

    distance, _ = cKDTree(pixels).query(pixels, k=2)
    inside = ((pixels[:, 0] > box["left"] + 60) & (pixels[:, 0] < box["left"] + box["width"] - margin)
              & (pixels[:, 1] > box["top"] + margin) & (pixels[:, 1] < box["top"] + box["height"] - margin)
              & (pixels[:, 1] < 1000 - margin))  # on screen
    candidates = np.flatnonzero(inside & (distance[:, 1] > alone))
    assert len(candidates) >= count, "the map has too few isolated points to click"
    return np.random.default_rng(1).choice(candidates, count, replace=False).tolist()


def canvas_image(page, box):
    from PIL import Image

    clip = {"x": box["left"], "y": box["top"], "width": box["width"], "height": box["height"]}
    return np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L"), dtype=float)


def changed(a, b) -> bool:
    """Two screenshots of the map differ (a still map gives identical pixels)."""
    return (np.abs(a - b) > 30).mean() > 0.002


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, kernel from this venv; stopped afterwards."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    with start_lab(folder) as lab:
        yield lab


@pytest.fixture(scope="module")
def lab_page(browser, jupyterlab):
    page, _ = open_and_run(browser, jupyterlab, NOTEBOOK.name, "EXPLORER-READY", timeout_ms=900_000)
    scroll_map_into_view(page)
    box = canvas_box(page)
    # Wait until the WebGL canvas shows points (not for a fixed time).
    page.wait_for_function(
        """() => document.querySelectorAll('.ek-legend-entry').length > 0""", timeout=300_000)
    for _ in range(600):
        if (canvas_image(page, box) < 200).mean() > 0.01:
            break
        page.wait_for_timeout(500)
    page.lab_ndc = np.load(jupyterlab["folder"] / "ndc.npy")
    yield page
    page.close()


def _click(page, x: float, y: float) -> None:
    x, y = float(x), float(y)
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_clicks_on_a_100k_map_show_the_true_neighbours(lab_page):
    ARTIFACTS.mkdir(exist_ok=True)
    X = notebook_data()
    box = canvas_box(lab_page)  # again: the notebook may have scrolled
    pixels = pixels_of(box, lab_page.lab_ndc)
    for point in isolated(pixels, box, 3):
        _click(lab_page, *pixels[point])
        lab_page.wait_for_selector(f".ek-panel[data-point='{point}']", timeout=120_000)
        shown = lab_page.eval_on_selector_all(".ek-neighbours li",
                                              "items => items.map(li => +li.dataset.index)")
        assert shown == true_neighbours(X, point), f"point {point}"
    lab_page.screenshot(path=str(ARTIFACTS / "browser_lab_click_panel.png"))
    text = lab_page.inner_text(".ek-panel")
    # User text is shown as typed: quotes as quotes, markup as text, never rendered.
    assert 'says "hi" <b>not bold</b>' in text and "&quot;" not in text and "&lt;" not in text
    assert lab_page.locator(".ek-panel b", has_text="not bold").count() == 0
    assert f'group "' in lab_page.inner_text(".ek-panel h4")
    # Numbered once: the list's own numbers, no "1." typed into each row.
    rows = lab_page.eval_on_selector_all(".ek-neighbours li", "items => items.map(li => li.innerText)")
    assert rows and not any(re.match(r"^\s*\d+\.\s", row) for row in rows), rows
    assert lab_page.eval_on_selector(".ek-neighbours", "ol => getComputedStyle(ol).listStyleType") == "decimal"


def test_the_clicked_panel_replaces_the_hover_preview(lab_page):
    box = canvas_box(lab_page)  # again: the notebook may have scrolled
    pixels = pixels_of(box, lab_page.lab_ndc)
    hovered, clicked = isolated(pixels, box, 2)
    lab_page.mouse.move(float(pixels[hovered][0] - 4), float(pixels[hovered][1] - 4))
    lab_page.mouse.move(float(pixels[hovered][0]), float(pixels[hovered][1]))
    lab_page.wait_for_selector(f".ek-preview[data-point='{hovered}']", timeout=120_000)
    assert "Under the pointer" in lab_page.inner_text(".ek-preview")
    _click(lab_page, *pixels[clicked])
    lab_page.wait_for_selector(f".ek-panel[data-point='{clicked}']", timeout=120_000)
    lab_page.wait_for_function(
        f"() => !document.querySelector(\".ek-preview[data-point='{hovered}']\")", timeout=60_000)


def test_legend_status_and_map_fit_a_1000_px_window(lab_page):
    lab_page.evaluate("() => document.querySelector('.ek-legend').closest('.jp-OutputArea-output')"
                      ".scrollIntoView({block: 'start'})")
    boxes = lab_page.evaluate("""() => {
        const r = (el) => { const b = el.getBoundingClientRect(); return [b.top, b.bottom, b.right]; };
        const out = document.querySelector('.ek-legend').closest('.jp-OutputArea-output');
        return {legend: r(document.querySelector('.ek-legend')),
                map: r(out.querySelector('canvas')), height: window.innerHeight, width: window.innerWidth,
                title: out.innerText.includes('A "quoted" map'), quot: out.innerText.includes('&quot;')};
    }""")
    assert boxes["legend"][1] <= boxes["height"] and boxes["map"][1] <= boxes["height"], boxes
    assert boxes["legend"][2] <= boxes["width"], boxes
    assert boxes["title"] and not boxes["quot"], "the title shows its quotes as typed"


def test_lasso_selection_reaches_python(lab_page, jupyterlab):
    selection_file = jupyterlab["folder"] / "selection.json"
    box = canvas_box(lab_page)  # again: the notebook may have scrolled
    pixels = pixels_of(box, lab_page.lab_ndc)
    # A 40 px square round a point in a dense part of the map.
    on_screen = np.flatnonzero((pixels[:, 0] > box["left"] + 80) & (pixels[:, 1] > box["top"] + 40)
                               & (pixels[:, 0] < box["left"] + box["width"] - 40)
                               & (pixels[:, 1] < min(box["top"] + box["height"], 1000) - 40))
    centre = pixels[on_screen[len(on_screen) // 2]]
    x0, y0 = float(centre[0] - 20), float(centre[1] - 20)
    x1, y1 = x0 + 40, y0 + 40
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0 + 1)]
    lab_page.click("button[title='Activate lasso selection']")  # the map's own toolbar
    lab_page.mouse.move(*corners[0])
    lab_page.mouse.down()
    for (ax, ay), (bx, by) in zip(corners, corners[1:]):
        for t in np.linspace(0, 1, 10)[1:]:
            lab_page.mouse.move(float(ax + (bx - ax) * t), float(ay + (by - ay) * t))
            lab_page.wait_for_timeout(25)  # the lasso samples the pointer every 10 ms at most
    lab_page.mouse.up()
    for _ in range(240):
        if selection_file.exists():
            break
        lab_page.wait_for_timeout(500)
    lab_page.screenshot(path=str(ARTIFACTS / "browser_lab_lasso_selection.png"))
    lab_page.click("button[title='Activate pan & zoom']")
    assert selection_file.exists(), "the lasso selection never reached Python"
    selected = set(json.loads(selection_file.read_text()))

    def within(pad):
        return set(np.flatnonzero((pixels[:, 0] > x0 + pad) & (pixels[:, 0] < x1 - pad)
                                  & (pixels[:, 1] > y0 + pad) & (pixels[:, 1] < y1 - pad)).tolist())

    # The view may have moved by a pixel or two: compare with a margin either side.
    assert within(4) <= selected <= within(-4), (len(within(4)), len(selected), len(within(-4)))
    assert len(selected) > 10


def test_the_wheel_zooms_and_a_drag_pans(lab_page):
    """Last of the JupyterLab tests: it moves the view the others compute positions in."""
    box = canvas_box(lab_page)  # again: the notebook may have scrolled
    centre = (box["left"] + box["width"] / 2, box["top"] + box["height"] / 2)
    before = canvas_image(lab_page, box)
    lab_page.mouse.move(*centre)
    for _ in range(5):
        lab_page.mouse.wheel(0, -240)
    lab_page.wait_for_function("() => true")
    for _ in range(120):  # until the zoom has been drawn
        zoomed = canvas_image(lab_page, box)
        if changed(zoomed, before):
            break
        lab_page.wait_for_timeout(250)
    assert changed(zoomed, before), "the mouse wheel did not zoom the map"
    lab_page.mouse.move(*centre)
    lab_page.mouse.down()
    for step in range(20):
        lab_page.mouse.move(centre[0] + 5 * step, centre[1] + 3 * step)
        lab_page.wait_for_timeout(20)
    lab_page.mouse.up()
    for _ in range(120):
        panned = canvas_image(lab_page, box)
        if changed(panned, zoomed):
            break
        lab_page.wait_for_timeout(250)
    assert changed(panned, zoomed), "dragging did not pan the map"


def _point_pixels(page, selector: str):
    """Screen positions of the export's points, from plotly's own axes."""
    return page.evaluate(
        """(selector) => {
            const gd = document.querySelector(selector);
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
            const trace = gd._fullData[0];
            return Array.from(trace.x, (x, i) => [box.left + xa.l2p(x), box.top + ya.l2p(trace.y[i])]);
        }""",
        selector,
    )


def test_exported_html_works_offline(browser, tmp_path):
    from embedkit import Explorer

    ARTIFACTS.mkdir(exist_ok=True)
    X = small_data()
    items = ['<script>window.pwned = 1</script> item "0"'] + [f"item {i}" for i in range(1, len(X))]
    explorer = Explorer(X, items, labels=[f"group {i // 15}" for i in range(len(X))], method="pca", k=5)
    explorer.set_selection([1, 2, 3])  # an export after a lasso works (it once raised)
    page_path = explorer.to_html(tmp_path / "map.html")
    context = browser.new_context(viewport={"width": 1300, "height": 800})
    blocked = []

    def route(request_route):
        if request_route.request.url.startswith("file:"):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    context.set_offline(True)
    page = context.new_page()
    page.goto(page_path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    pixels = np.asarray(_point_pixels(page, "#ek-map"))
    gaps = np.linalg.norm(pixels[:, None] - pixels[None], axis=2) + np.eye(len(pixels)) * 1e9
    point = int(np.argmax(gaps.min(axis=1)))
    _click(page, *pixels[point])
    page.wait_for_selector(f"#ek-panel .ek-panel[data-point='{point}']", timeout=60_000)
    shown = page.eval_on_selector_all("#ek-panel li", "items => items.map(li => +li.dataset.index)")
    page.screenshot(path=str(ARTIFACTS / "export_offline_click.png"))
    assert shown == true_neighbours(X, point)
    _click(page, *pixels[0])
    page.wait_for_selector("#ek-panel .ek-panel[data-point='0']", timeout=60_000)
    assert '<script>window.pwned = 1</script> item "0"' in page.inner_text("#ek-panel")
    assert page.evaluate("() => window.pwned === undefined")
    assert blocked == [], f"the page tried to reach the network: {blocked}"
    context.close()
