"""RAG measurement: the question set, recall/MRR, accuracy, groundedness, evaluate_rag; and the index= contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from embedkit import ExactIndex, InputError, Retriever
from embedkit.rag import (
    answer_is_correct,
    definition_questions,
    evaluate_rag,
    fit_passages,
    glossary_passages,
    is_grounded,
    mean_reciprocal_rank,
    recall_at_k,
    retrieval_ranks,
    summarize_evaluation,
)

PASSAGES = ["burgh: a borough in Scotland", "anoa: a small buffalo of the Celebes", "shelf: a support for objects",
            "pasty: a small meat pie or turnover", "timbrel: a small hand drum"]


class WordCounts(BaseEstimator, TransformerMixin):
    """A plain keyword embedder (unit TF-IDF rows, no SVD): fast, and its ranks are easy to reason about."""

    def fit(self, texts, y=None):
        self.vectorizer_ = TfidfVectorizer().fit(texts)
        return self

    def transform(self, texts):
        return normalize(self.vectorizer_.transform(texts).toarray().astype(np.float32))


@pytest.fixture(scope="module")
def lexical():
    return Retriever(WordCounts()).fit(PASSAGES)


# --- the question set ---------------------------------------------------------------
def test_fifty_questions_cover_every_category_and_point_at_their_own_entry():
    questions = definition_questions(n=50)
    glosses_passages = glossary_passages()
    assert len(questions) == 50 and questions.question.is_unique
    assert questions.category.nunique() == 8 and questions.category.value_counts().min() >= 6
    for _, row in questions.iterrows():
        entry = glosses_passages[row.passage]
        assert entry.startswith(row.word + ": ")
        assert row.word in row.question and row.word.lower() not in row.answer.lower()
    assert definition_questions(n=50).equals(questions)  # seeded
    assert not definition_questions(n=50, random_state=1).equals(questions)


@pytest.mark.parametrize("n", [0, -1, 10**6, 2.5])
def test_question_counts_out_of_range_are_refused(n):
    with pytest.raises(InputError):
        definition_questions(n=n)


# --- metrics, against hand-computed cases -------------------------------------------
def test_mrr_of_a_hand_computed_case():
    assert mean_reciprocal_rank([1, 2, np.inf, 4]) == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)
    assert mean_reciprocal_rank([None, None]) == 0.0
    with pytest.raises(InputError):
        mean_reciprocal_rank([0, 1])


def test_ranks_recall_and_mrr_agree_on_a_small_retriever(lexical):
    queries = ["buffalo of the Celebes", "hand drum", "borough in Scotland"]
    relevant = [1, 4, 3]  # the third is deliberately wrong: its passage is 0, so 3 ranks low or not at all
    ranks = retrieval_ranks(lexical, queries, relevant, depth=2)
    assert ranks[:2].tolist() == [1.0, 1.0] and not ranks[2] <= 1
    recall = recall_at_k(lexical, queries, relevant, ks=(1, 2))
    assert recall["recall@1"] == pytest.approx(2 / 3)
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 + (1 / ranks[2] if np.isfinite(ranks[2]) else 0)) / 3)


@pytest.mark.parametrize("generated, expected, right", [
    ("A pasty is a small meat pie.", "small meat pie or turnover", True),   # 3 of 4 content words
    ("A pasty is a pastry.", "small meat pie or turnover", False),
    ("It is a tool for fibers", "any of several tools for straightening fibers", True),  # plural ignored
    ("Montgomery", "Montgomery", True),
    ("Montgomeryville", "Montgomery", False),  # whole words only
    ("", "Montgomery", False),
])
def test_answer_is_correct_counts_the_expected_content_words(generated, expected, right):
    assert answer_is_correct(generated, expected) is right


def test_groundedness_asks_whether_the_answer_could_come_from_the_context():
    context = ["pasty: a small meat pie or turnover"]
    assert is_grounded("A pasty is a small meat pie.", context)
    assert not is_grounded("A pasty is a type of ale brewed in Cornwall.", context)
    assert not is_grounded("I don't know.", context)
    with pytest.raises(InputError):
        is_grounded("pasty", [])


class _FirstPassageGenerator:
    """A stand-in generator: repeats the first passage it is given, or says it does not know."""

    def generate(self, query, passages):
        return "I don't know" if passages is None else passages[0]


def test_evaluate_rag_on_a_hand_computed_case(lexical):
    questions = pd.DataFrame({"question": ["hand drum", "buffalo of the Celebes"],
                              "answer": ["a small hand drum", "buffalo of the Celebes"], "passage": [4, 1]})
    results = evaluate_rag(_FirstPassageGenerator(), lexical, questions, k=1)
    assert len(results) == 6 and set(results.condition) == {"retrieved", "none", "random"}
    by = results.set_index(["question", "condition"])
    assert by.loc[("hand drum", "retrieved"), "generated"] == PASSAGES[4]
    assert by.loc[("hand drum", "retrieved"), "rank"] == 1
    summary = summarize_evaluation(results)
    assert summary.index.tolist() == ["retrieved", "none", "random"]
    assert summary.loc["retrieved", "accuracy"] == 1.0 and summary.loc["none", "accuracy"] == 0.0
    assert summary.loc["random", "accuracy"] == 0.0  # never the answering passage; no other holds half its words
    assert summary.loc["retrieved", "grounded"] == 1.0 and np.isnan(summary.loc["none", "grounded"])
    assert (results.loc[results.condition == "retrieved", "generate_s"] >= 0).all()
    again = evaluate_rag(_FirstPassageGenerator(), lexical, questions, k=1)
    assert again.generated.tolist() == results.generated.tolist()  # random passages are seeded


def test_evaluate_rag_refuses_bad_tables_and_conditions(lexical):
    good = pd.DataFrame({"question": ["q"], "answer": ["a"], "passage": [0]})
    with pytest.raises(InputError, match="columns"):
        evaluate_rag(_FirstPassageGenerator(), lexical, good.drop(columns="passage"))
    with pytest.raises(InputError, match="condition"):
        evaluate_rag(_FirstPassageGenerator(), lexical, good, conditions=("oracle",))
    with pytest.raises(InputError, match="fit"):
        evaluate_rag(_FirstPassageGenerator(), Retriever(), good)


# --- fitting a prompt to a window ---------------------------------------------------
def _words(text):
    return len(text.split())


def test_fit_passages_cuts_the_lowest_ranked_passage_first_and_never_the_question():
    from embedkit import build_prompt

    passages = ["one two three", "four five six seven eight"]
    budget = _words(build_prompt("Why now?", ["one two three", "four five"]))
    with pytest.warns(UserWarning, match="cut"):
        kept = fit_passages("Why now?", passages, _words, budget)
    assert kept == ["one two three", "four five"]
    assert fit_passages("Why now?", passages, _words, 10**6) == passages
    with pytest.raises(InputError, match="question alone"):
        fit_passages("Why " * 50, passages, _words, 20)


# --- the index= contract ------------------------------------------------------------
class _FaissLikeIndex:
    """What a faiss index or the kit's vector-database wrappers offer: add, ntotal, search -> (scores, ids)."""

    def __init__(self):
        self.vectors = np.zeros((0, 0), dtype=np.float32)

    @property
    def ntotal(self):
        return len(self.vectors)

    def add(self, vectors):
        self.vectors = np.asarray(vectors, dtype=np.float32)

    def search(self, queries, k):
        scores = queries @ self.vectors.T
        ids = np.argsort(-scores, axis=1)[:, :k]
        return np.take_along_axis(scores, ids, axis=1), ids


