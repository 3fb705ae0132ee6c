"""The Explorer where learners open it: ``ek.compare`` in JupyterLab 4, and Jupyter Notebook 7.

Headless Debian Chromium driven by Playwright, as in tests/test_browser.py.

``ek.compare`` (JupyterLab 4, a 1600 px wide window), on what issue 17 tried:
the 800 glosses, two models, UMAP on both (computed in background threads):

- both maps draw points, while PCA stands in and after both UMAPs arrive
  (the left one once stayed empty for minutes);
- the pair sits side by side with both legends and panels inside the window
  and inside the output (nothing cut off, no horizontal scrolling);
- a click on either map fills BOTH panels, each with the point's true
  neighbours in its own space (exact cosine search computed here);
- a lasso on one map reaches Python on both sides, and both maps draw it.

Jupyter Notebook 7: an Explorer with an attached embedder draws, a click fills
the panel with the true neighbours, the query box places a typed text, the
panel is not cut off on the right, and the embedder's "model loaded from"
notice is ordinary output, not a red stderr box. Skipped if Notebook 7 is
not installed. Each server has its own EMBEDKIT_CACHE, so one notebook's
cached vectors cannot spare another its model load (and its notice).

VS Code's notebook front end cannot run here (no VS Code in the suite): not tested.
Every wait is on a condition with a generous limit (the machine may be busy);
each server, and every kernel it started, stops with its fixture.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from labharness import CHROMIUM, launch_chromium, open_and_run, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
HERE = Path(__file__).resolve().parent / "browser"
COMPARE_NOTEBOOK = HERE / "compare_in_lab.ipynb"
NOTEBOOK7_NOTEBOOK = HERE / "explorer_in_notebook.ipynb"
K = 5  # neighbours shown on click (k=5 in both notebooks)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian chromium is not installed: run scripts/setup --with-browser"),
]


# ----- the truth, computed here ---------------------------------------------------------------
def exact_neighbours(X: np.ndarray, i: int, k: int = K) -> list[int]:
    """Point ``i``'s ``k`` nearest other points by cosine similarity (plain numpy, float64)."""
    unit = X.astype(np.float64) / np.linalg.norm(X.astype(np.float64), axis=1, keepdims=True)
    scores = unit @ unit[i]
    scores[i] = -np.inf
    return np.argsort(-scores, kind="stable")[:k].tolist()


def unambiguous(X: np.ndarray, i: int, k: int = K, gap: float = 1e-4) -> bool:
    """Point ``i``'s top ``k + 1`` neighbours have clearly different scores (no near-ties to order)."""
    norms = np.linalg.norm(X.astype(np.float64), axis=1)
    if norms[i] == 0 or (norms == 0).any():
        return False
    unit = X.astype(np.float64) / norms[:, None]
    scores = unit @ unit[i]
    scores[i] = -np.inf
    top = np.sort(scores)[::-1][: k + 1]
    return bool((-np.diff(top) > gap).all())


