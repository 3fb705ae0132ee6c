"""The Explorer in a real browser: JupyterLab + headless Debian Chromium, driven by Playwright.

- a notebook runs in JupyterLab; a click on a point fills the side panel with that
  point's true nearest neighbours (computed here, independently);
- a lasso drawn on the map reaches Python (the notebook's on_select writes it out);
- an exported HTML page, opened with every network request blocked, shows a
  point's neighbours on click.

Screenshots go to test-artifacts/. Skipped (with the reason) only when Debian
chromium is absent: install it with `scripts/setup --with-browser`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = Path(__file__).resolve().parent / "browser" / "explorer_in_lab.ipynb"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian chromium is not installed: run scripts/setup --with-browser"),
]


def notebook_data():
    """The same points the test notebook builds (same seed, same recipe)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=8, size=(3, 12))
    return np.vstack([c + rng.normal(size=(15, 12)) for c in centres])


def true_neighbours(X, i, k=5):
    from embedkit import NeighborIndex

    return NeighborIndex(X).neighbors_of(i, k)[0].tolist()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, kernel from this venv; stopped afterwards."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(folder / ".jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(folder / ".jupyter-runtime"))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
               "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(folder / "jupyterlab.log", "w")
    server = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(folder / 'jupyterlab.log').read_text()}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield {"url": url, "token": token, "folder": folder}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _point_pixels(page, selector: str):
    """Screen positions of the points layer's markers, from plotly's own axes."""
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


def _isolated_point(pixels, avoid_edges: float = 20) -> int:
    pixels = np.asarray(pixels)
    gaps = np.linalg.norm(pixels[:, None] - pixels[None], axis=2) + np.eye(len(pixels)) * 1e9
    return int(np.argmax(gaps.min(axis=1)))


def _click(page, x: float, y: float) -> None:
    # plotly listens on its drag layer: arrive with a move, then click.
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.mouse.click(x, y)


@pytest.fixture(scope="module")
def lab_page(browser, jupyterlab):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(f"{jupyterlab['url']}/lab/tree/{NOTEBOOK.name}?token={jupyterlab['token']}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.serviceManager", timeout=90_000)
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_function(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   return w && w.sessionContext && w.sessionContext.session &&
                          w.sessionContext.session.kernel &&
                          w.sessionContext.session.kernel.status === 'idle'; }""",
        timeout=120_000,
    )
    # Do not await the command's promise: it resolves only when every cell has run.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_selector("text=EXPLORER-READY", timeout=180_000)
    page.wait_for_selector(".js-plotly-plot .nsewdrag", timeout=60_000)
    page.wait_for_timeout(1500)  # let the WebGL layer draw
    yield page
    page.close()


def test_click_in_jupyterlab_shows_the_true_neighbours(lab_page):
    ARTIFACTS.mkdir(exist_ok=True)
    X = notebook_data()
    pixels = _point_pixels(lab_page, ".js-plotly-plot")
    point = _isolated_point(pixels)
    _click(lab_page, *pixels[point])
    lab_page.wait_for_selector(f"text=Point {point} ·", timeout=30_000)
    shown = lab_page.eval_on_selector_all(".ek-neighbours li", "items => items.map(li => +li.dataset.index)")
    lab_page.screenshot(path=str(ARTIFACTS / "browser_lab_click_panel.png"))
    assert shown == true_neighbours(X, point)
    # User text is shown as text: the <b> in every item is escaped, not rendered.
    assert lab_page.locator(".ek-panel b", has_text="not bold").count() == 0
    assert "<b>not bold</b>" in lab_page.inner_text(".ek-panel")


def test_the_legend_sits_outside_the_plot_area(lab_page):
    boxes = lab_page.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            const box = (el) => { const b = el.getBoundingClientRect();
                                  return [b.left, b.top, b.right, b.bottom]; };
            return {plot: box(gd.querySelector('.nsewdrag')), legend: box(gd.querySelector('.legend')),
                    entries: gd.querySelectorAll('.legend .traces').length};
        }"""
    )
    (_, _, right, bottom), legend = boxes["plot"], boxes["legend"]
    assert boxes["entries"] == 3, "one legend entry per group"
    assert legend[1] >= bottom or legend[0] >= right, f"legend {legend} overlaps the plot {boxes['plot']}"


def test_lasso_selection_reaches_python(lab_page, jupyterlab):
    selection_file = jupyterlab["folder"] / "selection.json"
    pixels = np.asarray(_point_pixels(lab_page, ".js-plotly-plot"))
    lab_page.mouse.move(*pixels[0])
    lab_page.locator('.modebar-btn[data-title="Lasso Select"]').first.click()
    # Lasso the first blob's points: a polygon round their screen positions.
    group = pixels[:15]
    (left, top), (right, bottom) = group.min(axis=0) - 6, group.max(axis=0) + 6
    inside = np.flatnonzero((pixels[:, 0] > left) & (pixels[:, 0] < right)
                            & (pixels[:, 1] > top) & (pixels[:, 1] < bottom))
    corners = [(left, top), (right, top), (right, bottom), (left, bottom), (left, top + 1)]
    lab_page.mouse.move(*corners[0])
    lab_page.mouse.down()
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        for t in np.linspace(0, 1, 8)[1:]:
            lab_page.mouse.move(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
    lab_page.mouse.up()
    for _ in range(60):
        if selection_file.exists():
            break
        lab_page.wait_for_timeout(500)
    lab_page.screenshot(path=str(ARTIFACTS / "browser_lab_lasso_selection.png"))
    assert selection_file.exists(), "the lasso selection never reached Python"
    assert json.loads(selection_file.read_text()) == inside.tolist()
    assert set(range(15)) <= set(inside.tolist())


def test_exported_html_works_offline(browser, tmp_path):
    from embedkit import Explorer

    ARTIFACTS.mkdir(exist_ok=True)
    X = notebook_data()
    items = ["<script>window.pwned = 1</script> item 0"] + [f"item {i}" for i in range(1, len(X))]
    page_path = Explorer(X, items, method="pca", k=5).to_html(tmp_path / "map.html")
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
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    pixels = _point_pixels(page, "#ek-map")
    point = _isolated_point(pixels)
    _click(page, *pixels[point])
    page.wait_for_selector("#ek-panel li", timeout=20_000)
    shown = page.eval_on_selector_all("#ek-panel li", "items => items.map(li => +li.dataset.index)")
    page.screenshot(path=str(ARTIFACTS / "export_offline_click.png"))
    assert shown == true_neighbours(X, point)
    _click(page, *pixels[0])
    page.wait_for_function("() => document.querySelector('#ek-panel').dataset.point === '0'")
    assert "<script>window.pwned" in page.inner_text("#ek-panel")
    assert page.evaluate("() => window.pwned === undefined")
    assert blocked == [], f"the page tried to reach the network: {blocked}"
    context.close()
