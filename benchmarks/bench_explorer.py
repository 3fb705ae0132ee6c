"""How fast the Explorer answers, measured against baselines taken in the same run.

    .venv/bin/python benchmarks/bench_explorer.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_explorer.py --n 20000  # smaller click benchmark

1. Click at 100,000 x 384: the neighbour search alone, against two floors for
   reading the matrix once from memory (``X.sum()`` and a BLAS ``X @ q``) and
   against the previous search (BLAS ``X @ q`` + top-k), all measured in
   interleaved rounds (the median of per-round ratios is reported, so a burst of
   load on this shared machine hits every contender alike); then the whole
   kernel-side click (search, panel data, highlight update).
   Goals: search <= 1.5x the X.sum() floor; click < 100 ms.
2. k-NN graph reuse: one exact graph feeding UMAP, the neighbour panel and the
   faithfulness score, against computing each separately.
3. Time to first map in a FRESH Python process (a new kernel), 2,000 and 10,000
   points: a cold disk cache (map shown as PCA at once, the k-NN graph and UMAP
   arriving in the background), then warm (UMAP from the disk cache). Python's
   imports (embedkit, jupyter-scatter, ipywidgets) are timed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np


def unit_vectors(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    X = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def median_ms(action, repeats: int = 25) -> float:
    """Median wall time of ``action`` in milliseconds (after one warm-up call)."""
    action()  # warm caches once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def blas_search(unit: np.ndarray, i: int, k: int) -> np.ndarray:
    """The previous click search, as a baseline: BLAS X @ q, then the same top-k."""
    from embedkit.neighbors import _top_k

    scores = unit @ unit[i]
    scores[i] = -np.inf
    return _top_k(scores, k)


def bench_click(n: int, rounds: int = 7) -> None:
    from embedkit import Explorer

    print(f"\n== 1. click at {n:,} x 384 ==")
    X = unit_vectors(n)
    items = [f"item {i}: some text that stands for a document" for i in range(n)]
    start = time.perf_counter()
    explorer = Explorer(X, items, method="pca", k=8)
    print(f"Explorer built (PCA map): {time.perf_counter() - start:.1f} s")
    index = explorer.map_state.exact  # the data are unit vectors already: X is the unit matrix
    unit = index.X
    q = unit[123].copy()
    picks = iter(np.random.default_rng(1).integers(0, n, size=100_000).tolist())
    names = ("X.sum()", "X @ q (BLAS)", "search", "previous search")
    actions = (lambda: unit.sum(), lambda: unit @ q, lambda: index.neighbors_of(next(picks), 8),
               lambda: blas_search(unit, next(picks), 8))
    per_round = [[median_ms(action, repeats=9) for action in actions] for _ in range(rounds)]
    ms = {name: statistics.median(r[j] for r in per_round) for j, name in enumerate(names)}

    def ratio(top: str, floor: str) -> float:
        return statistics.median(r[names.index(top)] / r[names.index(floor)] for r in per_round)

    print(f"median of {rounds} interleaved rounds x 9 calls; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"memory-read floors: X.sum() {ms['X.sum()']:.1f} ms, X @ q (BLAS) {ms['X @ q (BLAS)']:.1f} ms")
    for name in ("search", "previous search"):
        print(f"{name:>15} (exact top-8): {ms[name]:.1f} ms = {ratio(name, 'X.sum()'):.2f}x X.sum(), "
              f"{ratio(name, 'X @ q (BLAS)'):.2f}x X @ q" + ("  (goal <= 1.5x X.sum())"
                                                          if name == "search" else ""))

    def click() -> None:
        i = next(picks)
        explorer.map.widget.selection = np.array([i])  # what the browser sends on a click

    print(f"click handler (search + panel data + highlight update): {median_ms(click):.1f} ms "
          "(goal < 100 ms)")


def bench_graph_reuse(n: int) -> None:
    from embedkit import NeighborIndex, project
    from embedkit.faithfulness import kept_neighbor_fraction, neighborhood_preservation

    print(f"\n== 2. k-NN graph reuse at {n:,} x 384 (UMAP n_neighbors=15, panel k=8, faithfulness k=10) ==")
    X = unit_vectors(n, seed=2)
    # Pay numba's compilation outside the timing: UMAP's layout, and (above 4,096
    # points, where UMAP stops computing exact distances) pynndescent's search.
    warm = unit_vectors(4_200, dim=8, seed=3)
    project(warm, method="umap", cache=False)
    project(warm, method="umap", cache=False, knn=NeighborIndex(warm).all_neighbors(14))
    clicks = np.random.default_rng(4).integers(0, n, size=200)
    index = NeighborIndex(X)

    start = time.perf_counter()
    graph = index.all_neighbors(14)
    t_graph = time.perf_counter() - start
    start = time.perf_counter()
    Y = project(X, method="umap", knn=graph, cache=False)
    t_umap_reuse = time.perf_counter() - start
    start = time.perf_counter()
    kept_neighbor_fraction(graph[0], Y, 10)
    t_faith_reuse = time.perf_counter() - start
    start = time.perf_counter()
    for i in clicks:
        graph[0][i, :8]
    t_clicks_reuse = time.perf_counter() - start
    reused = t_graph + t_umap_reuse + t_faith_reuse + t_clicks_reuse

    start = time.perf_counter()
    project(X, method="umap", cache=False)
    t_umap_alone = time.perf_counter() - start
    start = time.perf_counter()
    neighborhood_preservation(X, Y, k=10)
    t_faith_alone = time.perf_counter() - start
    start = time.perf_counter()
    for i in clicks:
        index.neighbors_of(int(i), 8)
    t_clicks_alone = time.perf_counter() - start
    separate = t_umap_alone + t_faith_alone + t_clicks_alone
    print(f"one graph, reused: graph {t_graph:.1f} s + UMAP {t_umap_reuse:.1f} s + faithfulness "
          f"{t_faith_reuse:.2f} s + 200 clicks {t_clicks_reuse * 1000:.1f} ms = {reused:.1f} s")
    print(f"each separately:   UMAP {t_umap_alone:.1f} s + faithfulness {t_faith_alone:.1f} s + "
          f"200 clicks {t_clicks_alone:.2f} s = {separate:.1f} s")
    print(f"saved: {separate - reused:.1f} s ({(separate - reused) / separate:.0%})")


_FRESH = textwrap.dedent("""
    import json, sys, time
    start = time.perf_counter()
    import numpy as np
    import ipywidgets, jscatter
    from embedkit import Explorer
    imported = time.perf_counter()
    X = np.load(sys.argv[1])
    explorer = Explorer(X, [f"item {i}" for i in range(len(X))], method="umap")
    first = time.perf_counter() - start
    shown = explorer.shown_method
    explorer.wait_for_map()
    print(json.dumps({"imports_s": imported - start, "first_map_s": first, "first_method": shown,
                      "umap_ready_s": time.perf_counter() - start}))