# ----- the page ------------------------------------------------------------------------------------
def map_boxes(page) -> list[dict]:
    """Every Explorer map on screen (left, top, width, height), in page order.

    A jupyter-scatter map stacks two canvases (points, annotations): one box per place.
    """
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-OutputArea-output canvas'))
                 .filter(c => c.getBoundingClientRect().width > 100)
                 .map(c => { const b = c.getBoundingClientRect();
                             return {left: b.left, top: b.top, width: b.width, height: b.height}; })""")
    unique = {(round(b["left"]), round(b["top"])): b for b in boxes}
    return list(unique.values())


def pixels_of(box: dict, ndc) -> np.ndarray:
    """Screen positions of points from their normalised [-1, 1] coordinates (initial view)."""
    side = min(box["width"], box["height"])
    ndc = np.asarray(ndc, dtype=np.float64)
    return np.column_stack([box["left"] + box["width"] / 2 + ndc[:, 0] * side / 2,
                            box["top"] + box["height"] / 2 - ndc[:, 1] * side / 2])


def isolated(pixels: np.ndarray, box: dict, height: float, count: int, margin: float = 25,
             alone: float = 6.0, keep=lambda i: True) -> list[int]:
    """``count`` points inside the map and the window, with no other point within ``alone`` px."""
    from scipy.spatial import cKDTree

    distance, _ = cKDTree(pixels).query(pixels, k=2)
    inside = ((pixels[:, 0] > box["left"] + margin) & (pixels[:, 0] < box["left"] + box["width"] - margin)
              & (pixels[:, 1] > box["top"] + margin) & (pixels[:, 1] < box["top"] + box["height"] - margin)
              & (pixels[:, 1] > margin) & (pixels[:, 1] < height - margin))
    candidates = [int(i) for i in np.flatnonzero(inside & (distance[:, 1] > alone)) if keep(int(i))]
    assert len(candidates) >= count, "the map has too few isolated points to click"
    return np.random.default_rng(1).choice(candidates, count, replace=False).tolist()


def canvas_image(page, box: dict) -> np.ndarray:
    from PIL import Image

    clip = {"x": box["left"], "y": box["top"], "width": box["width"], "height": box["height"]}
    return np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L"), dtype=float)


def draws_points(page, box: dict, tries: int = 600) -> bool:
    """Wait (up to ``tries`` x 0.5 s) until the map shows points: over 1% of it not background."""
    for _ in range(tries):
        if (canvas_image(page, box) < 200).mean() > 0.01:
            return True
        page.wait_for_timeout(500)
    return False


def lit_up(before: np.ndarray, after: np.ndarray, box: dict, points: np.ndarray, reach: int = 4) -> float:
    """The share of ``points`` (screen positions) whose surroundings changed between two pictures."""
    scale = before.shape[1] / box["width"]  # screenshot pixels per CSS pixel
    hits = []
    for x, y in points:
        col, row = int((x - box["left"]) * scale), int((y - box["top"]) * scale)
        r = int(reach * scale)
        window = (slice(max(row - r, 0), row + r + 1), slice(max(col - r, 0), col + r + 1))
        hits.append((np.abs(after[window] - before[window]) > 30).mean() > 0.05)
    return float(np.mean(hits)) if hits else 0.0


def click(page, x: float, y: float) -> None:
    x, y = float(x), float(y)
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def panel_ids(page, side: int, point: int) -> list[int]:
    """Wait until side panel ``side`` shows ``point``; return the neighbour ids it lists."""
    panel = page.locator(".ek-side").nth(side).locator(f".ek-panel[data-point='{point}']")
    panel.wait_for(timeout=120_000)
    return panel.evaluate("p => Array.from(p.querySelectorAll('.ek-neighbours li'), li => +li.dataset.index)")


def wait_for_file(page, path: Path, tries: int = 240) -> bool:
    for _ in range(tries):
        if path.exists():
            return True
        page.wait_for_timeout(500)
    return False


def scroll_output_to_top(page, nth: int = 0) -> None:
    """Scroll the ``nth`` map's output to the top of the window (clicks need it on screen)."""
    page.evaluate(
        """(nth) => { const c = Array.from(document.querySelectorAll('.jp-OutputArea-output canvas'))
                          .filter(e => e.getBoundingClientRect().width > 100)[2 * nth];
                      c.closest('.jp-OutputArea-child').scrollIntoView({block: 'start'}); }""", nth)
    page.wait_for_timeout(300)  # one scroll event turn; positions are re-read afterwards


def private_cache(folder: Path) -> dict:
    """A cache of the server's own: what one notebook embedded cannot spare another its model load."""
    return {"EMBEDKIT_CACHE": str(folder / "embedkit-cache")}


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


# ----- ek.compare in JupyterLab 4 ----------------------------------------------------------------
@pytest.fixture(scope="module")
def compare_lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare-lab")
    shutil.copy(COMPARE_NOTEBOOK, folder / COMPARE_NOTEBOOK.name)
    with start_server(folder, "lab", env=private_cache(folder)) as lab:
        yield lab


@pytest.fixture(scope="module")
def compare_page(browser, compare_lab):
    """The comparison in a 1600 x 1000 JupyterLab, as soon as it is shown (UMAP still computing)."""
    page, _ = open_and_run(browser, compare_lab, COMPARE_NOTEBOOK.name, "COMPARE-SHOWN",
                           viewport=(1600, 1000), timeout_ms=900_000)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.jp-OutputArea-output canvas'))"
        ".filter(c => c.getBoundingClientRect().width > 100).length >= 4", timeout=300_000)
    scroll_output_to_top(page)
    yield page
    page.close()


