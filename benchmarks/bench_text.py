"""How much does embedkit add to a sentence model, and what does the cache save?

Prints, measured side by side in one run on the bundled WordNet glosses:

1. sentence-embedding throughput (texts per second) through
   ``embedkit.SentenceEmbedder(cache=False)`` against calling the same loaded
   ``SentenceTransformer.encode`` directly with the same batch size: embedkit's
   overhead (input checks, batching, the truncation check) in percent.
   Runs alternate (direct, embedkit, direct, ...) so machine load hits both
   alike; the best of ``--repeats`` runs of each is compared. Goal: under 5 %.
2. a cached re-run against the first run: ``SentenceEmbedder(cache=True)``
   on an empty cache (compute + write), then again (read + verify checksum).
3. the same two figures for the word-vector baselines (averaged GloVe and
   TF-IDF + SVD), for scale.

    .venv/bin/python benchmarks/bench_text.py                 # ~1-2 minutes on 2 busy cores
    .venv/bin/python benchmarks/bench_text.py --texts 200 --repeats 7 --threads 0

Figures vary with the machine's load; compare the ratios printed side by side.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings


def best_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=400, help="how many glosses to embed (max 800)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each contender; the best counts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (1 is steadiest on a shared 2-core machine; 0 = torch's default)")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["EMBEDKIT_CACHE"] = tempfile.mkdtemp(prefix="bench-text-cache-")  # an empty, private cache
    warnings.simplefilter("ignore")
    import torch

    import embedkit as ek

    if args.threads:
        torch.set_num_threads(args.threads)

    texts = ek.load_example("wordnet_glosses")["text"].tolist()[: args.texts]
    print(f"{len(texts)} texts, batch size {args.batch_size}, best of {args.repeats} runs; "
          f"torch threads: {torch.get_num_threads()}, CPU cores: {os.cpu_count()}\n")

    # --- 1. overhead over the model itself ------------------------------------------------
    embedder = ek.SentenceEmbedder(batch_size=args.batch_size, cache=False, progress=False)
    model = embedder.model_  # load once; both contenders use this same object
    embedder.transform(texts[:8])  # warm-up (first-call allocations)

    def direct():
        return model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)

    def through_embedkit():
        return embedder.transform(texts)

    direct_times, kit_times = [], []
    for _ in range(args.repeats):  # alternate, so load changes hit both alike
        direct_times.append(best_time(direct, 1))
        kit_times.append(best_time(through_embedkit, 1))
    best_direct, best_kit = min(direct_times), min(kit_times)
    overhead = best_kit / best_direct - 1
    median_overhead = sorted(kit_times)[len(kit_times) // 2] / sorted(direct_times)[len(direct_times) // 2] - 1
    print("1. Sentence embedding throughput (all-MiniLM-L6-v2, cache off)")
    print(f"   SentenceTransformer.encode directly : {len(texts) / best_direct:7.1f} texts/s ({best_direct:.2f} s)")
    print(f"   embedkit SentenceEmbedder.transform : {len(texts) / best_kit:7.1f} texts/s ({best_kit:.2f} s)")
    print(f"   embedkit overhead, best vs best: {overhead:+.1%}, median vs median: {median_overhead:+.1%} "
          "(goal: under +5%)\n   "
          f"[all runs, direct: {', '.join(f'{t:.2f}' for t in direct_times)}; "
          f"embedkit: {', '.join(f'{t:.2f}' for t in kit_times)}]\n")

    # --- 2. cached re-run ----------------------------------------------------------------------
    cached = ek.SentenceEmbedder(batch_size=args.batch_size, cache=True, progress=False)
    first = best_time(lambda: cached.transform(texts), 1)
    again = best_time(lambda: cached.transform(texts), args.repeats)
    print("2. Cached re-run (same texts, same model)")
    print(f"   first run (embed + write cache) : {first:.2f} s")
    print(f"   re-run (read + verify checksum) : {again * 1000:.1f} ms  -> {first / again:,.0f}x faster\n")

    # --- 3. the baselines, for scale -------------------------------------------------------------
    print("3. Baselines on the same texts")
    average = ek.AverageWordEmbedder("glove-6b-50d", verbose=False, progress=False)
    average.transform(texts[:4])  # load GloVe outside the timing
    kv = average.model_
    tokens = ek.tokenize(texts)
    t_direct = best_time(lambda: [kv.get_mean_vector([w for w in t if w in kv.key_to_index]) for t in tokens],
                         args.repeats)
    t_kit = best_time(lambda: average.transform(texts), args.repeats)
    print(f"   averaged GloVe, gensim get_mean_vector directly (tokens given) : {len(texts) / t_direct:9.0f} texts/s")
    print(f"   averaged GloVe, embedkit (tokenise + check + OOV count + mean)  : {len(texts) / t_kit:9.0f} texts/s")
    tfidf = ek.TfidfSvdEmbedder(n_components=100)
    t_fit = best_time(lambda: tfidf.fit(texts), args.repeats)
    t_tf = best_time(lambda: tfidf.transform(texts), args.repeats)
    print(f"   TF-IDF + SVD: fit {t_fit * 1000:.0f} ms, transform {len(texts) / t_tf:9.0f} texts/s")


if __name__ == "__main__":
    main()
