"""The Explorer driven from Python: clicks, hovers and lassos set the map widget's synced
traits exactly as the browser does (jupyter-scatter's ``selection`` and ``hovering``)."""

from __future__ import annotations

import threading
import wave

import numpy as np
import pandas as pd
import pytest

import embedkit.explorer._mapstate as mapstate_module
from embedkit import EmbedkitError, Explorer, InputError, NeighborIndex, UnknownNameError, compare
from embedkit.explorer._mapfigure import CHOSEN_COLOUR, QUERY_COLOUR
from embedkit.explorer._search import ExactCosine

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "quotes \" and ' and & ampersands",
    "очень длинный текст " * 200,
    "日本語のテキストと絵文字 🐱",
]


def click(explorer, i):
    """Exactly what the browser sends on a click on point i: a one-point selection."""
    explorer.map.widget.selection = np.array([i])


def lasso(explorer, indices):
    explorer.map.widget.selection = np.array(list(indices))


def hover(explorer, i):
    explorer.map.widget.hovering = i


def panel_indices(explorer):
    return [row["index"] for row in explorer.controls.side.panel["neighbours"]]


def shown_positions(explorer):
    """The map's points as the widget sends them (normalised), back in map coordinates."""
    ndc = explorer.map.ndc()
    coords = explorer.coords
    low, high = coords.min(axis=0), coords.max(axis=0)
    return (ndc + 1) / 2 * (high - low) + low


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=6, size=(3, 12))
    X = np.vstack([c + rng.normal(size=(20, 12)) for c in centres])
    labels = np.repeat(["red", "green", "blue"], 20).tolist()
    texts = [f"text number {i}" for i in range(60)]
    return X, texts, labels


@pytest.fixture
def pca_explorer(blobs):
    X, texts, labels = blobs
    return Explorer(X, texts, labels=labels, method="pca", k=5)


def test_click_fills_the_panel_with_the_true_neighbours_in_the_original_space(pca_explorer, blobs):
    X = blobs[0]
    click(pca_explorer, 7)
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)
    similarity = unit @ unit[7]
    similarity[7] = -np.inf
    truth = np.argsort(-similarity)[:5]
    assert pca_explorer.chosen == 7
    assert pca_explorer.neighbors_of(7)["index"].tolist() == truth.tolist()
    panel = pca_explorer.controls.side.panel
    assert panel_indices(pca_explorer) == truth.tolist()
    assert panel["item"]["text"] == "text number 7"
    assert panel["neighbours"][0]["score"] == pytest.approx(similarity[truth[0]], abs=1e-4)
    # The chosen point and its neighbours are highlighted; the point is marked where it is.
    assert pca_explorer.map.widget.selection.tolist() == [7, *truth.tolist()]
    x, y, colour = pca_explorer.map.marks[0]
    assert np.allclose([x, y], pca_explorer.coords[7]) and colour == CHOSEN_COLOUR


def test_neighbours_differ_from_the_nearest_points_on_the_map(blobs):
    # Squash the data to 2 PCA dims: the panel must still use the original space.
    X = np.random.default_rng(1).normal(size=(80, 30))
    explorer = Explorer(X, [str(i) for i in range(80)], method="pca", k=5)
    map_nearest = np.argsort(np.linalg.norm(explorer.coords - explorer.coords[0], axis=1))[1:6]
    assert explorer.neighbors_of(0)["index"].tolist() == NeighborIndex(X).neighbors_of(0, 5)[0].tolist()
    assert set(explorer.neighbors_of(0)["index"]) != set(map_nearest)


