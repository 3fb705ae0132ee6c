"""How much of a simulation's true tastes a model recovered.

Learned vectors are only defined up to a rotation (and scale), so we do not
compare them number by number: we ask how well a linear map from the learned
item vectors predicts the true item factors, scored as cross-validated R^2
(scikit-learn ``Ridge``, 5 folds). 1 = all recovered, 0 = nothing beyond
the mean.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> true = rng.normal(size=(200, 3))
>>> rotated = 10 * true @ np.linalg.qr(rng.normal(size=(3, 3)))[0]
>>> factor_recovery(rotated, true) > 0.99, factor_recovery(rng.normal(size=(200, 3)), true) < 0.05
(True, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from embedkit.errors import InputError
from embedkit.validation import check_embeddings

__all__ = ["factor_recovery"]


def factor_recovery(learned: Any, true: Any, alpha: float = 10.0, folds: int = 5,
                    random_state: int = 0) -> float:
    """Cross-validated R^2 of a ridge regression from ``learned`` rows to ``true`` rows."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_score

    X = check_embeddings(learned, name="learned", dtype=np.float64)
    Y = check_embeddings(true, name="true", dtype=np.float64)
    if len(X) != len(Y):
        raise InputError(f"learned has {len(X)} rows and true {len(Y)}: one row per item each.")
    if len(X) < 2 * folds:
        raise InputError(f"factor_recovery needs at least {2 * folds} items, got {len(X)}.")
    cv = KFold(folds, shuffle=True, random_state=random_state)
    return float(np.mean(cross_val_score(Ridge(alpha=alpha), X, Y, cv=cv, scoring="r2")))
