"""The recommendation example data: items, their interaction log, and the true tastes.

``package_installs`` (see ``data/README.md``) pairs real Debian programs with
SIMULATED users; the simulation's true item factors and user tastes ship with
it so a lesson can measure what a model recovered.

>>> items, log = load_interactions()
>>> list(log.columns)
['user', 'item', 'step']
"""

from __future__ import annotations

import pandas as pd

from embedkit.errors import InputError
from embedkit.examples import _entry, data_dir, load_example

__all__ = ["load_interactions", "load_true_factors", "describe_items"]


def _folder(name: str):
    if f"{name}/interactions.csv.gz" not in _entry(name)["files"]:
        raise InputError(f"Example {name!r} has no interaction log; use 'package_installs'.")
    return data_dir() / name


def load_interactions(name: str = "package_installs") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (items, interactions) of a recommendation example, checksums verified.

    >>> items, log = load_interactions("package_installs")
    >>> set(log["item"]) <= set(items["package"])
    True
    """
    items = load_example(name)  # verifies every file of the set, the log included
    log = pd.read_csv(_folder(name) / "interactions.csv.gz", dtype={"user": str, "item": str})
    return items, log


def load_true_factors(name: str = "package_installs") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the simulation's (item factors, user tastes), indexed by package and user.

    >>> factors, tastes = load_true_factors()
    >>> factors.shape[1] == tastes.shape[1]
    True
    """
    load_example(name)
    folder = _folder(name)
    factors = pd.read_csv(folder / "item_factors.csv", index_col="package")
    tastes = pd.read_csv(folder / "users.csv.gz", index_col="user")
    return factors, tastes


def describe_items(items: pd.DataFrame) -> list[str]:
    """One text per package for a content embedder: synopsis, section, and debtags as words.

    >>> items, _ = load_interactions()
    >>> describe_items(items.head(1))
    ['mathematics based puzzle game. games. puzzle graphical x11 qt gameplaying application']
    """
    missing = {"text", "section", "tags"} - set(items.columns)
    if missing:
        raise InputError(f"items has no column(s) {sorted(missing)}; pass the table that "
                         "load_interactions() returns.")

    def words(tags: str) -> str:  # "use::gameplaying works-with::audio" -> "gameplaying audio"
        return " ".join(t.split("::")[-1].replace("-", " ").replace(":", " ") for t in tags.split())

    return [f"{text}. {section}. {words(tags)}"
            for text, section, tags in zip(items["text"], items["section"], items["tags"])]