def test_click_searches_keep_their_results_across_threads(blobs):
    # A PCA map builds no graph: each click searches the index, whose score
    # buffer is reused per thread. Earlier answers must not change, and
    # threads must not see each other's scores.
    X = blobs[0]
    explorer = Explorer(X, [str(i) for i in range(60)], method="pca", k=5)
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)

    def truth(i):
        similarity = unit @ unit[i]
        similarity[i] = -np.inf
        return np.argsort(-similarity, kind="stable")[:5].tolist()

    first = explorer.neighbors_of(7)
    explorer.neighbors_of(40)
    assert first["index"].tolist() == truth(7)
    assert first["score"].tolist() == explorer.neighbors_of(7)["score"].tolist()
    found = {}

    def work(i):
        for _ in range(200):
            found.setdefault(i, set()).add(tuple(explorer.map_state.exact.neighbors_of(i, 5)[0]))

    threads = [threading.Thread(target=work, args=(i,)) for i in (3, 25, 50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {i: [list(t) for t in answers] for i, answers in found.items()} == \
        {i: [truth(i)] for i in (3, 25, 50)}


def test_colour_by_label_gives_one_colour_per_label_and_an_escaped_legend(blobs):
    X, texts, _ = blobs
    labels = ["<b>bold</b>"] * 30 + ["plain"] * 30
    explorer = Explorer(X, texts, labels=labels, method="pca")
    legend = explorer.controls.legend.value
    assert "&lt;b&gt;bold&lt;/b&gt;" in legend and "<b>bold" not in legend and "plain" in legend
    colour_values = np.asarray(explorer.map.widget.points)[:, 2]
    assert len(np.unique(colour_values[:30])) == 1 and colour_values[0] != colour_values[59]
    explorer.color_by("none")
    assert explorer.controls.legend.value == ""
    explorer.color_by("cluster")
    assert "ek-legend-entry" in explorer.controls.legend.value
    with pytest.raises(UnknownNameError, match="Did you mean"):
        explorer.color_by("labell")


def test_metadata_columns_can_label_and_colour(blobs):
    X, texts, labels = blobs
    meta = pd.DataFrame({"group": labels, "size": np.linspace(0, 1, 60)}, index=range(100, 160))
    explorer = Explorer(X, texts, labels="group", metadata=meta, method="pca")
    assert list(meta.index[:2]) == [100, 101], "the user's DataFrame must not change"
    explorer.color_by("size")
    colour_values = np.asarray(explorer.map.widget.points)[:, 2]
    assert np.all(np.diff(colour_values) >= 0) and colour_values[0] < colour_values[-1], \
        "a numeric column is a colour scale, in order"
    assert explorer.neighbors_of(0).columns.tolist() == ["index", "score", "item", "group", "size"]
    with pytest.raises(InputError, match="not a metadata column"):
        Explorer(X, texts, labels="nope", metadata=meta, method="pca")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_user_text_is_escaped_in_hover_panel_and_export(hostile, tmp_path):
    X = np.random.default_rng(2).normal(size=(6, 4))
    items = [hostile] + [f"safe {i}" for i in range(5)]
    explorer = Explorer(X, items, labels=[hostile] * 3 + ["ok"] * 3, method="pca", k=3,
                        title=hostile)
    click(explorer, 0)
    # The panel is data, drawn with textContent by the renderer: the text arrives unchanged.
    assert explorer.controls.side.panel["item"]["text"] == hostile
    for widget in (explorer.controls.legend, explorer.widget.children[0]):
        assert "<script" not in widget.value and "<img src=x" not in widget.value
    assert "&quot;" not in explorer.controls.legend.value + explorer.widget.children[0].value
    static = explorer.panel_html(0, [1], [0.5])
    assert "<script" not in static and "<img src=x" not in static
    page = explorer.to_html(tmp_path / "map.html").read_text(encoding="utf-8")
    assert hostile not in page or "<" not in hostile
    assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda X: Explorer(X, ["a"] * 9, method="pca"), "10 embeddings but 9 items"),
        (lambda X: Explorer(np.where(np.eye(10, 4) > 0, np.nan, X), ["a"] * 10), "NaN or infinite"),
        (lambda X: Explorer(np.where(np.eye(10, 4) > 0, np.inf, X), ["a"] * 10), "NaN or infinite"),
        (lambda X: Explorer(X[:1], ["a"], method="pca"), "at least 2 points"),
        (lambda X: Explorer(X, ["a"] * 10, labels=["x"] * 3, method="pca"), "3 labels"),
        (lambda X: Explorer(X, ["a"] * 10, metadata=pd.DataFrame({"a": [1]}), method="pca"), "1 rows"),
        (lambda X: Explorer(X, "one string", method="pca"), "single string"),
        (lambda X: Explorer(X, ["a"] * 10, kind="video", method="pca"), "kind must be"),
        (lambda X: Explorer(X, ["a"] * 10, method="umapp"), "Did you mean"),
        (lambda X: Explorer(X, ["a"] * 10, method="pca", bogus=1), "Unknown parameter"),
        (lambda X: Explorer(X, ["a"] * 10, method="pca").select(10), "does not exist"),
        (lambda X: Explorer(X, ["a"] * 10, method="pca").query("hi"), "no embedder"),
    ],
)
def test_bad_input_gets_a_clear_embedkit_error(make, message):
    X = np.random.default_rng(3).normal(size=(10, 4))
    with pytest.raises(EmbedkitError, match=message):
        make(X)


