"""How fast are the image embedders, and how long does the kit's CLIP take to train?

Prints, measured side by side in one run (cache off):

- images per second through ``CNNEmbedder.transform`` (file paths: decode,
  check, convert, resize, embed) against calling EfficientNet-Lite0 directly on
  a tensor that is already preprocessed (the floor: the network alone; "time
  ratio" = embedkit time / direct time), at
  224 px and 128 px, with torch on 1 thread (embedkit's default) and on all cores;
- the kit's CLIP-style model: training time of the projection heads on the
  frozen emoji features (CNN tower) and of the tiny ViT, from a cold weight cache.

    .venv/bin/python benchmarks/bench_images.py              # ~2-3 minutes
    .venv/bin/python benchmarks/bench_images.py --images 32 --skip-training

Figures vary with the machine's load; compare the ratios printed side by side.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np


def best_rate(run, count: int, repeats: int) -> float:
    """Items per second of the fastest of ``repeats`` runs (the least disturbed by load)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def throughput(paths: list[str], repeats: int) -> None:
    import torch

    from embedkit import CNNEmbedder
    from embedkit.cnn import preprocess
    from embedkit.threads import limited_threads
    from embedkit.images import load_image

    cores = os.cpu_count() or 1
    model = CNNEmbedder(cache=False).model_
    print(f"\n{len(paths)} images, best of {repeats} runs, images/s (higher is better)")
    print(f"{'size':>5} {'threads':>8} {'embedkit':>10} {'model only':>11} {'time ratio':>11}")
    for size in (224, 128):
        pixels = torch.from_numpy(np.stack([preprocess(load_image(p), size) for p in paths]))
        for threads in (1, cores):
            embedder = CNNEmbedder(cache=False, image_size=size, threads=threads, batch_size=32)

            def direct() -> None:
                with torch.inference_mode(), limited_threads(threads):
                    for start in range(0, len(pixels), 32):
                        model.extract_features(pixels[start:start + 32]).mean(dim=(2, 3))

            ours = best_rate(lambda: embedder.transform(paths), len(paths), repeats)
            floor = best_rate(direct, len(paths), repeats)
            print(f"{size:>5} {threads:>8} {ours:>10.1f} {floor:>11.1f} {floor / ours:>10.2f}x")


def training_times() -> None:
    os.environ["EMBEDKIT_CACHE"] = tempfile.mkdtemp(prefix="bench-kitclip-")  # cold weight cache
    from embedkit import KitClipEmbedder

    print("\nKit CLIP on the bundled emoji (cold cache: frozen features, then training)")
    for tower in ("cnn", "vit"):
        start = time.perf_counter()
        report = KitClipEmbedder(image_tower=tower, progress=False).training_report_
        total = time.perf_counter() - start
        print(f"  {tower}: training {report['train_seconds']:.1f} s ({report['epochs']} epochs), "
              f"total with frozen features {total:.1f} s; held-out zero-shot "
              f"{report['held_out_zero_shot_accuracy']:.2f} vs chance {report['held_out_chance']:.2f}")
    from embedkit.embedder import _SHARED_MODELS

    _SHARED_MODELS.clear()  # forget the trained model in memory; the disk cache stays
    start = time.perf_counter()
    KitClipEmbedder(progress=False).training_report_
    print(f"  cnn again, weights from the disk cache: {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=64, help="bundled clip-art images to embed")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embedkit import load_example

    paths = load_example("clipart")["path"].tolist()[: args.images]
    throughput([str(Path(p)) for p in paths], args.repeats)
    if not args.skip_training:
        training_times()


if __name__ == "__main__":
    main()