@pytest.fixture(scope="module")
def compare_ready(compare_page, compare_lab):
    """The same page once both UMAP maps have arrived; the vectors and map positions, read back."""
    compare_page.wait_for_selector(".jp-OutputArea-output :text('COMPARE-READY')", timeout=900_000)
    ready = compare_page.inner_text(".jp-OutputArea-output :text('COMPARE-READY')")
    assert ready.split()[1:] == ["umap", "umap"], f"both maps should show UMAP now: {ready}"
    folder = compare_lab["folder"]
    scroll_output_to_top(compare_page)
    return {name: np.load(folder / f"{name}.npy") for name in ("left", "right", "left_ndc", "right_ndc")}


def test_compare_both_maps_draw_as_soon_as_shown(compare_page):
    """The two first maps (PCA while UMAP computes, on a quick machine) both draw points."""
    boxes = map_boxes(compare_page)
    assert len(boxes) == 2, boxes
    for side, box in zip(("left", "right"), boxes):
        assert draws_points(compare_page, box), f"the {side} map shows no points"


def test_compare_both_maps_draw_once_umap_arrives(compare_page, compare_ready):
    """Both UMAP maps replace the first ones and draw (issue 17: the left one stayed empty)."""
    ARTIFACTS.mkdir(exist_ok=True)
    boxes = map_boxes(compare_page)
    assert len(boxes) == 2, boxes
    for side, box in zip(("left", "right"), boxes):
        assert draws_points(compare_page, box), f"the {side} UMAP map shows no points"
    compare_page.screenshot(path=str(ARTIFACTS / "browser_compare_umap.png"))


