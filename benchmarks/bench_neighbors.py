"""What does one ``ek.nearest_neighbors(X, q)`` call cost, against reading the matrix once?

Prints, measured side by side in one run (interleaved; the best of ``--repeats``
of each), at ``--rows`` x ``--dims`` float32 (default 100k x 384):

1. ``X @ q``: one pass over the matrix, the floor for an exact search;
2. ``nearest_neighbors(X, q)``: a free function call, as a learner writes it.
   It keeps nothing between calls (so an in-place edit of ``X`` is always seen),
   and pays two passes (dot products and row norms) and no normalised copy;
3. the same call as it was before (renormalising all of ``X`` per call: a
   ``NeighborIndex`` built and thrown away each time);
4. ``NeighborIndex(X).query(q)`` on an index built once: the way to ask many
   questions of the same data (one pass per query).

    .venv/bin/python benchmarks/bench_neighbors.py
    .venv/bin/python benchmarks/bench_neighbors.py --rows 20000 --repeats 9
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def best_of(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=384)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    import embedkit as ek

    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.rows, args.dims)).astype(np.float32)
    q = rng.normal(size=args.dims).astype(np.float32)
    index = ek.NeighborIndex(X)
    contenders = {
        "X @ q (one pass, the floor)": lambda: X @ q,
        "nearest_neighbors(X, q, k=10)": lambda: ek.nearest_neighbors(X, q, k=10),
        "before: renormalise per call": lambda: ek.NeighborIndex(X).query(q, k=10),
        "NeighborIndex built once, .query": lambda: index.query(q, k=10),
    }
    best = {name: float("inf") for name in contenders}
    for _ in range(args.repeats):  # interleaved: machine load hits every contender alike
        for name, function in contenders.items():
            best[name] = min(best[name], best_of(function, 1))
    floor = best["X @ q (one pass, the floor)"]
    print(f"{args.rows:,} x {args.dims} float32, best of {args.repeats} (interleaved):")
    for name, seconds in best.items():
        print(f"  {name:<36} {seconds * 1000:8.1f} ms   {seconds / floor:5.1f}x X @ q")
    same = ek.nearest_neighbors(X, q, k=10)[0].tolist() == index.query(q, k=10)[0].tolist()
    print(f"  same top-10 from both paths: {same}")


if __name__ == "__main__":
    main()
