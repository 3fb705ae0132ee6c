import pytest

from embedkit import (ModelSpec, SentenceEmbedder, UnknownNameError, get_embedder, list_models,
                      model_info, register_model)


def test_list_models_has_the_documented_columns_and_offline_flags():
    table = list_models()
    assert list(table.columns) == ["name", "modality", "dim", "licence", "source",
                                   "runs_offline_here", "needs", "description"]
    offline = dict(zip(table["name"], table["runs_offline_here"]))
    assert bool(offline["all-MiniLM-L6-v2"])
    assert table["name"].is_unique


def test_models_that_cannot_run_say_what_they_need():
    table = list_models()
    missing = table[~table["runs_offline_here"]]
    assert (missing["needs"].str.len() > 0).all()


def test_filter_by_modality():
    assert set(list_models("text")["modality"]) == {"text"}
    with pytest.raises(UnknownNameError, match="modality"):
        list_models("smell")


def test_model_info_and_get_embedder():
    info = model_info("all-MiniLM-L6-v2")
    assert info["dim"] == 384 and info["modality"] == "text" and info["licence"]
    embedder = get_embedder("all-MiniLM-L6-v2", batch_size=4)
    assert isinstance(embedder, SentenceEmbedder) and embedder.batch_size == 4


def test_unknown_model_name_suggests_a_close_one():
    with pytest.raises(UnknownNameError, match="all-MiniLM-L6-v2"):
        get_embedder("all-minilm-l6-v2")


def test_register_model_adds_a_runnable_entry():
    register_model(ModelSpec("test-small-minilm", "text", 384, "Apache-2.0", "test",
                             "embedkit.sentence:SentenceEmbedder", {"model": "all-MiniLM-L6-v2"},
                             needs="nothing"))
    assert "test-small-minilm" in set(list_models("text", runnable_only=True)["name"])
    assert get_embedder("test-small-minilm").model == "all-MiniLM-L6-v2"


def test_factory_must_name_module_and_class():
    with pytest.raises(ValueError, match="module:Class"):
        register_model(ModelSpec("bad", "text", 1, "x", "x", "no_colon_here"))
