"""The model store: converts once, atomically, under $EMBEDKIT_MODELS; an interrupted conversion leaves nothing."""

from __future__ import annotations

import json
import types

import pytest

from embedkit.generation import store

transformers = pytest.importorskip("transformers")


class _FakeModel:
    """Stands in for the dequantised model: writing it is what can be interrupted."""

    def __init__(self, fail: bool):
        self.fail = fail
        self.hf_quantizer = object()
        self.config = types.SimpleNamespace(quantization_config={"quant_method": "gguf"})

    def save_pretrained(self, folder):
        assert self.hf_quantizer is None  # the GGUF marker is dropped before saving
        (folder / "model.safetensors").write_bytes(b"half a model")
        if self.fail:
            raise KeyboardInterrupt

    def eval(self):
        return self


class _FakeTokenizer:
    def save_pretrained(self, folder):
        (folder / "tokenizer.json").write_text("{}")


@pytest.fixture
def fake_gguf(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDKIT_MODELS", str(tmp_path / "store"))
    gguf = tmp_path / "wheel" / "Tiny-Model.Q4_1.gguf"
    gguf.parent.mkdir()
    gguf.write_bytes(b"GGUF fake weights")
    calls = {"model": 0, "fail": False}

    def model(*args, **kwargs):
        calls["model"] += 1
        return _FakeModel(calls["fail"])

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", model)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda *a, **k: _FakeTokenizer())
    return gguf, calls


def test_the_store_follows_embedkit_models_not_the_result_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDKIT_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("EMBEDKIT_CACHE", str(tmp_path / "cache"))
    assert store.models_dir() == tmp_path / "models" and store.models_dir().is_dir()


def test_conversion_happens_once_and_is_named_by_the_file_content(fake_gguf, capsys):
    gguf, calls = fake_gguf
    folder = store.convert_gguf(gguf)
    assert "Converting Tiny-Model.Q4_1.gguf" in capsys.readouterr().out  # a progress message, on stdout
    assert store.is_converted(folder) and (folder / "model.safetensors").exists()
    manifest = json.loads((folder / "embedkit-model.json").read_text())
    assert manifest["source"] == str(gguf) and len(manifest["gguf_sha256"]) == 64
    assert store.convert_gguf(gguf) == folder and calls["model"] == 1  # second call: from the store
    gguf.write_bytes(b"GGUF other weights")  # a new wheel version converts again, beside the old one
    assert store.converted_path(gguf) != folder


def test_an_interrupted_conversion_leaves_no_model_and_the_next_one_succeeds(fake_gguf):
    gguf, calls = fake_gguf
    calls["fail"] = True
    with pytest.raises(KeyboardInterrupt):
        store.convert_gguf(gguf, verbose=False)
    target = store.converted_path(gguf)
    assert not target.exists()
    assert list(store.models_dir().iterdir()) == []  # not even the temporary folder
    calls["fail"] = False
    assert store.is_converted(store.convert_gguf(gguf, verbose=False))


def test_a_folder_without_its_manifest_is_not_trusted(fake_gguf):
    gguf, calls = fake_gguf
    target = store.converted_path(gguf)
    target.mkdir(parents=True)
    (target / "model.safetensors").write_bytes(b"truncated")
    assert not store.is_converted(target)
    store.convert_gguf(gguf, verbose=False)
    assert store.is_converted(target) and calls["model"] == 1
