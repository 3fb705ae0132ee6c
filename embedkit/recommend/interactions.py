"""The interactions table: who used which item, checked once, and split for evaluation.

A recommender learns from a table with one row per (user, item) interaction,
e.g. a DataFrame with columns ``user`` and ``item`` (and ``step``, the order
in which each user met the items). :func:`check_interactions` validates it at
the public boundary; :func:`leave_last_out` holds out each user's last item
for testing, and :func:`cold_start_split` hides a few items from training
entirely, to ask how well a model ranks items nobody has used yet.

>>> import pandas as pd
>>> log = pd.DataFrame({"user": ["ann", "ann", "bob", "bob"], "item": ["vim", "git", "vim", "tmux"],
...                     "step": [0, 1, 0, 1]})
>>> train, test = leave_last_out(log)
>>> test["item"].tolist()
['git', 'tmux']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from embedkit.errors import InputError, UnknownNameError, closest_names

__all__ = ["check_interactions", "leave_last_out", "cold_start_split", "user_histories"]

USER, ITEM, STEP = "user", "item", "step"


def check_interactions(interactions: Any, items: Any = None, *, name: str = "interactions",
                       allow_duplicates: bool = False) -> pd.DataFrame:
    """Return ``interactions`` as a clean (user, item[, step]) DataFrame, or raise a clear error.

    ``items``, if given, is the catalogue: every interacted item must be in it.
    A (user, item) pair listed twice is an error unless ``allow_duplicates``
    (implicit feedback counts an item once per user).

    >>> check_interactions({"user": ["a"], "item": ["x"]}).shape
    (1, 2)
    """
    if isinstance(interactions, dict):
        interactions = pd.DataFrame(interactions)
    if not isinstance(interactions, pd.DataFrame):
        raise InputError(f"{name} must be a DataFrame with columns 'user' and 'item' (one row per "
                         f"interaction), got {type(interactions).__name__}.")
    missing = [c for c in (USER, ITEM) if c not in interactions.columns]
    if missing:
        raise InputError(f"{name} has no column(s) {missing}; it has {list(interactions.columns)}. "
                         "Rename yours, e.g. df.rename(columns={'user_id': 'user', "
                         "'item_id': 'item'}).")
    if len(interactions) == 0:
        raise InputError(f"{name} is empty: a recommender needs at least one interaction.")
    columns = [USER, ITEM] + ([STEP] if STEP in interactions.columns else [])
    frame = interactions[columns].reset_index(drop=True)
    if frame[[USER, ITEM]].isna().any().any():
        raise InputError(f"{name} has missing users or items; drop those rows (df.dropna()).")
    frame[USER] = frame[USER].astype(str)
    frame[ITEM] = frame[ITEM].astype(str)
    doubled = frame.duplicated([USER, ITEM])
    if doubled.any() and not allow_duplicates:
        first = frame[doubled].iloc[0]
        raise InputError(
            f"{name} lists {int(doubled.sum())} (user, item) pair(s) more than once, e.g. user "
            f"{first[USER]!r} and item {first[ITEM]!r}. Implicit feedback counts an item once per "
            "user: keep the first with df.drop_duplicates(['user', 'item']).")
    if items is not None:
        known = set(map(str, items))
        unknown = sorted(set(frame[ITEM]) - known)
        if unknown:
            raise UnknownNameError(
                f"{name} mentions {len(unknown)} item(s) that are not in the catalogue, e.g. "
                f"{unknown[0]!r}.{closest_names(unknown[0], sorted(known))} Pass the full item list "
                "(items=...) or drop those rows.")
    return frame


def user_histories(interactions: Any) -> dict[str, list[str]]:
    """Each user's items in order (by ``step`` when there is one).

    >>> user_histories({"user": ["a", "a"], "item": ["y", "x"], "step": [1, 0]})
    {'a': ['x', 'y']}
    """
    frame = check_interactions(interactions)
    if STEP in frame.columns:
        frame = frame.sort_values([USER, STEP], kind="stable")
    return {user: group[ITEM].tolist() for user, group in frame.groupby(USER, sort=True)}


def leave_last_out(interactions: Any, min_history: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split off each user's last interaction (by ``step``) as the test set.

    Users with fewer than ``min_history`` interactions stay wholly in training
    (a model needs at least one item to know them by).

    >>> train, test = leave_last_out({"user": ["a", "a", "b"], "item": ["x", "y", "x"],
    ...                               "step": [0, 1, 0]})
    >>> len(train), test["item"].tolist()
    (2, ['y'])
    """
    frame = check_interactions(interactions)
    if STEP not in frame.columns:
        raise InputError("leave_last_out needs a 'step' column saying in which order each user "
                         "met the items (a time stamp or a counter).")
    if isinstance(min_history, bool) or not isinstance(min_history, int) or min_history < 2:
        raise InputError(f"min_history must be a whole number >= 2, got {min_history!r}.")
    frame = frame.sort_values([USER, STEP], kind="stable")
    sizes = frame.groupby(USER)[ITEM].transform("size")
    last = (frame.groupby(USER).cumcount(ascending=False) == 0) & (sizes >= min_history)
    return frame[~last].reset_index(drop=True), frame[last].reset_index(drop=True)


def cold_start_split(interactions: Any, fraction: float = 0.1, random_state: int = 0
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Hide a random ``fraction`` of the items from training: (train, cold test, cold items).

    Every interaction with a cold item goes to the test set, so no model sees
    these items used; only what is known about their content can rank them.

    >>> log = {"user": list("aabbcc"), "item": list("xyxzyz")}
    >>> train, test, cold = cold_start_split(log, fraction=0.34)
    >>> sorted(set(test["item"])) == cold and not set(train["item"]) & set(cold)
    True
    """
    frame = check_interactions(interactions)
    if not 0 < fraction < 1:
        raise InputError(f"fraction must be between 0 and 1 (exclusive), got {fraction!r}.")
    items = np.array(sorted(set(frame[ITEM])))
    n_cold = max(1, int(round(fraction * len(items))))
    if n_cold >= len(items):
        raise InputError(f"fraction {fraction} would make every one of the {len(items)} items "
                         "cold; choose a smaller fraction.")
    rng = np.random.default_rng(random_state)
    cold = sorted(items[rng.choice(len(items), size=n_cold, replace=False)].tolist())
    is_cold = frame[ITEM].isin(cold)
    train, test = frame[~is_cold], frame[is_cold]
    test = test[test[USER].isin(set(train[USER]))]  # a model must know the user
    return train.reset_index(drop=True), test.reset_index(drop=True), cold
