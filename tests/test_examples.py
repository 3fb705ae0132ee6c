import shutil
from pathlib import Path

import pandas as pd
import pytest

from embedkit import (DataIntegrityError, InputError, UnknownNameError, example_info, list_examples,
                      load_example, verify_example)
from embedkit.examples import data_dir

NAMES = list_examples()


def test_there_is_data_for_every_modality():
    assert {example_info(n)["modality"] for n in NAMES} == {"text", "image", "audio"}


def test_committed_data_stays_small():
    total = sum(example_info(n)["size_bytes"] for n in NAMES)
    assert total < 40e6


@pytest.mark.parametrize("name", NAMES)
def test_every_data_set_loads_verified_with_its_documented_shape(name):
    info = example_info(name)
    table = load_example(name)
    assert isinstance(table, pd.DataFrame) and len(table) == info["n_items"]
    assert info["item_column"] in table.columns
    assert set(info["label_columns"]) <= set(table.columns)
    assert info["licence"] and info["source"] and info["rebuild"].startswith("python data/build.py")
    if info["item_column"] == "path":
        assert all(Path(p).is_absolute() and Path(p).exists() for p in table["path"])
    else:
        assert table["text"].str.strip().str.len().min() > 0


@pytest.mark.parametrize("name", NAMES)
def test_every_data_set_is_documented_in_the_data_readme(name):
    readme = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
    assert "Licence" in section and f"python data/build.py {name}" in section


def test_modality_filter():
    assert all(example_info(n)["modality"] == "audio" for n in list_examples("audio"))
    with pytest.raises(UnknownNameError, match="modality"):
        list_examples("video")


def test_unknown_name_suggests_a_close_one():
    with pytest.raises(UnknownNameError, match="wordnet_glosses"):
        load_example("wordnet_gloss")
    with pytest.raises(InputError):
        load_example(3)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of the data folder, so tests can damage it."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setenv("EMBEDKIT_DATA", str(copy))
    return copy


def test_a_changed_file_is_detected(data_copy):
    table = data_copy / example_info("wordnet_glosses")["table"]
    table.write_text(table.read_text(encoding="utf-8").replace("a", "e", 1), encoding="utf-8")
    with pytest.raises(DataIntegrityError, match="checksum"):
        load_example("wordnet_glosses")


def test_a_missing_file_is_detected(data_copy):
    (data_copy / example_info("wordnet_glosses")["table"]).unlink()
    with pytest.raises(DataIntegrityError, match="missing"):
        verify_example("wordnet_glosses")


def test_a_missing_registry_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDKIT_DATA", str(tmp_path))
    with pytest.raises(DataIntegrityError, match="EMBEDKIT_DATA"):
        list_examples()


def test_loading_never_modifies_the_data(data_copy):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    for name in list_examples():
        table = load_example(name)
        table.loc[:, example_info(name)["item_column"]] = "x"  # edit the loaded copy
    assert before == {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
