import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from embedkit import Embedder, InputError, release_models
from embedkit.embedder import _RECENT, _SHARED_MODELS


class CharCounts(Embedder):
    """Counts of a, b, c: a stand-in model that records its loads and batches."""

    modality = "text"
    loads: list = []
    batches: list = []

    def __init__(self, letters="abc", batch_size=32, cache=True, progress=None):
        super().__init__(batch_size=batch_size, cache=cache, progress=progress)
        self.letters = letters

    def _load_model(self):
        CharCounts.loads.append(self.letters)
        return self.letters

    def _check_item(self, item, index):
        if not isinstance(item, str):
            raise InputError(f"Item {index} is not a text.")
        return item

    def _embed_batch(self, model, batch):
        CharCounts.batches.append(len(batch))
        return np.array([[text.count(c) for c in model] for text in batch])


@pytest.fixture(autouse=True)
def fresh():
    CharCounts.loads.clear()
    CharCounts.batches.clear()
    for key in [k for k in _SHARED_MODELS if "CharCounts" in str(k)]:
        del _SHARED_MODELS[key]
    _RECENT.clear()


def test_model_loads_lazily_once_and_is_shared_by_clones():
    embedder = CharCounts(cache=False)
    assert CharCounts.loads == []
    embedder.transform(["abc"])
    clone(embedder).transform(["aab"])
    assert CharCounts.loads == ["abc"]
    CharCounts(letters="xyz", cache=False).transform(["x"])
    assert CharCounts.loads == ["abc", "xyz"]


def test_items_are_batched_and_results_stacked_in_order():
    texts = [c * (i + 1) for i, c in enumerate("abcabcabca")]
    vectors = CharCounts(batch_size=4, cache=False).transform(texts)
    assert CharCounts.batches == [4, 4, 2]
    assert vectors.dtype == np.float32 and vectors.shape == (10, 3)
    assert vectors[3].tolist() == [4, 0, 0] and vectors[9].tolist() == [10, 0, 0]


def test_results_are_cached_by_content():
    embedder = CharCounts()
    first = embedder.transform(["abba", "cab"])
    again = CharCounts().transform(["abba", "cab"])
    assert CharCounts.batches == [2] and np.array_equal(first, again)
    CharCounts().transform(["abba", "cabs"])
    assert CharCounts.batches == [2, 2], "a changed item must not reuse the cache"
    CharCounts(letters="ab").transform(["abba", "cab"])
    assert CharCounts.batches == [2, 2, 2], "a changed setting must not reuse the cache"


def test_a_bad_item_fails_before_any_batch_runs():
    with pytest.raises(InputError, match="Item 2"):
        CharCounts(batch_size=1, cache=False).transform(["a", "b", 3, "c"])
    assert CharCounts.batches == []


@pytest.mark.parametrize("bad", ["a single string", [], 42, None])
def test_bad_collections_are_rejected(bad):
    with pytest.raises(InputError):
        CharCounts(cache=False).transform(bad)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True])
def test_bad_batch_size_is_rejected(batch_size):
    with pytest.raises(InputError, match="batch_size"):
        CharCounts(batch_size=batch_size, cache=False).transform(["a"])


def test_nan_output_is_reported_not_returned():
    class Broken(CharCounts):
        def _embed_batch(self, model, batch):
            return np.full((len(batch), 2), np.nan)

    with pytest.raises(InputError, match="NaN"):
        Broken(cache=False).transform(["a", "b"])


def test_works_inside_a_scikit_learn_pipeline():
    texts = ["aaa", "aab", "aaaa", "ccc", "ccb", "cccc"] * 3
    labels = [0, 0, 0, 1, 1, 1] * 3
    pipeline = make_pipeline(CharCounts(cache=False), LogisticRegression())
    assert pipeline.fit(texts, labels).score(texts, labels) == 1.0
    assert pipeline.get_params()["charcounts__letters"] == "abc"


def test_progress_bar_appears_only_for_long_inputs(capsys):
    CharCounts(cache=False, batch_size=10).transform(["a"] * 20)
    assert "CharCounts" not in capsys.readouterr().err
    CharCounts(cache=False, batch_size=10, progress=True).transform(["a"] * 20)
    assert "CharCounts" in capsys.readouterr().err


def test_feature_names_follow_the_output():
    embedder = CharCounts(cache=False)
    with pytest.raises(InputError):
        embedder.get_feature_names_out()
    embedder.fit_transform(["a"])
    assert embedder.get_feature_names_out().tolist() == ["charcounts_0", "charcounts_1", "charcounts_2"]


def test_a_batch_order_is_undone_and_errors_name_input_positions():
    class LongestFirst(CharCounts):
        def _batch_order(self, items):
            return np.argsort([-len(t) for t in items], kind="stable")

        def _embed_batch(self, model, batch):
            CharCounts.batches.append([len(t) for t in batch])
            return np.array([[np.nan if "x" in t else len(t)] for t in batch])

    vectors = LongestFirst(batch_size=2, cache=False).transform(["a", "ccc", "bb"])
    assert CharCounts.batches == [[3, 2], [1]], "embedded longest first"
    assert vectors[:, 0].tolist() == [1, 3, 2], "returned in input order"
    with pytest.raises(InputError, match=r"items \[0\]"):
        LongestFirst(batch_size=2, cache=False).transform(["x", "ccccc", "bb"])


class Interrupted(CharCounts):
    """Stops like a Ctrl-C once ``stop_after`` batches have run."""

    stop_after = None

    def _embed_batch(self, model, batch):
        if Interrupted.stop_after is not None and len(CharCounts.batches) >= Interrupted.stop_after:
            raise KeyboardInterrupt
        return super()._embed_batch(model, batch)


