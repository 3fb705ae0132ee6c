"""How good is an embedding? Standard benchmarks, measured the standard way.

Word vectors (gensim's own evaluation on the benchmark files bundled in
gensim's wheel, so they run offline):

- :func:`word_similarity`: Spearman correlation between model cosine
  similarities and human ratings (WordSim-353, SimLex-999), with the number of
  pairs skipped because a word is out of the vocabulary;
- :func:`analogy_accuracy`: the Google analogy set ("man : king :: woman : ?");
- :func:`word_benchmarks`: both, for several models, as one table.

Labelled embeddings of any modality (scikit-learn's nearest neighbours):

- :func:`knn_accuracy`: leave-one-out k-NN classification accuracy;
- :func:`precision_at_k`: retrieval precision@k (share of each item's k nearest
  neighbours that carry its label).

>>> import numpy as np
>>> from embedkit.evaluation import knn_accuracy
>>> X = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]])
>>> knn_accuracy(X, ["a", "a", "b", "b"], k=1)
1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError, UnknownNameError, closest_names, require
from embedkit.validation import check_embeddings, check_int, check_k

__all__ = ["WORD_BENCHMARKS", "analogy_accuracy", "knn_accuracy", "precision_at_k",
           "word_benchmarks", "word_similarity"]

#: Benchmark name -> file name inside gensim's bundled test data.
WORD_BENCHMARKS: dict[str, str] = {
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
    "google-analogies": "questions-words.txt",
}


def _benchmark_path(name: str) -> str:
    if name not in WORD_BENCHMARKS:
        raise UnknownNameError(f"No word benchmark is called {name!r}.{closest_names(str(name), list(WORD_BENCHMARKS))} "
                               f"Choose one of {', '.join(WORD_BENCHMARKS)}.")
    return require("gensim.test.utils", "text", "Word benchmarks").datapath(WORD_BENCHMARKS[name])


def _keyed_vectors(vectors: Any) -> Any:
    """Accept KeyedVectors, a gensim model (``.wv``) or a WordVectors embedder."""
    if hasattr(vectors, "keyed_vectors_"):
        return vectors.keyed_vectors_
    vectors = getattr(vectors, "wv", vectors)
    if not hasattr(vectors, "evaluate_word_pairs"):
        raise InputError(f"Expected word vectors (gensim KeyedVectors, Word2Vec, FastText or "
                         f"embedkit WordVectors), got {type(vectors).__name__}.")
    return vectors


def word_similarity(vectors: Any, benchmark: str = "wordsim353", restrict_vocab: int = 300_000) -> dict[str, Any]:
    """Spearman (and Pearson) correlation with human similarity ratings.

    Pairs with a word outside the model's ``restrict_vocab`` most frequent
    words are skipped and counted (``n_oov``), never silently scored.

    >>> from embedkit.words import load_glove
    >>> result = word_similarity(load_glove(), "wordsim353")
    >>> round(result["spearman"], 2), result["n_pairs"], result["n_oov"]
    (0.5, 353, 0)
    """
    path = _benchmark_path(benchmark)
    if benchmark == "google-analogies":
        raise InputError("google-analogies is an analogy set: use analogy_accuracy().")
    pearson, spearman, oov_percent = _keyed_vectors(vectors).evaluate_word_pairs(
        path, restrict_vocab=restrict_vocab)
    with open(path, encoding="utf8") as handle:
        n_pairs = sum(1 for line in handle if line.strip() and not line.startswith("#"))
    return {"benchmark": benchmark, "spearman": float(spearman.statistic), "pearson": float(pearson[0]),
            "n_pairs": n_pairs, "n_oov": int(round(oov_percent * n_pairs / 100)),
            "oov_percent": float(oov_percent)}


def _analogy_questions(sections: list[str] | None) -> dict[str, list[tuple[str, str, str, str]]]:
    path = _benchmark_path("google-analogies")
    questions: dict[str, list[tuple[str, str, str, str]]] = {}
    with open(path, encoding="utf8") as handle:
        for line in handle:
            if line.startswith(": "):
                current = questions.setdefault(line[2:].strip(), [])
            elif line.strip():
                current.append(tuple(line.lower().split()))
    if sections is None:
        return questions
    if isinstance(sections, str) or not all(isinstance(s, str) for s in sections):
        raise InputError(f"sections must be a list of section names, got {sections!r:.80}.")
    unknown = [s for s in sections if s not in questions]
    if unknown:
        raise UnknownNameError(f"Unknown analogy section {unknown[0]!r}.{closest_names(unknown[0], list(questions))}")
    return {name: questions[name] for name in sections}


def analogy_accuracy(vectors: Any, restrict_vocab: int = 30_000, sections: list[str] | None = None,
                     batch_size: int = 2048) -> dict[str, Any]:
    """Accuracy on the Google analogy set (19,544 questions "a : b :: c : d", 14 sections).

    The rule is gensim's ``evaluate_word_analogies`` (and the original word2vec
    tool's): the answer is the word whose unit vector is most cosine-similar to
    ``b - a + c`` among the ``restrict_vocab`` most frequent words, leaving out
    a, b and c; questions using a word outside them are skipped and counted
    (``n_skipped``). gensim answers one question at a time (minutes for the full
    set); here questions go through in batches of matrix products, with the
    same answers (checked in the tests). ``sections`` keeps only some sections.

    >>> from embedkit.words import load_glove
    >>> result = analogy_accuracy(load_glove(), sections=["capital-common-countries"])
    >>> result["n_questions"], round(result["accuracy"], 2)
    (506, 0.8)
    """
    keyed = _keyed_vectors(vectors)
    restrict_vocab = check_int(restrict_vocab, "restrict_vocab")
    questions = _analogy_questions(sections)
    words = keyed.index_to_key[:restrict_vocab]
    row_of: dict[str, int] = {}
    for row, word in enumerate(words):
        row_of.setdefault(word.lower(), row)  # like gensim: the most frequent casing wins
    unit = keyed.vectors[: len(words)] / np.maximum(np.linalg.norm(keyed.vectors[: len(words)], axis=1), 1e-12)[:, None]
    rows, per_section = [], []
    for name, items in questions.items():
        known = [[row_of[w] for w in q] for q in items if all(w in row_of for w in q)]
        rows.extend((name, *q) for q in known)
        per_section.append({"section": name, "questions": len(items), "answered": len(known)})
    correct = np.zeros(len(rows), dtype=bool)
    if rows:
        index = np.array([r[1:] for r in rows])
        for start in range(0, len(index), batch_size):
            a, b, c, d = index[start : start + batch_size].T
            scores = (unit[b] - unit[a] + unit[c]) @ unit.T
            batch = np.arange(len(a))
            scores[batch, a] = scores[batch, b] = scores[batch, c] = -np.inf  # never answer with an input
            correct[start : start + len(a)] = scores.argmax(axis=1) == d
    section_of = np.array([r[0] for r in rows])
    table = pd.DataFrame(per_section)
    table["correct"] = [int(correct[section_of == name].sum()) for name in table["section"]]
    table["accuracy"] = table["correct"] / table["answered"].where(table["answered"] > 0)
    total, answered = int(table["questions"].sum()), len(rows)
    return {"accuracy": float(correct.mean()) if answered else float("nan"), "n_questions": total,
            "n_answered": answered, "n_skipped": total - answered, "per_section": table}


def word_benchmarks(models: dict[str, Any], analogy_sections: list[str] | None = None,
                    restrict_vocab: int = 30_000) -> pd.DataFrame:
    """One row per model: WordSim-353 and SimLex-999 Spearman, analogy accuracy, OOV counts.

    >>> from embedkit.words import load_glove
    >>> table = word_benchmarks({"glove": load_glove()}, analogy_sections=["currency"])
    >>> list(table.columns)[:3]
    ['model', 'wordsim353', 'wordsim353_oov']
    """
    if not isinstance(models, dict) or not models:
        raise InputError("models must be a non-empty dict of name -> word vectors.")
    rows = []
    for name, vectors in models.items():
        row: dict[str, Any] = {"model": name, "vocabulary": len(_keyed_vectors(vectors))}
        for benchmark in ("wordsim353", "simlex999"):
            result = word_similarity(vectors, benchmark)
            row[benchmark], row[f"{benchmark}_oov"] = result["spearman"], result["n_oov"]
        analogies = analogy_accuracy(vectors, restrict_vocab=restrict_vocab, sections=analogy_sections)
        row["analogies"], row["analogies_skipped"] = analogies["accuracy"], analogies["n_skipped"]
        rows.append(row)
    columns = ["model", "wordsim353", "wordsim353_oov", "simlex999", "simlex999_oov",
               "analogies", "analogies_skipped", "vocabulary"]
    return pd.DataFrame(rows)[columns]


def _labelled(X: Any, labels: Any, k: int) -> tuple[np.ndarray, np.ndarray, int]:
    X = check_embeddings(X, min_rows=2)
    y = np.asarray(labels)
    if y.ndim != 1 or len(y) != len(X):
        raise InputError(f"labels must be one label per row: got {y.shape} labels for {len(X)} rows.")
    if len(np.unique(y)) < 2:
        raise InputError("labels hold a single class: accuracy would be trivially 1. Pass at least two classes.")
    zero = np.flatnonzero(np.linalg.norm(X, axis=1) == 0)
    if len(zero):
        raise InputError(f"Row {zero[0]} is an all-zero vector: cosine similarity is undefined for it. Drop it.")
    return X, y, check_k(k, len(X) - 1)


def knn_accuracy(X: Any, labels: Any, k: int = 5) -> float:
    """Leave-one-out accuracy of a cosine k-nearest-neighbour classifier.

    Each item is classified by majority vote of its ``k`` nearest *other*
    items (scikit-learn's ``KNeighborsClassifier.predict(None)`` leaves the
    item itself out).

    >>> knn_accuracy([[1, 0], [1, 0.1], [0, 1], [0.1, 1]], [0, 0, 1, 1], k=1)
    1.0
    """
    from sklearn.neighbors import KNeighborsClassifier

    X, y, k = _labelled(X, labels, k)
    classifier = KNeighborsClassifier(n_neighbors=k, metric="cosine", algorithm="brute").fit(X, y)
    return float(np.mean(classifier.predict(None) == y))


def precision_at_k(X: Any, labels: Any, k: int = 10) -> float:
    """Mean retrieval precision@k: share of each item's k nearest others with its label.

    >>> precision_at_k([[1, 0], [1, 0.1], [0, 1], [0.1, 1]], ["a", "a", "b", "b"], k=2)
    0.5
    """
    from sklearn.neighbors import NearestNeighbors

    X, y, k = _labelled(X, labels, k)
    index = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(X)
    neighbours = index.kneighbors(return_distance=False)  # no query: each item's own row is left out
    return float(np.mean(y[neighbours] == y[:, None]))