def test_lasso_selection_reaches_python_as_a_dataframe_and_an_event(pca_explorer):
    heard, traits = [], []
    pca_explorer.on_select(heard.append)
    pca_explorer.observe(lambda change: traits.append(change["new"]), names="selected_indices")
    lasso(pca_explorer, [9, 3, 4])
    assert pca_explorer.selected["index"].tolist() == [3, 4, 9]
    assert pca_explorer.selected["item"].tolist() == ["text number 3", "text number 4", "text number 9"]
    assert heard[-1]["index"].tolist() == [3, 4, 9] and traits == [[3, 4, 9]]
    assert "text number 9" in pca_explorer.controls.table.value, "the selection table lists them"
    lasso(pca_explorer, [])  # a click on empty space clears the selection
    assert pca_explorer.selected.empty


def test_search_highlights_and_steps_through_matches(pca_explorer):
    found = pca_explorer.search("NUMBER 1")
    assert found.tolist() == [1] + list(range(10, 20))
    assert pca_explorer.map.widget.selection.tolist() == found.tolist()
    assert pca_explorer.map.widget.zoom_to.tolist() == found.tolist(), "the map zooms to the matches"
    assert pca_explorer.step_match() == 1 and pca_explorer.step_match() == 10
    assert pca_explorer.step_match(-1) == 1 and pca_explorer.chosen == 1
    assert pca_explorer.search("green").size == 20  # labels are searched too
    assert pca_explorer.search("").size == 0


def test_query_places_an_embedded_item_among_its_neighbours(blobs):
    X, texts, labels = blobs

    class LookupEmbedder:
        def transform(self, items):
            return np.stack([X[int(item.split()[-1])] + 0.01 for item in items])

    explorer = Explorer(X, texts, labels=labels, method="pca", k=4, embedder=LookupEmbedder())
    found = explorer.query("like 25")
    assert found["index"].iloc[0] == 25 and (found[explorer.label_name] == labels[25]).all()
    assert [colour for *_, colour in explorer.map.marks] == [QUERY_COLOUR]
    assert explorer.controls.side.panel["title"].startswith("Query")


def test_one_knn_graph_serves_panel_faithfulness_and_umap(blobs, monkeypatch):
    X, texts, labels = blobs
    calls = []
    real = ExactCosine.all_neighbors
    monkeypatch.setattr(ExactCosine, "all_neighbors",
                        lambda self, k, **kw: calls.append(k) or real(self, k, **kw))
    explorer = Explorer(X, texts, labels=labels, method="umap", background=False, n_neighbors=10)
    assert len(calls) == 1
    explorer.color_by("faithfulness")
    score = explorer.faithfulness_score()
    click(explorer, 3)
    assert len(calls) == 1, "the graph must be computed once and reused"
    values = explorer.faithfulness()
    assert values.shape == (60,) and 0 <= values.min() and values.max() <= 1
    assert 0.5 < score["kept_fraction"] <= 1 and score["trustworthiness"] > 0.8
    assert "faithfulness" in explorer.controls.score.value


