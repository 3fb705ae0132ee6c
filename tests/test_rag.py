"""Retrieval-augmented generation: chunking, retrieval, prompt, generators."""

from __future__ import annotations

import pandas as pd
import pytest

from embedkit import InputError, ModelUnavailableError, TfidfSvdEmbedder
from embedkit.rag import (
    ExtractiveGenerator,
    HubGenerator,
    Retriever,
    build_prompt,
    chunk_documents,
    chunk_text,
    recall_at_k,
)

FACTS = {
    "heart": "The heart is a muscular organ that pumps blood through the body's vessels.",
    "bread": "Bread is baked from a dough of flour and water, usually leavened with yeast.",
    "volcano": "A volcano is an opening in the crust where molten lava and ash erupt.",
    "piano": "The piano is a keyboard instrument whose hammers strike strings.",
    "tides": "Ocean tides rise and fall because of the Moon's gravitational pull.",
    "bees": "Honey bees collect nectar from flowers and turn it into honey in their hives.",
}
QUESTIONS = {
    "heart": "Which organ circulates blood?",
    "bread": "How do you make a loaf with flour and yeast?",
    "volcano": "Where does lava come out of the ground?",
    "piano": "What musical instrument has keys and hammers?",
    "tides": "Why does the sea level go up and down each day?",
    "bees": "Which insects make honey?",
}


@pytest.fixture(scope="module")
def retriever():
    return Retriever().fit(list(FACTS.values()), sources=list(FACTS))


# --- chunking -----------------------------------------------------------------------
def test_chunks_cover_the_text_and_overlap_by_the_asked_number_of_words():
    words = [f"w{i}" for i in range(23)]
    chunks = chunk_text(" ".join(words), max_words=10, overlap=3)
    split = [c.split() for c in chunks]
    assert all(len(c) <= 10 for c in split)
    for first, second in zip(split, split[1:]):
        assert first[-3:] == second[:3]
    assert split[0][0] == "w0" and split[-1][-1] == "w22"
    # Every word appears, in order, once the overlaps are removed.
    assert split[0] + [w for c in split[1:] for w in c[3:]] == words


def test_no_overlap_gives_disjoint_chunks_and_short_text_one_chunk():
    assert chunk_text("a b c d e", max_words=2, overlap=0) == ["a b", "c d", "e"]
    assert chunk_text("  a   short\ntext ", max_words=50, overlap=10) == ["a short text"]


@pytest.mark.parametrize("text", ["", "   ", None, 3, ["a list"]])
def test_chunk_text_rejects_empty_or_non_text(text):
    with pytest.raises(InputError):
        chunk_text(text)


@pytest.mark.parametrize("max_words, overlap", [(0, 0), (5, 5), (5, 7), (5, -1), (2.5, 0), (True, 0)])
def test_chunk_text_rejects_bad_window_settings(max_words, overlap):
    with pytest.raises(InputError):
        chunk_text("a b c d e f", max_words=max_words, overlap=overlap)


def test_chunk_documents_keeps_each_passage_source():
    table = chunk_documents(["a b c d e", "f g"], sources=["x", "y"], max_words=3, overlap=1)
    assert table.passage.tolist() == ["a b c", "c d e", "f g"]
    assert table.source.tolist() == ["x", "x", "y"] and table.chunk.tolist() == [0, 1, 0]
    with pytest.raises(InputError):
        chunk_documents(["a b", "c"], sources=["only one"])
    with pytest.raises(InputError):
        chunk_documents([])
    with pytest.raises(InputError):
        chunk_documents(["fine", ""])


# --- retrieval ----------------------------------------------------------------------
@pytest.mark.parametrize("topic", list(QUESTIONS))
def test_the_passage_holding_the_answer_is_retrieved_first(retriever, topic):
    hits = retriever.retrieve(QUESTIONS[topic], k=3)
    assert hits.source.iloc[0] == topic
    assert list(hits.columns) == ["passage", "score", "source"]
    assert hits.score.is_monotonic_decreasing
    assert hits.passage.iloc[0] == FACTS[topic] and hits.index[0] == list(FACTS).index(topic)


def test_k_larger_than_the_collection_returns_every_passage(retriever):
    assert len(retriever.retrieve("anything at all", k=100)) == len(FACTS)


@pytest.mark.parametrize("query", ["", "   ", None, 7, ["a list"]])
def test_retrieve_rejects_empty_or_non_text_queries(retriever, query):
    with pytest.raises(InputError):
        retriever.retrieve(query)


@pytest.mark.parametrize("k", [0, -1, 1.5, "3", True])
def test_retrieve_rejects_bad_k(retriever, k):
    with pytest.raises(InputError):
        retriever.retrieve("bees", k=k)


@pytest.mark.parametrize("passages", [[], ["fine", ""], ["fine", 3], "one string"])
def test_fit_rejects_empty_or_non_text_passages(passages):
    with pytest.raises(InputError):
        Retriever().fit(passages)


def test_fit_rejects_mismatched_sources_and_retrieve_needs_fit():
    with pytest.raises(InputError):
        Retriever().fit(["a", "b"], sources=["one"])
    with pytest.raises(InputError, match="fit"):
        Retriever().retrieve("a question")


def test_a_fitted_embedder_such_as_tfidf_works_and_the_given_one_is_not_changed():
    tfidf = TfidfSvdEmbedder(n_components=3)
    lexical = Retriever(tfidf).fit(list(FACTS.values()), sources=list(FACTS))
    assert lexical.retrieve("honey bees and flowers", k=1).source.iloc[0] == "bees"
    assert not hasattr(tfidf, "pipeline_")  # a clone was fitted, not the caller's object