def test_a_given_index_serves_the_same_results_as_exact_search():
    exact = Retriever(WordCounts()).fit(PASSAGES)
    given = Retriever(WordCounts(), index=_FaissLikeIndex()).fit(PASSAGES)
    assert isinstance(exact.index_, ExactIndex) and given.index_.ntotal == len(PASSAGES)
    for query in ["a small hand drum", "small buffalo", "small meat pie"]:
        a, b = exact.retrieve(query, k=2), given.retrieve(query, k=2)
        assert a.index.tolist() == b.index.tolist()
        assert np.allclose(a.score, b.score, atol=1e-3)


def test_faiss_itself_can_be_the_index():
    faiss = pytest.importorskip("faiss")
    exact = Retriever(WordCounts()).fit(PASSAGES)
    index = faiss.IndexFlatIP(exact.embeddings_.shape[1])
    with_faiss = Retriever(WordCounts(), index=index).fit(PASSAGES)
    assert index.ntotal == len(PASSAGES)
    for query in ["a small hand drum", "small buffalo", "small meat pie"]:
        assert with_faiss.retrieve(query, k=1).index.tolist() == exact.retrieve(query, k=1).index.tolist()


def test_an_index_of_the_wrong_size_or_kind_is_refused():
    full = _FaissLikeIndex()
    full.add(np.ones((2, 4)))
    with pytest.raises(InputError, match="holds 2 vectors"):
        Retriever(WordCounts(), index=full).fit(PASSAGES)
    with pytest.raises(InputError, match="search"):
        Retriever(index=object()).fit(PASSAGES)
