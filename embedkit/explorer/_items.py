"""The table behind a map's points: each point's item, label and metadata.

An :class:`~embedkit.Explorer` answers in rows of this table (the neighbours
of a point, the lasso selection), searches it, and colours by its columns.
The user's own DataFrame is copied, never changed.

>>> import pandas as pd
>>> from embedkit.explorer._items import ItemTable
>>> table = ItemTable(["a cat", "a dog"], labels="animal",
...                   metadata=pd.DataFrame({"animal": ["cat", "dog"]}))
>>> table.rows([1])[["index", "item", "animal"]].values.tolist()
[[1, 'a dog', 'dog']]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError
from embedkit.validation import check_items

__all__ = ["ItemTable"]


class ItemTable:
    """``items`` with optional ``labels`` (a sequence or a ``metadata`` column name) and
    ``metadata`` (a DataFrame, one row per item); ``n``: the number of embeddings.

    >>> ItemTable(["x", "y", "z"], labels=[1, 2, 1]).search("Y").tolist()
    [1]
    """

    def __init__(self, items: Any, labels: Any = None, metadata: Any = None, n: int | None = None):
        self.items = check_items(items)
        n = len(self.items) if n is None else n
        if len(self.items) != n:
            raise InputError(f"There are {n} embeddings but {len(self.items)} items: pass one item "
                             "per embedding row, in the same order.")
        self.metadata = self._check_metadata(metadata, n)
        self.labels, self.label_name = self._check_labels(labels, n)
        self._haystack: list[str] | None = None

    @staticmethod
    def _check_metadata(metadata: Any, n: int) -> pd.DataFrame:
        if metadata is None:
            return pd.DataFrame(index=range(n))
        if not isinstance(metadata, pd.DataFrame):
            raise InputError(f"metadata must be a pandas DataFrame, got {type(metadata).__name__}.")
        if len(metadata) != n:
            raise InputError(f"metadata has {len(metadata)} rows but there are {n} embeddings.")
        return metadata.reset_index(drop=True).copy()  # the user's frame is never changed

    def _check_labels(self, labels: Any, n: int) -> tuple[list | None, str | None]:
        if labels is None:
            return None, None
        if isinstance(labels, str):
            if labels not in self.metadata.columns:
                raise InputError(f"labels={labels!r} is not a metadata column. Columns: "
                                 f"{', '.join(map(str, self.metadata.columns)) or '(no metadata)'}.")
            return self.metadata[labels].tolist(), labels
        name = getattr(labels, "name", None)  # a Series keeps its column name
        values = check_items(labels, name="labels")
        if len(values) != n:
            raise InputError(f"There are {n} embeddings but {len(values)} labels.")
        return values, str(name) if name is not None else "label"

    def column_names(self) -> list[str]:
        """The label's name, then every metadata column."""
        names = [self.label_name] if self.labels is not None else []
        return names + [str(c) for c in self.metadata.columns if str(c) not in names]

    def column(self, name: str) -> list:
        """The label or a metadata column, as a list."""
        if name == self.label_name and name not in self.metadata.columns:
            return list(self.labels)
        return self.metadata[name].tolist()

    def frame(self) -> pd.DataFrame:
        """One row per point: item, label and metadata columns."""
        frame = pd.DataFrame({"item": self.items})
        if self.labels is not None and self.label_name not in self.metadata.columns:
            frame[self.label_name] = self.labels
        return pd.concat([frame, self.metadata.drop(columns=["item", "x", "y"], errors="ignore")],
                         axis=1)

    def rows(self, indices: Any, scores: Any = None) -> pd.DataFrame:
        """The rows ``indices`` (in that order): index, score (if given), item, label, metadata."""
        indices = np.asarray(indices, dtype=int)
        frame = pd.DataFrame({"index": indices})
        if scores is not None:
            frame["score"] = np.round(np.asarray(scores, dtype=float), 4)
        frame["item"] = [self.items[i] for i in indices]
        if self.labels is not None:
            frame[self.label_name] = [self.labels[i] for i in indices]
        for column in self.metadata.columns:
            if column not in frame.columns:
                frame[column] = self.metadata[column].to_numpy()[indices]
        return frame

    def search(self, text: str) -> np.ndarray:
        """Rows whose item, label or metadata contains ``text`` (any case), in order."""
        needle = str(text).strip().lower()
        if not needle:
            return np.array([], dtype=int)
        if self._haystack is None:  # built once: a search per keystroke stays quick
            haystack = [str(item) for item in self.items]
            if self.labels is not None:
                haystack = [f"{h} {label}" for h, label in zip(haystack, self.labels)]
            for column in self.metadata.columns:
                haystack = [f"{h} {value}" for h, value in zip(haystack, self.metadata[column])]
            self._haystack = [h.lower() for h in haystack]
        return np.flatnonzero([needle in h for h in self._haystack])
