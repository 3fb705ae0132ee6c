"""Defects found by new users (issue 17) and by hostile input (issue 15, items 8 and 14), each
reproduced here, plus the API the clustering and search lessons rely on (label names, index=).

The map widget's synced traits are set exactly as the browser sets them; the browser-side
half of each defect (what a learner sees) is in tests/test_browser.py.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from embedkit import EmbedkitError, Explorer, InputError, NeighborIndex, compare


def click(explorer, i):
    explorer.map.widget.selection = np.array([i])


def lasso(explorer, indices):
    explorer.map.widget.selection = np.array(list(indices))


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=6, size=(3, 12))
    X = np.vstack([c + rng.normal(size=(20, 12)) for c in centres])
    return X, [f'item "{i}" & more' for i in range(60)], np.repeat(['say "hi"', "b", "c"], 20).tolist()


def test_to_html_after_a_lasso_writes_the_page(blobs, tmp_path):
    X, texts, labels = blobs
    explorer = Explorer(X, texts, labels=labels, method="pca", k=4)
    lasso(explorer, [1, 2, 3])
    click(explorer, 5)
    page = explorer.to_html(tmp_path / "after_lasso.html")
    assert page.exists() and "ek-data" in page.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.partial")), "no half-written file is left behind"


def test_to_html_refuses_other_suffixes(blobs, tmp_path):
    X, texts, _ = blobs
    with pytest.raises(InputError, match=".html"):
        Explorer(X, texts, method="pca").to_html(tmp_path / "map.png")


def test_compare_fits_a_1600_px_window_and_both_maps_get_their_umap(blobs):
    X, texts, labels = blobs
    both = compare(X, X[:, :6], items=texts, labels=labels, method="umap", n_neighbors=8, k=4)
    widths = [int(side.widget.layout.width.removesuffix("px")) for side in (both.left, both.right)]
    assert sum(widths) <= 1550, f"the two Explorers are {widths} px wide"
    assert both.widget.layout.flex_flow == "row wrap", "a narrower window wraps instead of cutting off"
    for side in (both.left, both.right):
        side.wait_for_map(timeout=300)
        assert side.shown_method == "umap"
        np.testing.assert_allclose(side.map.ndc().max(axis=0), [1, 1], atol=1e-5)  # points are drawn


def test_quotes_are_not_shown_as_entities(blobs):
    X, texts, labels = blobs
    explorer = Explorer(X, texts, labels=labels, method="pca", k=3, title='the "glosses" map')
    click(explorer, 0)
    panel = explorer.controls.side.panel
    assert panel["item"]["text"] == 'item "0" & more' and panel["title"] == 'Point 0 · say "hi"'
    assert 'say "hi"' in explorer.controls.legend.value
    assert 'the "glosses" map' in explorer.widget.children[0].value
    for shown in (explorer.controls.legend.value, explorer.widget.children[0].value,
                  explorer.panel_html(0, [1], [0.5])):
        assert "&quot;" not in shown


def test_the_neighbour_list_is_numbered_once(blobs):
    X, texts, labels = blobs
    explorer = Explorer(X, texts, labels=labels, method="pca", k=3)
    static = explorer.panel_html(0, [1, 2], [0.5, 0.4])
    assert "<ol" in static and "1." not in static and "<b>1" not in static
    from embedkit.explorer._panel_assets import PANEL_JS

    assert "'ol'" in PANEL_JS and "rank" not in PANEL_JS, "the <ol> numbers rows; nothing else does"


def test_a_click_replaces_the_hover_preview(tmp_path):
    from PIL import Image

    paths = []
    for i in range(6):
        Image.new("RGB", (32, 24), (40 * i, 20, 90)).save(tmp_path / f"{i}.png")
        paths.append(str(tmp_path / f"{i}.png"))
    explorer = Explorer(np.random.default_rng(4).normal(size=(6, 5)), paths, method="pca", k=2)
    explorer.map.widget.hovering = 4
    assert explorer.controls.side.preview["point"] == 4
    assert explorer.controls.side.preview["title"].startswith("Under the pointer")
    click(explorer, 1)
    assert explorer.controls.side.preview is None, "the last hovered image must not sit above the panel"
    assert explorer.controls.side.panel["point"] == 1


def test_a_decompression_bomb_among_the_images_is_a_note_not_a_crash(tmp_path, monkeypatch):
    from PIL import Image

    paths = []
    for i in range(5):
        Image.new("RGB", (64, 48), (30 * i, 10, 10)).save(tmp_path / f"{i}.png")
        paths.append(str(tmp_path / f"{i}.png"))
    Image.new("RGB", (200, 200), "white").save(tmp_path / "bomb.png")
    paths.append(str(tmp_path / "bomb.png"))
    # The bomb: far more pixels than the limit (PIL raises DecompressionBombError above 2x).
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    X = np.random.default_rng(5).normal(size=(6, 4))
    explorer = Explorer(X, paths, method="pca", k=5)
    explorer.map.widget.hovering = 5
    assert "not readable" in explorer.controls.side.preview["item"]["note"]
    click(explorer, 5)
    notes = [row["item"].get("note") for row in explorer.controls.side.panel["neighbours"]]
    assert explorer.controls.side.panel["item"]["media"] is None and all(n is None for n in notes)
    page = explorer.to_html(tmp_path / "bomb_map.html")
    assert page.stat().st_size > 0


def test_ragged_embeddings_get_a_clear_error():
    with pytest.raises(EmbedkitError, match="could not be converted"):
        Explorer([[1, 2], [3]], ["a", "b"])


def test_the_explorer_owns_its_copy_of_the_vectors(blobs):
    X, texts, _ = blobs
    X = X.astype(np.float32)
    explorer = Explorer(X, texts, method="pca", k=4)
    before = explorer.neighbors_of(0)["index"].tolist()
    X[:] = np.random.default_rng(9).normal(size=X.shape)  # the caller edits their array in place
    assert explorer.neighbors_of(0)["index"].tolist() == before
    assert not np.shares_memory(explorer.X, X)
    with pytest.raises(ValueError):
        explorer.X[0, 0] = 1.0  # read-only: the map and its index cannot drift apart


def test_one_copy_of_the_data_no_normalised_second_one():
    X = np.random.default_rng(1).normal(size=(20_000, 128)).astype(np.float32)
    items = [str(i) for i in range(len(X))]
    Explorer(X[:50], items[:50], method="pca", k=5)  # imports and caches: not the Explorer's data
    tracemalloc.start()
    explorer = Explorer(X, items, method="pca", k=5)
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.shares_memory(explorer.map_state.exact.X, explorer.X)
    # One float32 copy (the Explorer's) plus the map's per-point arrays (jupyter-scatter keeps
    # ~80 bytes a point); a normalised copy would add another 1x.
    assert kept < 1.5 * X.nbytes, f"the Explorer keeps {kept / X.nbytes:.2f}x the data"


def test_label_names_are_drawn_at_the_centre_of_their_points(blobs):
    X, texts, _ = blobs
    names = np.repeat(["cluster: animals", "cluster: food", "cluster: tools"], 20).tolist()
    explorer = Explorer(X, texts, labels=names, method="pca", show_label_names=True)
    drawn = explorer.map.widget.labels
    assert sorted(drawn["label"].unique()) == sorted(set(names))
    coords = explorer.coords
    spread = np.ptp(coords, axis=0).max()
    for name, first in (("cluster: animals", 0), ("cluster: tools", 40)):
        row = drawn[drawn["label"] == name].iloc[0]
        centre = np.median(coords[first:first + 20], axis=0)
        assert np.hypot(row["x"] - centre[0], row["y"] - centre[1]) < 0.15 * spread
    with pytest.raises(InputError, match="needs labels"):
        Explorer(X, texts, method="pca", show_label_names=True)


def test_a_users_index_answers_clicks_and_queries(blobs):
    X, texts, labels = blobs

    class ReverseIndex:
        """A deliberately different index: ranks by Euclidean distance, returns (scores, ids)."""

        def __init__(self):
            self.calls = 0

        def search(self, queries, k):
            self.calls += 1
            distances = np.linalg.norm(np.asarray(queries)[:, None, :] - X[None], axis=2)
            ids = np.argsort(distances, axis=1, kind="stable")[:, :k]
            return -np.take_along_axis(distances, ids, axis=1), ids

    class LookupEmbedder:
        def transform(self, items):
            return np.stack([X[int(item.split()[-1])] for item in items])

    index = ReverseIndex()
    explorer = Explorer(X, texts, labels=labels, method="pca", k=4, index=index,
                        embedder=LookupEmbedder())
    click(explorer, 7)
    euclid = np.argsort(np.linalg.norm(X - X[7], axis=1), kind="stable")[1:5].tolist()
    assert [row["index"] for row in explorer.controls.side.panel["neighbours"]] == euclid
    assert explorer.query("like 7")["index"].tolist()[0] == 7 and index.calls >= 2
    with pytest.raises(InputError, match="search"):
        Explorer(X, texts, method="pca", index=object())
    # Without index=, exact cosine search (as NeighborIndex computes it).
    plain = Explorer(X, texts, method="pca", k=4)
    assert plain.neighbors_of(7)["index"].tolist() == NeighborIndex(X).neighbors_of(7, 4)[0].tolist()


def test_large_maps_fit_pca_and_clusters_on_a_sample_without_copying(blobs, monkeypatch):
    import embedkit.explorer._mapstate as mapstate

    X, texts, labels = blobs
    monkeypatch.setattr(mapstate, "SAMPLED_FIT_POINTS", 40)  # 60 points count as "large" here
    explorer = Explorer(X * 2.0 + 1.0, texts, labels=labels, method="pca", k=4)
    full = np.asarray(__import__("embedkit").project(X * 2.0 + 1.0, method="pca"))
    # The sampled PCA spans (nearly) the same plane as the full one: coordinates correlate.
    correlation = np.abs(np.corrcoef(explorer.coords[:, 0], full[:, 0])[0, 1])
    assert explorer.coords.shape == (60, 2) and correlation > 0.95
    clusters = explorer.clusters(3)
    assert clusters.shape == (60,) and len(set(clusters[:20])) == 1, "one blob, one cluster"


def test_copy_false_uses_the_callers_float32_array_in_place():
    X = np.random.default_rng(2).normal(size=(20_000, 128)).astype(np.float32)
    items = [str(i) for i in range(len(X))]
    Explorer(X[:50], items[:50], method="pca", k=5)  # imports and caches: not the Explorer's data
    tracemalloc.start()
    explorer = Explorer(X, items, method="pca", k=5, copy=False)
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.shares_memory(explorer.X, X) and X.flags.writeable  # the caller's array is untouched
    assert kept < 0.5 * X.nbytes, f"copy=False still keeps {kept / X.nbytes:.2f}x the data"
    assert explorer.neighbors_of(0)["index"].tolist() == Explorer(X, items, method="pca", k=5).neighbors_of(0)["index"].tolist()


def test_copy_must_be_a_bool(blobs):
    X, texts, _ = blobs
    with pytest.raises(EmbedkitError, match="copy must be True or False"):
        Explorer(X, texts, method="pca", copy="no")
