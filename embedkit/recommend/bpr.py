"""Collaborative filtering with embeddings learned from interactions: BPR matrix factorisation.

The same recipe that made word vectors in notebook 03: a table of vectors
(one per user, one per item: ``nn.Embedding``), a score (their dot product),
a loss, and an optimiser. The loss is BPR (Rendle et al., 2009), made for
implicit feedback, where we only know what a user DID use: for a user, an
item they used should score higher than a random item they did not,
``loss = -log sigmoid(score(u, used) - score(u, random))``.

>>> log = {"user": ["a", "a", "b", "b", "c"], "item": ["x", "y", "x", "y", "z"]}
>>> rec = BPRRecommender(dim=4, epochs=50, batch_size=4).fit(log)
>>> rec.item_vectors_.shape
(3, 4)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError, require
from embedkit.recommend.base import Recommender
from embedkit.threads import check_threads, limited_threads
from embedkit.validation import check_int

__all__ = ["make_bpr_model", "BPRRecommender", "bpr_loss"]


def _torch():
    # torch is heavy: import it on first use only, like the kit's skip-gram
    return require("torch", "text", "The BPR recommender")


def make_bpr_model(n_users: int, n_items: int, dim: int) -> Any:
    """The model: user and item embedding tables, score = user . item + item bias.

    >>> model = make_bpr_model(3, 5, 4)
    >>> import torch; model(torch.tensor([0]), torch.tensor([2])).shape
    torch.Size([1])
    """
    torch = _torch()
    nn = torch.nn

    class BPRModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.users = nn.Embedding(n_users, dim)
            self.items = nn.Embedding(n_items, dim)
            self.item_bias = nn.Embedding(n_items, 1)  # how popular an item is, whoever asks
            nn.init.normal_(self.users.weight, std=0.1)
            nn.init.normal_(self.items.weight, std=0.1)
            nn.init.zeros_(self.item_bias.weight)

        def forward(self, users, items):
            dot = (self.users(users) * self.items(items)).sum(dim=-1)
            return dot + self.item_bias(items).squeeze(-1)

    return BPRModel()


def bpr_loss(positive_scores, negative_scores):
    """Mean of -log sigmoid(positive - negative): small when used items outscore the others.

    >>> import torch; round(float(bpr_loss(torch.tensor([2.0]), torch.tensor([0.0]))), 3)
    0.127
    """
    return -_torch().nn.functional.logsigmoid(positive_scores - negative_scores).mean()


class BPRRecommender(Recommender):
    """Learn ``dim``-d user and item vectors with the BPR loss and Adam; seeded, deterministic.

    Each epoch visits every (user, used item) pair once, in a seeded random
    order, against one random item from the training items (rarely one the
    user has: BPR tolerates that noise). ``reg`` is an L2 penalty on the
    vectors in each batch. Items without training interactions keep their
    random start (``known_items_`` is False for them): BPR cannot rank them.
    """

    def __init__(self, dim: int = 16, epochs: int = 20, lr: float = 0.01, reg: float = 1e-4,
                 batch_size: int = 1024, items: Any = None, random_state: int = 0,
                 threads: int | None = 1):
        self.dim, self.epochs, self.lr, self.reg = dim, epochs, lr, reg
        self.batch_size, self.items = batch_size, items
        self.random_state, self.threads = random_state, threads

    def _check_params(self) -> None:
        for name in ("dim", "epochs", "batch_size"):
            check_int(getattr(self, name), name)
        if not self.lr > 0 or self.reg < 0:
            raise InputError(f"lr must be > 0 and reg >= 0, got lr={self.lr}, reg={self.reg}.")
        check_threads(self.threads)

    def _fit(self, frame, users, items) -> None:
        self._check_params()
        torch = _torch()
        with limited_threads(self.threads):
            torch.manual_seed(self.random_state)
            model = make_bpr_model(len(self.users_), len(self.items_), self.dim)
            optimiser = torch.optim.Adam(model.parameters(), lr=self.lr)
            rng = np.random.default_rng(self.random_state)
            warm = np.unique(items).astype(np.int64)  # negatives come from items someone used
            u_all = torch.from_numpy(np.array(users, dtype=np.int64))  # a copy: pandas arrays are read-only
            i_all = torch.from_numpy(np.array(items, dtype=np.int64))
            self.loss_history_ = []
            for _ in range(self.epochs):
                order = torch.from_numpy(rng.permutation(len(users)))
                negatives = torch.from_numpy(warm[rng.integers(len(warm), size=len(users))])
                total = 0.0
                for start in range(0, len(users), self.batch_size):
                    batch = order[start:start + self.batch_size]
                    u, pos, neg = u_all[batch], i_all[batch], negatives[batch]
                    loss = bpr_loss(model(u, pos), model(u, neg))
                    penalty = (model.users(u).pow(2).sum() + model.items(pos).pow(2).sum()
                               + model.items(neg).pow(2).sum()) / len(batch)
                    optimiser.zero_grad()
                    (loss + self.reg * penalty).backward()
                    optimiser.step()
                    total += loss.item() * len(batch)
                self.loss_history_.append(total / len(users))
        self.model_ = model
        self.user_vectors_ = model.users.weight.detach().numpy().copy()
        self.item_vectors_ = model.items.weight.detach().numpy().copy()
        self.item_bias_ = model.item_bias.weight.detach().numpy()[:, 0].copy()
        self.known_items_ = np.zeros(len(self.items_), dtype=bool)
        self.known_items_[warm] = True

    def _score(self, users: np.ndarray) -> np.ndarray:
        return self.user_vectors_[users] @ self.item_vectors_.T + self.item_bias_