""")


def bench_fresh_kernel(sizes: list[int]) -> None:
    print("\n== 3. time to first map in a fresh process (python + imports + Explorer) ==")
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, EMBEDKIT_CACHE=str(Path(folder) / "cache"))
        for n in sizes:
            path = Path(folder) / f"X{n}.npy"
            np.save(path, unit_vectors(n, seed=n))
            for run in ("fresh cache", "warm cache"):
                out = subprocess.run([sys.executable, "-c", _FRESH, str(path)], env=env,
                                     capture_output=True, text=True, check=True)
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{n:>6,} points, {run}: first map after {result['first_map_s']:.1f} s "
                      f"({result['first_method'].upper()}; imports {result['imports_s']:.1f} s of "
                      f"it), UMAP shown after {result['umap_ready_s']:.1f} s")


_MEMORY = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    def rss_mb():
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024
    engine, n, dims = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start = rss_mb()
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4, size=(20, dims)).astype(np.float32)
    group = rng.integers(0, 20, n)
    X = centres[group] + rng.normal(size=(n, dims)).astype(np.float32)
    labels = [f"group {g}" for g in group]
    items = [f"item {i}" for i in range(n)]
    import embedkit, jscatter, pandas as pd, ipywidgets, sklearn.decomposition
    before = rss_mb()
    t0 = time.perf_counter()
    if engine.startswith("explorer"):
        view = embedkit.Explorer(X, items, labels=labels, method="pca", k=8,
                                 copy=engine != "explorer-copy=False")
    else:
        from sklearn.decomposition import PCA
        sample = np.random.default_rng(0).choice(n, min(n, 100_000), replace=False)
        xy = PCA(2, random_state=0).fit(X[sample]).transform(X).astype(np.float32)
        frame = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "label": pd.Categorical(labels)})
        view = jscatter.Scatter(x="x", y="y", data=frame, color_by="label", size=1).widget
    seconds = time.perf_counter() - t0
    after = rss_mb()
    print(json.dumps({"seconds": seconds, "start": start, "before": before, "after": after,
                      "data": X.nbytes / 2**20}))
""")