def test_recall_counts_hits_and_unanswerable_queries(retriever):
    positions = list(range(len(FACTS)))
    assert recall_at_k(retriever, list(QUESTIONS.values()), positions, ks=(1,)) == {"recall@1": 1.0, "unanswerable": 0}
    wrong = positions[1:] + positions[:1]
    assert recall_at_k(retriever, list(QUESTIONS.values()), wrong, ks=(1,))["recall@1"] == 0.0
    lexical = Retriever(TfidfSvdEmbedder(n_components=3)).fit(list(FACTS.values()))
    result = recall_at_k(lexical, ["honey bees", "zzzz qqqq"], [5, 0], ks=(1, 2))
    assert result["unanswerable"] == 1 and result["recall@1"] == 0.5
    with pytest.raises(InputError):
        recall_at_k(retriever, ["bees"], [99])
    with pytest.raises(InputError):
        recall_at_k(retriever, ["bees", "tides"], [5])
    with pytest.raises(InputError):
        recall_at_k(retriever, ["bees"], [5], ks=(0,))


# --- prompt -------------------------------------------------------------------------
def test_the_prompt_holds_the_retrieved_passages_in_rank_order(retriever):
    hits = retriever.retrieve(QUESTIONS["tides"], k=3)
    prompt = build_prompt(QUESTIONS["tides"], hits)
    positions = [prompt.index(f"[{rank}] {passage}") for rank, passage in enumerate(hits.passage, start=1)]
    assert positions == sorted(positions)
    assert prompt.rstrip().endswith(f"Question: {QUESTIONS['tides']}\nAnswer:")
    assert build_prompt(QUESTIONS["tides"], hits.passage.tolist()) == prompt


@pytest.mark.parametrize("query, passages", [("", ["a"]), (None, ["a"]), ("q", []), ("q", [""]), ("q", [1]),
                                             ("q", pd.DataFrame({"text": ["a"]}))])
def test_build_prompt_rejects_bad_input(query, passages):
    with pytest.raises(InputError):
        build_prompt(query, passages)


# --- generation ---------------------------------------------------------------------
def test_the_extractive_answer_is_quoted_from_the_top_passages(retriever):
    hits = retriever.retrieve(QUESTIONS["piano"], k=3)
    answer = ExtractiveGenerator(n_sentences=1).generate(QUESTIONS["piano"], hits)
    assert answer == FACTS["piano"]
    ranked = ExtractiveGenerator().rank_sentences(QUESTIONS["piano"], hits)
    assert ranked.passage_rank.iloc[0] == 1 and ranked.score.is_monotonic_decreasing
    assert all(any(s in p for p in hits.passage) for s in ranked.sentence)


def test_extractive_picks_the_best_sentence_inside_a_passage_and_drops_repeats():
    passages = ["The sky is blue. Cats purr when they are content.", "Cats purr when they are content. Rain is wet."]
    ranked = ExtractiveGenerator().rank_sentences("What sound do happy cats make?", passages)
    assert ranked.sentence.iloc[0] == "Cats purr when they are content."
    assert len(ranked) == 3  # the shared sentence counted once
    two = ExtractiveGenerator(n_sentences=2).generate("What sound do happy cats make?", passages)
    assert two.startswith("Cats purr when they are content. ")


@pytest.mark.parametrize("n", [0, -2, 1.5, None])
def test_extractive_rejects_bad_sentence_counts(n):
    with pytest.raises(InputError):
        ExtractiveGenerator(n_sentences=n).generate("q", ["A passage."])


def test_extractive_rejects_empty_query_or_passages():
    with pytest.raises(InputError):
        ExtractiveGenerator().generate("", ["A passage."])
    with pytest.raises(InputError):
        ExtractiveGenerator().generate("q", [])


def test_hub_generator_says_the_model_is_unavailable_instead_of_faking_output():
    generator = HubGenerator()  # tests run with HF_HUB_OFFLINE=1 and no network
    with pytest.raises(ModelUnavailableError, match="google/flan-t5-small") as caught:
        generator.generate("Which insects make honey?", [FACTS["bees"]])
    assert "ExtractiveGenerator" in str(caught.value)
    assert "not loaded" in generator.description


def test_hub_generator_runs_a_local_seq2seq_model(tmp_path):
    """A tiny random T5 saved to a folder: proves the load-and-generate path without a download."""
    tokenizers = pytest.importorskip("tokenizers")
    transformers = pytest.importorskip("transformers")
    import torch

    words = ["<pad>", "</s>", "<unk>", "which", "insects", "make", "honey", "bees"]
    word_level = tokenizers.Tokenizer(tokenizers.models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    word_level.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    transformers.PreTrainedTokenizerFast(tokenizer_object=word_level, pad_token="<pad>", eos_token="</s>",
                                         unk_token="<unk>").save_pretrained(tmp_path)
    torch.manual_seed(0)
    config = transformers.T5Config(vocab_size=len(words), d_model=8, d_ff=16, d_kv=4, num_layers=1, num_heads=2,
                                   decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    transformers.T5ForConditionalGeneration(config).save_pretrained(tmp_path)
    generator = HubGenerator(model=str(tmp_path), max_new_tokens=4)
    answer = generator.generate("which insects make honey", ["bees make honey"])
    assert isinstance(answer, str) and set(answer.split()) <= set(words)
    assert "local folder" in generator.description
    with pytest.raises(InputError):
        HubGenerator(model=str(tmp_path), max_new_tokens=0).generate("q", ["p"])
