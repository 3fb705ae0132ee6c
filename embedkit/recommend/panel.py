"""Under the Explorer's map: what a model recommends for the clicked item, and what looks like it.

The map shows LEARNED item vectors (BPR or item2vec), so the Explorer's own
click panel lists the item's neighbours in that space. This panel puts
two lists next to each other for the clicked item: "people who installed
this also installed" (the learned model's :meth:`similar_items`) and "looks
like this" (a content model's), and counts how many items they share. It
follows the Explorer's ``chosen`` trait, the hook its API offers for clicks.

>>> import numpy as np
>>> from embedkit import Explorer
>>> from embedkit.recommend import BPRRecommender, ContentRecommender
>>> log = {"user": list("aabbcc"), "item": list("xyxzyz")}
>>> bpr = BPRRecommender(dim=2, epochs=2).fit(log)
>>> content = ContentRecommender(np.eye(3), items=["x", "y", "z"]).fit(log)
>>> panel = RecommendationPanel(Explorer(bpr.item_vectors_, ["x", "y", "z"], method="pca", k=1),
...                             bpr, content, k=1)
>>> panel.show("x").columns.tolist()
['also used', 'looks like']
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from embedkit.errors import InputError
from embedkit.recommend.base import Recommender

__all__ = ["RecommendationPanel"]


class RecommendationPanel:
    """A panel following ``explorer``'s clicks; display ``panel.widget`` (the map, the lists below).

    The lists go under the map, not beside it: the Explorer already fills the
    width with its map and its own neighbour panel.
    """

    def __init__(self, explorer: Any, learned: Recommender, content: Recommender, k: int = 8):
        import ipywidgets as w

        for name, model in (("learned", learned), ("content", content)):
            if not isinstance(model, Recommender) or not hasattr(model, "item_vectors_"):
                raise InputError(f"{name} must be a fitted recommender with item vectors "
                                 "(BPR, item2vec or content-based).")
        if not hasattr(explorer, "X") or not callable(getattr(explorer, "observe", None)):
            raise InputError(f"explorer must be an embedkit Explorer of the items, got {type(explorer).__name__}.")
        if list(learned.items_) != list(content.items_) or len(explorer.X) != len(learned.items_):
            raise InputError("The Explorer's points, the learned model and the content model must "
                             "cover the same items in the same order (one point per item).")
        self.explorer, self.learned, self.content, self.k = explorer, learned, content, k
        self.html = w.HTML(value="<i>Click a point on the map: its lists appear here.</i>")
        self.widget = w.VBox([explorer.widget, self.html])
        explorer.observe(self._on_choice, names="chosen")

    def _on_choice(self, change: dict) -> None:
        if change["new"] is not None:
            self.show(self.learned.items_[change["new"]])

    def show(self, item: Any) -> pd.DataFrame:
        """Fill the panel for ``item``; return the two lists side by side."""
        learned = self.learned.similar_items(item, self.k)["item"].tolist()
        content = self.content.similar_items(item, self.k)["item"].tolist()
        table = pd.DataFrame({"also used": learned, "looks like": content})
        shared = len(set(learned) & set(content))
        rows = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
                       for a, b in zip(learned, content))
        self.html.value = (f"<b>{html.escape(str(item))}</b><table style='width:100%'><tr>"
                           "<th align='left'>people who used this also used (learned)</th>"
                           f"<th align='left'>looks like this (content)</th></tr>{rows}</table>"
                           f"<p>{shared} of {self.k} items in both lists.</p>")
        return table
