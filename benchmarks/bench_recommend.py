"""How long do the recommenders take to train, and does BPR want one thread or two?

Prints, measured side by side in one run on the bundled package_installs log
(leave-last-out training set, 38k installs, 2,000 users, 847 items):

1. fit time (wall and CPU seconds) of every recommender notebook 11 trains,
   against the popularity baseline's fit (which only counts installs): what
   learning costs on top of reading the table.
2. BPR on 1 thread against BPR on 2 threads (``threads=``), alternating runs,
   best of ``--repeats``: the default (1 thread) should not be the slower one
   on a 2-core machine (the model is tiny; threads mostly wait on each other).
3. evaluating every model on the 2,000 held-out installs (hit-rate@10, NDCG@10).
4. ``--validate``: the hybrid's weights, chosen on a validation split (each
   user's second-to-last install, the test items never seen): the weights
   notebook 11 uses come from here.

    .venv/bin/python benchmarks/bench_recommend.py              # ~1 minute on 2 busy cores
    .venv/bin/python benchmarks/bench_recommend.py --repeats 3

Figures vary with the machine's load; compare the ratios printed side by side.
"""

from __future__ import annotations

import argparse
import time


def timed(run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--validate", action="store_true", help="also choose the hybrid's weights")
    args = parser.parse_args()

    import torch  # noqa: F401 - imported before timing, so no model pays for it

    from embedkit import TfidfSvdEmbedder
    from embedkit.recommend import (BPRRecommender, ContentRecommender, HybridRecommender,
                                    Item2VecRecommender, PopularityRecommender, describe_items,
                                    evaluate, leave_last_out, load_interactions)

    items, log = load_interactions()
    catalogue = items["package"].tolist()
    train, test = leave_last_out(log)
    vectors, wall, cpu = timed(lambda: TfidfSvdEmbedder(n_components=64).fit_transform(
        describe_items(items)))
    print(f"content vectors (TF-IDF + SVD, 847 texts): {wall:.2f} s wall, {cpu:.2f} s CPU")

    makers = {"popular": lambda: PopularityRecommender(items=catalogue),
              "content": lambda: ContentRecommender(vectors, catalogue),
              "bpr": lambda: BPRRecommender(items=catalogue),
              "item2vec": lambda: Item2VecRecommender(items=catalogue)}
    fitted, base = {}, None
    print("\n1. fit time, against popularity's")
    for name, make in makers.items():
        fitted[name], wall, cpu = timed(lambda: make().fit(train))
        base = base or wall
        print(f"   {name:9s} {wall:6.2f} s wall {cpu:6.2f} s CPU  ({wall / base:5.1f}x popularity)")
    fitted["hybrid"], wall, cpu = timed(lambda: HybridRecommender(
        [fitted["content"], fitted["bpr"], fitted["item2vec"]], weights=[0.1, 0.45, 0.45],
        prefit=True).fit(train))
    print(f"   hybrid    {wall:6.2f} s wall {cpu:6.2f} s CPU  (prefit: no retraining)")

    print("\n2. BPR, 1 thread against 2 (best of", args.repeats, "alternating runs)")
    best = {1: float("inf"), 2: float("inf")}
    for _ in range(args.repeats):
        for threads in (1, 2):
            _, wall, _ = timed(lambda: BPRRecommender(items=catalogue, threads=threads).fit(train))
            best[threads] = min(best[threads], wall)
    print(f"   1 thread {best[1]:.2f} s, 2 threads {best[2]:.2f} s: "
          f"2 threads take {best[2] / best[1]:.2f}x the time of 1")

    print("\n3. held-out evaluation (2,000 users, all 847 items ranked)")
    for name, model in fitted.items():
        scores, wall, _ = timed(lambda: evaluate(model, test))
        print(f"   {name:9s} hit-rate@10 {scores['hit_rate@10']:.3f}  NDCG@10 "
              f"{scores['ndcg@10']:.3f}  ({wall:.2f} s)")

    if args.validate:
        print("\n4. hybrid weights (content, BPR, item2vec) on the validation split")
        val_train, val_test = leave_last_out(train)
        parts = [make().fit(val_train) for name, make in makers.items() if name != "popular"]
        grid = [(1, 1, 1), (0, 0.5, 0.5), (0.1, 0.45, 0.45), (0.2, 0.4, 0.4), (0.3, 0.35, 0.35),
                (0.2, 0.6, 0.2), (0.2, 0.2, 0.6)]
        scores = {w: evaluate(HybridRecommender(parts, weights=list(w), prefit=True).fit(val_train),
                              val_test) for w in grid}
        for w, s in scores.items():
            print(f"   {w}: hit-rate@10 {s['hit_rate@10']:.4f}  NDCG@10 {s['ndcg@10']:.4f}")
        print("   best by hit-rate@10:", max(scores, key=lambda w: scores[w]["hit_rate@10"]))


if __name__ == "__main__":
    main()
