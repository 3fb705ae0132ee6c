"""Compare two search answers the way BLAS allows: scores to a tolerance, ids exactly.

BLAS picks different kernels for different call shapes and processors, so the
same scores can differ in the last bits (seen: 4e-7 on AMD EPYC). Ids must
still agree, except where two scores are tied within that tolerance: there
either order is right, so only the set of tied ids is compared.
"""

from __future__ import annotations

import numpy as np

SCORE_ATOL = 1e-5


def assert_same_ranking(scores_a, ids_a, scores_b, ids_b, atol: float = SCORE_ATOL) -> None:
    scores_a, scores_b = np.atleast_2d(scores_a), np.atleast_2d(scores_b)
    ids_a, ids_b = np.atleast_2d(ids_a), np.atleast_2d(ids_b)
    assert ids_a.shape == ids_b.shape == scores_a.shape == scores_b.shape
    np.testing.assert_allclose(scores_a, scores_b, rtol=0, atol=atol)
    for row, (sa, ia, ib) in enumerate(zip(scores_a, ids_a, ids_b)):
        # Group positions whose scores are tied within atol; each group must hold the same ids.
        start = 0
        for end in range(1, len(sa) + 1):
            if end == len(sa) or abs(sa[end] - sa[end - 1]) > atol:
                group_a, group_b = set(ia[start:end].tolist()), set(ib[start:end].tolist())
                # The last group may be cut by k: tied ids beyond it can differ, so only
                # require the shorter agreement there.
                if end == len(sa) and group_a != group_b:
                    assert len(group_a) == len(group_b), f"row {row}: {ia} vs {ib}"
                    np.testing.assert_allclose(sa[start:end], scores_b[row][start:end], atol=atol)
                else:
                    assert group_a == group_b, f"row {row}, ranks {start}-{end - 1}: {ia} vs {ib}"
                start = end
