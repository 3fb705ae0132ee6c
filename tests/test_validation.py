import numpy as np
import pandas as pd
import pytest

from embedkit import EmbedkitError, InputError, MissingExtraError, UnknownNameError
from embedkit.errors import closest_names, require
from embedkit.validation import check_embeddings, check_items, check_k


def test_errors_are_also_the_builtin_kinds_users_expect():
    assert issubclass(InputError, ValueError) and issubclass(UnknownNameError, KeyError)
    assert issubclass(MissingExtraError, ImportError)
    assert str(UnknownNameError("plain message")) == "plain message"


def test_require_names_the_extra_to_install():
    with pytest.raises(MissingExtraError, match=r"pip install -e '\.\[audio\]'"):
        require("no_such_module_xyz", "audio", "Audio embeddings")
    assert require("json", "core", "x").dumps(1) == "1"


def test_closest_names():
    assert "umap" in closest_names("uamp", ["umap", "pca"])
    assert closest_names("zzz", ["umap"]) == ""


def test_check_embeddings_accepts_lists_and_rejects_bad_shapes():
    assert check_embeddings([[1, 2], [3, 4]]).shape == (2, 2)
    for bad in ([1, 2, 3], [[[1]]], [[]], [["a", "b"]], [[1, 2], [3]]):
        with pytest.raises(InputError):
            check_embeddings(bad)


def test_check_embeddings_names_the_rows_with_nan():
    with pytest.raises(InputError, match=r"rows 1, 3"):
        check_embeddings([[0, 1], [np.nan, 1], [1, 1], [1, np.inf]])


def test_check_items():
    assert check_items(pd.Series(["a", "b"])) == ["a", "b"]
    assert check_items(np.array(["a"])) == ["a"]
    assert check_items(x for x in "ab") == ["a", "b"]
    with pytest.raises(InputError, match="single string"):
        check_items("hello")
    with pytest.raises(InputError, match="DataFrame"):
        check_items(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(InputError, match="empty"):
        check_items([])
    with pytest.raises(InputError, match="int"):
        check_items(5)
    assert isinstance(InputError("x"), EmbedkitError)


def test_check_k():
    assert check_k(10, 3) == 3
    for bad in (0, -1, 1.5, None, True):
        with pytest.raises(InputError):
            check_k(bad, 3)