def test_umap_not_cached_yet_shows_pca_first_then_umap(blobs):
    X, texts, _ = blobs
    explorer = Explorer(X, texts, method="umap", n_neighbors=8)
    first = explorer.shown_method
    coords = explorer.wait_for_map(timeout=120)
    assert first == "pca" and explorer.shown_method == "umap"
    np.testing.assert_allclose(shown_positions(explorer), coords, rtol=1e-4, atol=1e-4)
    # A second Explorer on the same data finds UMAP in the disk cache at once.
    again = Explorer(X, texts, method="umap", n_neighbors=8)
    assert again.shown_method == "umap" and again.map_state.worker is None


def test_the_first_map_never_waits_for_the_neighbour_graph(blobs, monkeypatch):
    X, texts, _ = blobs
    X = X * 1.5 + 0.25  # data no other test has cached a graph for
    built_in, release = [], threading.Event()
    real = ExactCosine.all_neighbors

    def slow_graph(self, k, **kw):
        built_in.append(threading.current_thread().name)
        release.wait(20)  # the graph "takes" until the test has looked at the first map
        return real(self, k, **kw)

    monkeypatch.setattr(ExactCosine, "all_neighbors", slow_graph)
    explorer = Explorer(X, texts, method="umap", n_neighbors=8, k=4)
    assert explorer.shown_method == "pca" and not release.is_set()
    click(explorer, 3)  # clicks work meanwhile, searching the original space directly
    assert explorer.neighbors_of(3)["index"].tolist() == NeighborIndex(X).neighbors_of(3, 4)[0].tolist()
    release.set()
    explorer.wait_for_map(timeout=120)
    assert explorer.shown_method == "umap" and built_in == ["embedkit-projection"]
    # The chosen point's highlights moved to the new map with it.
    np.testing.assert_allclose(explorer.map.marks[0][:2], explorer.coords[3])


def test_a_map_arriving_in_the_background_is_recoloured_by_its_own_faithfulness(blobs):
    X, texts, labels = blobs
    explorer = Explorer(X, texts, labels=labels, method="pca", k=4)
    explorer.color_by("faithfulness")
    pca_faithfulness = explorer.faithfulness().copy()
    explorer.set_projection("tsne", perplexity=6, background=True)
    explorer.wait_for_map(timeout=120)
    assert explorer.shown_method == "tsne"
    assert "failed" not in explorer.controls.status.value, explorer.controls.status.value
    shown = np.asarray(explorer.map.scatter._data["_colour"], dtype=float)
    np.testing.assert_allclose(shown, explorer.faithfulness())
    assert not np.array_equal(explorer.faithfulness(), pca_faithfulness)