def test_compare_fits_a_1600_px_jupyterlab_window(compare_ready, compare_page):
    page = compare_page
    page.evaluate("() => document.querySelector('.ek-legend').closest('.jp-OutputArea-output')"
                  ".scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    found = page.evaluate("""() => {
        const r = (el) => { const b = el.getBoundingClientRect();
                            return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
        const output = document.querySelector('.ek-legend').closest('.jp-OutputArea-output');
        return {window: {width: window.innerWidth, height: window.innerHeight}, output: r(output),
                overflow: output.scrollWidth - output.clientWidth,
                maps: Array.from(output.querySelectorAll('canvas'))
                           .filter(c => c.getBoundingClientRect().width > 100).map(r)
                           .filter((b, i, all) => i === all.findIndex(o => o.left === b.left && o.top === b.top)),
                legends: Array.from(output.querySelectorAll('.ek-legend'), r),
                panels: Array.from(output.querySelectorAll('.ek-side'), r)};
    }""")
    page.screenshot(path=str(ARTIFACTS / "browser_compare_layout.png"))
    assert len(found["maps"]) == len(found["legends"]) == len(found["panels"]) == 2, found
    assert found["overflow"] <= 1, f"the pair is wider than its output and scrolls sideways: {found}"
    for part in ("maps", "legends", "panels"):
        for box in found[part]:
            assert box["left"] >= found["output"]["left"] - 1 and box["right"] <= found["output"]["right"] + 1, (
                f"a {part[:-1]} sticks out of the output: {box} vs {found['output']}")
            assert box["right"] <= found["window"]["width"], f"a {part[:-1]} is cut off on the right: {box}"
    left_map, right_map = found["maps"]
    assert right_map["left"] >= left_map["right"] and abs(right_map["top"] - left_map["top"]) < 2, (
        f"the two maps should sit side by side in a 1600 px window: {found['maps']}")
    assert max(box["bottom"] for box in found["maps"]) <= found["window"]["height"], found["maps"]


def test_compare_a_click_on_either_map_shows_its_neighbours_in_both_spaces(compare_ready, compare_page):
    page, data = compare_page, compare_ready
    left, right = data["left"], data["right"]
    boxes = map_boxes(page)
    height = page.evaluate("() => window.innerHeight")
    clear = lambda i: unambiguous(left, i) and unambiguous(right, i)  # noqa: E731
    for side, ndc in ((0, data["left_ndc"]), (1, data["right_ndc"])):
        pixels = pixels_of(boxes[side], ndc)
        for point in isolated(pixels, boxes[side], height, 2, keep=clear):
            click(page, *pixels[point])
            # The clicked map's panel, and the other one's, each in its own embedding space.
            assert panel_ids(page, side, point) == exact_neighbours(data[("left", "right")[side]], point)
            assert panel_ids(page, 1 - side, point) == exact_neighbours(data[("left", "right")[1 - side]], point)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser_compare_click.png"))


def test_compare_a_lasso_on_one_map_selects_the_same_items_on_both(compare_ready, compare_page, compare_lab):
    page, data = compare_page, compare_ready
    folder = compare_lab["folder"]
    boxes = map_boxes(page)
    box = boxes[0]
    pixels = pixels_of(box, data["left_ndc"])
    height = page.evaluate("() => window.innerHeight")
    # A 60 px square round a point in a dense part of the left map.
    on_screen = np.flatnonzero((pixels[:, 0] > box["left"] + 60) & (pixels[:, 1] > box["top"] + 60)
                               & (pixels[:, 0] < box["left"] + box["width"] - 60)
                               & (pixels[:, 1] < min(box["top"] + box["height"], height) - 60))
    from scipy.spatial import cKDTree

    crowd = cKDTree(pixels).query_ball_point(pixels[on_screen], r=25, return_length=True)
    centre = pixels[on_screen[int(np.argmax(crowd))]]
    x0, y0 = float(centre[0] - 30), float(centre[1] - 30)
    x1, y1 = x0 + 60, y0 + 60
    page.mouse.move(5, height / 2)  # off both maps: no hover reticle in the pictures
    page.wait_for_timeout(500)
    before = [canvas_image(page, b) for b in boxes]
    # The lasso closes itself; it must not end within 2 px of where it began: regl-scatterplot
    # then takes the release for a click on the point there, which replaces the lasso's selection.
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0 + 20)]
    page.locator("button[title='Activate lasso selection']").nth(0).click()  # the left map's toolbar
    page.mouse.move(*corners[0])
    page.mouse.down()
    for (ax, ay), (bx, by) in zip(corners, corners[1:]):
        for t in np.linspace(0, 1, 10)[1:]:
            page.mouse.move(float(ax + (bx - ax) * t), float(ay + (by - ay) * t))
            page.wait_for_timeout(25)  # the lasso samples the pointer every 10 ms at most
    page.mouse.up()
    reached = [wait_for_file(page, folder / f"{side}_selection.json") for side in ("left", "right")]
    page.locator("button[title='Activate pan & zoom']").nth(0).click()
    page.mouse.move(5, height / 2)
    assert all(reached), f"the lasso reached Python on: {reached} (left, right)"
    selected = json.loads((folder / "left_selection.json").read_text())

    def within(pad):
        return set(np.flatnonzero((pixels[:, 0] > x0 + pad) & (pixels[:, 0] < x1 - pad)
                                  & (pixels[:, 1] > y0 + pad) & (pixels[:, 1] < y1 - pad)).tolist())

    # The view may have moved by a pixel or two: compare with a margin either side.
    assert within(4) <= set(selected) <= within(-4), (len(within(4)), len(selected), len(within(-4)))
    assert len(selected) >= 3
    assert json.loads((folder / "right_selection.json").read_text()) == sorted(selected)
    # Both maps draw the selection: a ring round (nearly) every selected point, on each map.
    shown = {}
    for _ in range(120):
        shown = {side: lit_up(before[n], canvas_image(page, boxes[n]), boxes[n],
                              pixels_of(boxes[n], data[f"{side}_ndc"])[selected])
                 for n, side in enumerate(("left", "right"))}
        if min(shown.values()) >= 0.8:
            break
        page.wait_for_timeout(250)
    page.screenshot(path=str(ARTIFACTS / "browser_compare_lasso.png"))
    assert min(shown.values()) >= 0.8, f"share of the selected points drawn as selected: {shown}"


# ----- Jupyter Notebook 7 ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    pytest.importorskip("notebook", minversion="7",
                        reason="Jupyter Notebook 7 is not installed: pip install 'embedkit[notebooks]'")
    folder = tmp_path_factory.mktemp("notebook7")
    shutil.copy(NOTEBOOK7_NOTEBOOK, folder / NOTEBOOK7_NOTEBOOK.name)
    with start_server(folder, "notebook", env=private_cache(folder)) as server:
        yield server


@pytest.fixture(scope="module")
def notebook7_page(browser, notebook7):
    page, _ = open_and_run(browser, notebook7, NOTEBOOK7_NOTEBOOK.name, "NOTEBOOK-READY",
                           viewport=(1300, 1000), timeout_ms=900_000)
    assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook", "not Notebook 7's front end"
    page.wait_for_selector(".ek-legend-entry", timeout=300_000)
    scroll_output_to_top(page)
    yield page
    page.close()


def test_notebook7_model_notice_is_plain_output_not_red(notebook7_page):
    page = notebook7_page
    notice = page.locator(".jp-OutputArea-output", has_text="StaticSentenceEmbedder model loaded from")
    notice.first.wait_for(timeout=60_000)
    assert notice.count() == 1, "the model notice should be printed once"
    kind = notice.first.get_attribute("data-mime-type")
    colour = notice.first.evaluate("e => getComputedStyle(e).backgroundColor")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser_notebook7_notice.png"))
    assert kind == "application/vnd.jupyter.stdout", f"the notice is shown as {kind}"
    rgb = [int(v) for v in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
    alpha = float(colour.split(",")[3].strip(" )")) if colour.startswith("rgba") else 1.0
    reddish = alpha > 0.05 and rgb[0] - min(rgb[1], rgb[2]) > 25
    assert not reddish, f"the notice sits on a red background ({colour}), like an error"


def test_notebook7_map_draws_and_a_click_shows_the_true_neighbours(notebook7_page, notebook7):
    page = notebook7_page
    folder = notebook7["folder"]
    vectors, ndc = np.load(folder / "vectors.npy"), np.load(folder / "ndc.npy")
    box = map_boxes(page)[0]
    assert draws_points(page, box), "the map shows no points in Notebook 7"
    pixels = pixels_of(box, ndc)
    height = page.evaluate("() => window.innerHeight")
    for point in isolated(pixels, box, height, 3, keep=lambda i: unambiguous(vectors, i)):
        click(page, *pixels[point])
        assert panel_ids(page, 0, point) == exact_neighbours(vectors, point), f"point {point}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser_notebook7_click.png"))


def test_notebook7_query_box_places_a_typed_text(notebook7_page, notebook7):
    """The query box (embedder attached) lists the typed text's true neighbours."""
    from embedkit import StaticSentenceEmbedder

    page = notebook7_page
    vectors = np.load(notebook7["folder"] / "vectors.npy")
    text = "a small domesticated animal kept as a pet"
    query = StaticSentenceEmbedder(cache=False).transform([text])[0]
    # The same exact search, with the query appended as one more row.
    with_query = np.vstack([vectors, query])
    assert unambiguous(with_query, len(vectors)), "near-tied neighbours: pick another query text"
    expected = exact_neighbours(with_query, len(vectors))
    box = page.locator("input[placeholder^='type a text']")
    box.fill(text)
    box.press("Enter")
    side = page.locator(".ek-side").nth(0)
    side.locator(".ek-panel h4", has_text="Query: a small domesticated").wait_for(timeout=120_000)
    shown = side.evaluate("s => Array.from(s.querySelectorAll('.ek-neighbours li'), li => +li.dataset.index)")
    assert shown == expected


def test_notebook7_panel_and_legend_are_not_cut_off(notebook7_page):
    """The side panel (after a click) and legend sit wholly inside the Explorer and the window."""
    page = notebook7_page
    page.locator(".ek-side .ek-panel").first.wait_for(timeout=120_000)
    found = page.evaluate("""() => {
        const r = (el) => { const b = el.getBoundingClientRect(); return {left: b.left, right: b.right}; };
        const side = document.querySelector('.ek-side');
        const explorer = side.closest('.jp-OutputArea-output').querySelector('.widget-vbox');
        const clipped = Array.from(side.querySelectorAll('li, h4, .ek-text'))
            .filter(e => e.getBoundingClientRect().right > r(explorer).right + 1).length;
        return {side: r(side), legend: r(document.querySelector('.ek-legend')), explorer: r(explorer),
                map: r(explorer.querySelector('canvas')), window: window.innerWidth, clipped};
    }""")
    assert found["clipped"] == 0, f"panel rows run past the Explorer's right edge (cut off): {found}"
    for part in ("side", "legend"):
        assert found[part]["right"] <= min(found["explorer"]["right"], found["window"]) + 1, (part, found)