def test_an_interrupted_run_resumes_from_its_finished_chunks(isolated_cache):
    items = [f"abc text {i}" * (i % 3 + 1) for i in range(40)]  # 20 batches of 2, chunks of 4 batches
    Interrupted.stop_after = 10
    with pytest.raises(KeyboardInterrupt):
        Interrupted(batch_size=2).transform(items)
    assert len(CharCounts.batches) == 10
    kept = list(isolated_cache.glob("*.npy"))
    assert len(kept) == 2  # two finished chunks (8 batches) survived; the third was cut short
    CharCounts.batches.clear()
    Interrupted.stop_after = None
    vectors = Interrupted(batch_size=2).transform(items)
    assert len(CharCounts.batches) == 20 - 8  # only what was not finished is embedded again
    expected = CharCounts(batch_size=2, cache=False).transform(items)
    np.testing.assert_array_equal(vectors, expected)


def test_chunk_entries_give_way_to_the_whole_result(isolated_cache):
    items = [f"text {i} abc" for i in range(30)]
    CharCounts(batch_size=2).transform(items)
    assert len(list(isolated_cache.glob("*.npy"))) == 1  # the chunks were merged into one entry
    CharCounts.batches.clear()
    CharCounts(batch_size=2).transform(items)
    assert CharCounts.batches == []


def test_numpy_integers_are_accepted_as_batch_size():
    assert CharCounts(batch_size=np.int64(2), cache=False).transform(["a", "b", "c"]).shape == (3, 3)
    assert CharCounts.batches == [2, 1]


def test_fit_transform_reads_a_generator_once():
    vectors = CharCounts(cache=False).fit_transform(text for text in ["aa", "b"])
    assert vectors.tolist() == [[2, 0, 0], [0, 1, 0]]


def test_the_model_notice_is_plain_output_not_an_error(capsys):
    import logging

    logger = logging.getLogger("embedkit")
    saved = list(logger.handlers)
    logger.handlers.clear()  # as in a notebook: nobody configured embedkit's logger
    try:
        CharCounts(cache=False)._say_loaded_from("a test stand-in")
    finally:
        logger.handlers[:] = saved
    out, err = capsys.readouterr()
    assert "CharCounts model loaded from a test stand-in" in out and err == ""


def test_a_subset_of_items_already_embedded_is_not_embedded_again(isolated_cache):
    items = [f"text {i} " + "abc"[i % 3] * i for i in range(10)]
    whole = CharCounts(batch_size=2).transform(items)
    assert CharCounts.batches == [2] * 5
    train, test = [items[i] for i in (7, 1, 4, 8, 2)], [items[i] for i in (0, 9)]
    np.testing.assert_array_equal(CharCounts(batch_size=2).transform(train), whole[[7, 1, 4, 8, 2]])
    np.testing.assert_array_equal(CharCounts(batch_size=2).transform(test), whole[[0, 9]])
    assert CharCounts.batches == [2] * 5, "a Pipeline fitting on a subset reuses the vectors"
    CharCounts(batch_size=2).transform(test + ["a new text"])
    assert CharCounts.batches == [2] * 5 + [2, 1], "an unseen item means a real embedding run"
    CharCounts(letters="ab", batch_size=2).transform(train)
    assert CharCounts.batches[-3:] == [2, 2, 1], "another model setting never reuses these vectors"


def test_remembered_vectors_are_not_changed_by_the_caller(isolated_cache):
    items = ["aa", "bb", "cc"]
    whole = CharCounts().transform(items)
    whole[:] = -1  # the learner scales the array in place
    assert CharCounts().transform(items[:2]).tolist() == [[2, 0, 0], [0, 2, 0]]
    again = CharCounts().transform(items[1:])
    again[:] = 7
    assert CharCounts().transform(items[1:2]).tolist() == [[0, 2, 0]]


def test_without_the_cache_nothing_is_remembered_or_recalled(isolated_cache):
    items = ["ab", "bc", "ca"]
    CharCounts(cache=False).transform(items)
    CharCounts(cache=False).transform(items[:2])
    assert CharCounts.batches == [3, 2]
    CharCounts().transform(items)   # remembered, then asked for again without the cache
    assert CharCounts(cache=False).transform(items[:2]).tolist() == [[1, 1, 0], [0, 1, 1]]
    assert CharCounts.batches == [3, 2, 3, 2]


def test_release_models_frees_shared_models_and_remembered_vectors(isolated_cache):
    items = ["abc", "cab", "bca", "aaa"]
    CharCounts().transform(items)
    assert CharCounts.loads == ["abc"]
    assert release_models() >= 1
    assert not any("CharCounts" in str(key) for key in _SHARED_MODELS)
    CharCounts().transform(items[:2])
    assert CharCounts.loads == ["abc", "abc"], "the model loads again on its next use"
    assert CharCounts.batches == [4, 2], "the remembered vectors went too (the disk cache stays)"
    CharCounts.batches.clear()
    CharCounts().transform(items)
    assert CharCounts.batches == [], "results on disk survive a release"
    assert release_models() >= 1 and release_models() == 0


def test_each_input_is_remembered_once(isolated_cache):
    items = [f"text {i}" for i in range(6)]
    for _ in range(3):  # the same input again comes from the disk cache: no second copy in memory
        CharCounts().transform(items)
    CharCounts().transform(items[:3])  # served from memory: nothing new to remember
    assert len(_RECENT) == 1