def test_clicks_during_a_background_map_end_consistent(blobs):
    X, texts, _ = blobs
    explorer = Explorer(X, texts, method="pca", k=4)
    explorer.search("number 2")
    explorer.set_projection("tsne", perplexity=8, background=True)
    rng = np.random.default_rng(0)
    while explorer.map_state.worker.is_alive():
        click(explorer, int(rng.integers(60)))
    explorer.wait_for_map()
    chosen, coords = explorer.chosen, explorer.coords
    neighbours = explorer.neighbors_of(chosen)["index"].to_numpy()
    assert explorer.shown_method == "tsne"
    np.testing.assert_allclose(shown_positions(explorer), coords, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(explorer.map.marks[0][:2], coords[chosen])
    assert explorer.map.widget.selection.tolist() == [chosen, *neighbours.tolist()]


def test_projection_controls_recompute_and_cache(pca_explorer, monkeypatch):
    calls = []
    real = mapstate_module.project
    monkeypatch.setattr(mapstate_module, "project", lambda *a, **k: calls.append(k) or real(*a, **k))
    pca_explorer.set_projection("tsne", perplexity=5, background=False)
    tsne = pca_explorer.coords.copy()
    pca_explorer.set_projection("pca", background=False)
    pca_explorer.set_projection("tsne", perplexity=5, background=False)
    assert len(calls) == 1 and np.array_equal(pca_explorer.coords, tsne)
    with pytest.raises(InputError):
        pca_explorer.set_projection("tsne", perplexityy=5)


def _png(path, color):
    from PIL import Image

    Image.new("RGB", (64, 48), color).save(path)
    return str(path)


def test_image_items_show_thumbnails(tmp_path):
    paths = [_png(tmp_path / f"{i}.png", (40 * i, 10, 200)) for i in range(6)]
    X = np.random.default_rng(4).normal(size=(6, 5))
    explorer = Explorer(X, paths, method="pca", k=2)
    assert explorer.kind == "image"
    click(explorer, 1)
    panel = explorer.controls.side.panel
    media = [panel["item"]["media"]] + [row["item"]["media"] for row in panel["neighbours"]]
    assert all(m.startswith("data:image/png;base64,") for m in media) and len(media) == 3
    hover(explorer, 2)
    assert explorer.controls.side.preview["item"]["media"].startswith("data:image/png")
    hover(explorer, None)
    assert explorer.controls.side.preview is None, "the preview goes when the pointer leaves"


def _wav(path, seconds=0.5, rate=8000):
    tone = (np.sin(np.arange(int(seconds * rate)) * 0.2) * 20000).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(tone.tobytes())
    return str(path)


def test_audio_items_get_players_and_lengths(tmp_path):
    paths = [_wav(tmp_path / f"clip{i}.wav", 0.25 * (i + 1)) for i in range(5)]
    X = np.random.default_rng(5).normal(size=(5, 3))
    explorer = Explorer(X, paths, method="pca", k=2)
    assert explorer.kind == "audio"
    click(explorer, 0)
    panel = explorer.controls.side.panel
    rows = [panel["item"]] + [row["item"] for row in panel["neighbours"]]
    assert all(r["media"].startswith("data:audio/wav;base64,") for r in rows) and len(rows) == 3
    assert panel["item"]["text"].startswith("clip0.wav (0.") and panel["item"]["text"].endswith(" s)")
    assert explorer.panel_html(0, [1, 2], [0.5, 0.4]).count("<audio") == 3


def test_compare_links_clicks_and_selections(blobs):
    X, texts, labels = blobs
    both = compare(X, X[:, :6], items=texts, labels=labels, method="pca", k=4)
    click(both.left, 12)
    assert both.right.chosen == 12
    assert both.right.neighbors_of(12)["index"].tolist() == NeighborIndex(X[:, :6]).neighbors_of(12, 4)[0].tolist()
    lasso(both.right, [1, 2])
    assert both.left.selected["index"].tolist() == [1, 2]
    assert both.left.map.widget.selection.tolist() == [1, 2]
    overlap = both.neighbor_overlap()
    assert overlap.shape == (60,) and 0 <= overlap.min() and overlap.max() <= 1
    with pytest.raises(InputError, match="same items"):
        compare(both.left, Explorer(X[:10], texts[:10], method="pca"))


def test_explorer_displays_as_a_widget(pca_explorer):
    bundle = pca_explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_too_large_an_export_is_refused_before_any_work(pca_explorer, tmp_path, monkeypatch):
    import embedkit.explorer._export as export_module

    monkeypatch.setattr(export_module, "EXPORT_MAX_POINTS", len(pca_explorer.X) - 1)
    with pytest.raises(InputError, match="Export a sample instead"):
        pca_explorer.to_html(tmp_path / "map.html")
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a partial page


def test_a_large_lasso_arrives_whole_and_bad_rows_are_refused(pca_explorer):
    rows = np.arange(len(pca_explorer.X))[::-1]  # an array, as the browser sends it
    frame = pca_explorer.set_selection(np.concatenate([rows, rows[:5]]))
    assert pca_explorer.selected_indices == sorted(rows.tolist())
    assert frame["index"].tolist() == sorted(rows.tolist())
    with pytest.raises(InputError, match="does not exist"):
        pca_explorer.set_selection(np.array([0, len(pca_explorer.X)]))
    with pytest.raises(InputError, match="does not exist"):
        pca_explorer.set_selection(np.array([-1, 2]))
