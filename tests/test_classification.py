"""The stratified split and the few-label curve: real behaviour on small known data, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import embedkit as ek
from embedkit.classification import few_label_curve, stratified_split


def informative_and_noise(n_per=40, n_classes=4, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.repeat([f"class {c}" for c in range(n_classes)], n_per)
    centres = rng.normal(0, 3, (n_classes, 8))
    good = centres[np.repeat(np.arange(n_classes), n_per)] + rng.normal(0, 1, (len(labels), 8))
    return good, rng.normal(0, 1, (len(labels), 8)), labels


def test_stratified_split_keeps_class_shares_and_is_reproducible():
    labels = np.array(["a"] * 30 + ["b"] * 10)
    train, test = stratified_split(labels, test_size=0.25, random_state=3)
    assert len(np.intersect1d(train, test)) == 0 and sorted(np.r_[train, test]) == list(range(40))
    assert (labels[test] == "a").sum() in (7, 8) and (labels[test] == "b").sum() in (2, 3)
    again = stratified_split(labels, test_size=0.25, random_state=3)
    assert all(np.array_equal(x, y) for x, y in zip((train, test), again))
    assert not np.array_equal(test, stratified_split(labels, test_size=0.25, random_state=4)[1])


def test_few_label_curve_rises_with_labels_and_good_features_beat_noise():
    good, noise, labels = informative_and_noise()
    curve = few_label_curve({"good": good, "noise": noise}, labels, [1, 5, 20], n_repeats=4)
    acc = curve.pivot(index="per_class", columns="features", values="accuracy")
    assert list(acc.index) == [1, 5, 20]
    assert acc.loc[20, "good"] > acc.loc[1, "good"] and acc.loc[20, "good"] > 0.9
    assert (acc["good"] > acc["noise"] + 0.3).all()
    assert (acc["noise"] < 0.5).all()                        # chance is 0.25
    assert curve.set_index(["features", "per_class"]).loc[("good", 5), "n_train"] == 20


def test_every_feature_set_sees_the_same_sampled_examples():
    good, _, labels = informative_and_noise()
    curve = few_label_curve({"one": good, "same again": good.copy()}, labels, [1, 3], n_repeats=3)
    acc = curve.pivot(index="per_class", columns="features", values="accuracy")
    assert np.allclose(acc["one"], acc["same again"])
    assert curve.equals(few_label_curve({"one": good, "same again": good.copy()}, labels, [1, 3], n_repeats=3))


def test_an_estimator_with_raw_inputs_is_a_baseline_that_learns_from_the_labelled_items_only():
    words = {"animal": ["cat", "dog", "horse", "cow"], "fruit": ["apple", "pear", "plum", "fig"]}
    texts, labels = [], []
    for label, vocabulary in words.items():
        for i in range(20):
            texts.append(f"the {vocabulary[i % 4]} here")
            labels.append(label)
    baseline = make_pipeline(TfidfVectorizer(), LogisticRegression())
    curve = few_label_curve({"tf-idf": (texts, baseline)}, labels, [1, 10], n_repeats=3)
    acc = curve.set_index("per_class")["accuracy"]
    # One labelled text per class knows one word of four; ten know them all.
    assert acc[10] > 0.9 and acc[1] < acc[10] - 0.2, acc


@pytest.mark.parametrize("call, words", [
    (lambda g, y: stratified_split(["a"] * 10), ["single class", "another class"]),
    (lambda g, y: stratified_split(["a"] * 10 + ["b"]), ["'b' has only 1", "drop that class"]),
    (lambda g, y: stratified_split(y, test_size=25), ["fraction", "0.25"]),
    (lambda g, y: stratified_split(y, test_size=0.01), ["test_size", "between"]),
    (lambda g, y: few_label_curve({"good": g}, y[:-1]), ["has 160 items", "159"]),
    (lambda g, y: few_label_curve({"good": g}, y, [1, 50]), ["n_per_class=50", "up to 30"]),
    (lambda g, y: few_label_curve({"good": g}, y, [0]), ["at least 1"]),
    (lambda g, y: few_label_curve({"good": (g, "not an estimator")}, y), ["estimator"]),
    (lambda g, y: few_label_curve({}, y), ["empty"]),
])
def test_bad_input_gets_a_clear_error_naming_the_fix(call, words):
    good, _, labels = informative_and_noise()
    with pytest.raises(ek.InputError) as error:
        call(good, labels)
    for word in words:
        assert word in str(error.value), (word, str(error.value))


def test_thread_setting_is_checked_and_does_not_change_the_result():
    good, _, labels = informative_and_noise()
    one = few_label_curve({"good": good}, labels, [2], n_repeats=2, threads=1)
    assert one.equals(few_label_curve({"good": good}, labels, [2], n_repeats=2, threads=None))
    with pytest.raises(ek.InputError, match="threads"):
        few_label_curve({"good": good}, labels, [2], threads=0)
