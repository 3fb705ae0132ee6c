"""One contract for every embedder: the scikit-learn estimator rules, checked the same way for all.

For each embedder: ``fit`` returns ``self``; ``clone`` and ``get_params`` /
``set_params`` round-trip every constructor argument; the embedder pickles
(before and after use) and the copy embeds the same; it works as the first
step of a ``Pipeline`` and inside a ``GridSearchCV`` over an ordinary grid
(numpy integers, as ``np.arange`` makes them); bad settings are refused at
``fit``. scikit-learn's own ``check_estimator`` has no check that applies:
every embedder declares its input as strings/items, not a 2-D numeric array
(``__sklearn_tags__``), and check_estimator then skips all its checks (it
feeds numeric matrices). The rules it would test are tested here by hand.

OpenCLIP and KitCLIP cannot embed here without pretrained weights (or minutes
of training): they are held to the parts of the contract that need no model.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

import embedkit as ek
from embedkit.errors import InputError

RNG = np.random.default_rng(0)


def _texts():
    # Every text shares a word with its group, so TF-IDF fitted on one fold knows the other's words.
    cats = ["a cat sleeps on the sofa", "the cat purrs softly", "my cat chases a mouse",
            "a cat drinks milk"]
    money = ["the bank raised stock rates", "stock prices fell sharply", "the stock market closed higher",
             "investors sold stock shares"]
    return cats + money, np.array([0] * 4 + [1] * 4)


def _words():
    return ["cat", "dog", "kitten", "puppy", "bank", "money", "market", "stock"], np.array([0] * 4 + [1] * 4)


def _images():
    dark = [RNG.integers(0, 60, size=(32, 32, 3), dtype=np.uint8) for _ in range(4)]
    light = [RNG.integers(190, 255, size=(32, 32, 3), dtype=np.uint8) for _ in range(4)]
    return dark + light, np.array([0] * 4 + [1] * 4)


def _clips():
    t = np.arange(8000) / 16000
    low = [(np.sin(2 * np.pi * f * t).astype(np.float32) * 0.5, 16000) for f in (200, 220, 240, 260)]
    high = [(np.sin(2 * np.pi * f * t).astype(np.float32) * 0.5, 16000) for f in (2000, 2200, 2400, 2600)]
    return low + high, np.array([0] * 4 + [1] * 4)


#: (embedder, data, grid over an integer setting, a bad setting) for every embedder that runs here.
RUNNABLE = {
    "SentenceEmbedder": (lambda: ek.SentenceEmbedder(cache=False), _texts,
                         {"batch_size": np.arange(2, 4)}, {"batch_size": 0}),
    "StaticSentenceEmbedder": (lambda: ek.StaticSentenceEmbedder(cache=False), _texts,
                               {"batch_size": np.arange(2, 4)}, {"batch_size": 0}),
    "WordVectors": (lambda: ek.WordVectors(), _words, {"batch_size": np.arange(2, 4)}, {"oov": "skip"}),
    "AverageWordEmbedder": (lambda: ek.AverageWordEmbedder(verbose=False), _texts,
                            {"max_tokens": np.arange(3, 5)}, {"max_tokens": 0}),
    "TfidfSvdEmbedder": (lambda: ek.TfidfSvdEmbedder(n_components=2), _texts,
                         {"n_components": np.arange(2, 4)}, {"n_components": 0}),
    "CNNEmbedder": (lambda: ek.CNNEmbedder(cache=False), _images, {"batch_size": np.arange(3, 5)},
                    {"image_size": 100}),
    "MFCCEmbedder": (lambda: ek.MFCCEmbedder(cache=False), _clips, {"n_mfcc": np.arange(12, 14)},
                     {"sample_rate": 100}),
    "LogMelEmbedder": (lambda: ek.LogMelEmbedder(cache=False), _clips, {"n_mels": np.arange(32, 34)},
                       {"threads": 0}),
    "TimeNormalizedMFCCEmbedder": (lambda: ek.TimeNormalizedMFCCEmbedder(cache=False), _clips,
                                   {"n_steps": np.arange(4, 6)}, {"n_steps": 0}),
    "SpeakerEmbedder": (lambda: ek.SpeakerEmbedder(cache=False), _clips, {"batch_size": np.arange(3, 5)},
                        {"max_seconds": -1}),
}
MODEL_FREE = {
    "OpenClipEmbedder": lambda: ek.OpenClipEmbedder(),
    "KitClipEmbedder": lambda: ek.KitClipEmbedder(),
}
EVERY = {**{name: spec[0] for name, spec in RUNNABLE.items()}, **MODEL_FREE}


def test_every_public_embedder_is_under_contract():
    public = {name for name in ek.__all__ if isinstance(getattr(ek, name), type)
              and (issubclass(getattr(ek, name), ek.Embedder) or name == "TfidfSvdEmbedder")}
    assert public - {"Embedder"} == set(EVERY)


@pytest.mark.parametrize("name", sorted(EVERY))
def test_clone_and_params_round_trip(name):
    embedder = EVERY[name]()
    params = embedder.get_params()
    copy = clone(embedder)
    assert copy is not embedder and copy.get_params() == params
    # set_params returns the estimator and changes exactly what it is given
    key = next(k for k in params if isinstance(params[k], bool))
    assert copy.set_params(**{key: not params[key]}) is copy
    assert copy.get_params()[key] is (not params[key]) and embedder.get_params()[key] is params[key]


@pytest.mark.parametrize("name", sorted(MODEL_FREE))
def test_model_free_embedders_pickle(name):
    embedder = MODEL_FREE[name]()
    assert pickle.loads(pickle.dumps(embedder)).get_params() == embedder.get_params()


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_fit_returns_self_and_the_pickled_copy_embeds_the_same(name):
    make, data, _, _ = RUNNABLE[name]
    X, _ = data()
    embedder = make()
    assert embedder.fit(X) is embedder
    first = embedder.transform(X)
    assert first.shape[0] == len(X) and first.dtype == np.float32 and np.isfinite(first).all()
    copy = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_allclose(copy.transform(X), first, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_works_in_a_pipeline_and_a_grid_search_over_numpy_integers(name):
    make, data, grid, _ = RUNNABLE[name]
    X, y = data()
    pipeline = make_pipeline(make(), LogisticRegression(max_iter=500))
    step = pipeline.steps[0][0]
    assert pipeline.fit(X, y).score(X, y) >= 0.75  # the two groups are easy: the embedding must carry them
    search = GridSearchCV(pipeline, {f"{step}__{key}": list(values) for key, values in grid.items()}, cv=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small folds: convergence chatter, not the point
        search.fit(X, y)
    assert set(search.cv_results_["rank_test_score"]) and np.isfinite(search.cv_results_["mean_test_score"]).all()
    chosen = search.best_params_[f"{step}__{next(iter(grid))}"]
    assert isinstance(chosen, np.integer)  # the grid really handed numpy integers to the embedder


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_bad_settings_are_refused_at_fit_with_a_clear_error(name):
    make, data, _, bad = RUNNABLE[name]
    X, _ = data()
    with pytest.raises(InputError, match=next(iter(bad))):
        make().set_params(**bad).fit(X)