def bench_memory(n: int, dims: int = 64) -> None:
    print(f"\n== 4. kernel side of a {n:,} x {dims} map: build time and memory (fresh processes) ==")
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, EMBEDKIT_CACHE=str(Path(folder) / "cache"))
        for engine in ("jscatter", "explorer", "explorer-copy=False"):
            out = subprocess.run([sys.executable, "-c", _MEMORY, engine, str(n), str(dims)], env=env,
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{engine:>19}: built in {r['seconds']:.1f} s; RSS {r['after']:.0f} MB; the map "
                  f"added {(r['after'] - r['before']) / r['data']:.2f}x the data ({r['data']:.0f} MB)"
                  f", total {(r['after'] - r['start']) / r['data']:.2f}x (data, items and labels "
                  "lists included)")


def bench_density() -> None:
    from scipy.stats import gaussian_kde

    from embedkit.explorer._density import density_lines

    print("\n== 5. density contours: binned KDE + contourpy against scipy's exact gaussian_kde ==")
    rng = np.random.default_rng(0)
    grid = np.mgrid[-10:10:200j, -10:10:200j].reshape(2, -1)
    for n in (2_000, 10_000, 1_000_000):
        coords = rng.normal(size=(n, 2)) * 3
        start = time.perf_counter()
        density_lines(coords)
        ours = time.perf_counter() - start
        if n <= 10_000:
            start = time.perf_counter()
            gaussian_kde(coords.T)(grid)
            exact = time.perf_counter() - start
            print(f"{n:>9,} points: binned {ours * 1000:.0f} ms, exact KDE on 200x200 "
                  f"{exact * 1000:.0f} ms ({exact / ours:.0f}x)")
            per_point = exact / n
        else:
            print(f"{n:>9,} points: binned {ours * 1000:.0f} ms, exact KDE extrapolated "
                  f"(linear in points) {per_point * n:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="points for the click benchmark")
    parser.add_argument("--graph-n", type=int, default=5_000, help="points for the reuse benchmark")
    parser.add_argument("--fresh", type=int, nargs="*", default=[2_000, 10_000])
    parser.add_argument("--memory-n", type=int, default=1_000_000, help="points for --parts memory")
    parser.add_argument("--memory-dims", type=int, nargs="+", default=[64, 384],
                        help="vector widths for --parts memory (the map's per-point cost is "
                             "fixed, so its share of the total falls as vectors widen)")
    parser.add_argument("--parts", nargs="*", default=["click", "graph", "fresh"],
                        choices=["click", "graph", "fresh", "memory", "density"])
    args = parser.parse_args()
    print(f"embedkit Explorer benchmark · {os.cpu_count()} CPUs · load average "
          f"{os.getloadavg()[0]:.1f}")
    if "click" in args.parts:
        bench_click(args.n)
    if "graph" in args.parts:
        bench_graph_reuse(args.graph_n)
    if "fresh" in args.parts:
        bench_fresh_kernel(args.fresh)
    if "memory" in args.parts:
        for dims in args.memory_dims:
            bench_memory(args.memory_n, dims)
    if "density" in args.parts:
        bench_density()


if __name__ == "__main__":
    main()
