"""How fast are the audio embedders, and what does the first call cost?

Prints, for each registered audio embedder:

- throughput in clips per second on generated WAV files (decoding,
  resampling and embedding; cache off), next to the baseline every embedder
  pays, decoding and resampling alone (``load_audio``), measured in the same run;
- the first call in a FRESH Python process (import, model load, numba's
  compiled-code cache load) against later calls in that same process;
- ``threads=1`` (the default) against the libraries' own thread settings.

``--cold-jit`` also runs the first call with an empty numba cache, which is
what a learner pays once on a machine where ``scripts/warmup.py`` never ran.

    .venv/bin/python benchmarks/bench_audio.py               # ~1-2 minutes
    .venv/bin/python benchmarks/bench_audio.py --clips 10 --cold-jit

Figures vary with the machine's load; compare the ratios printed side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

EMBEDDERS = ["mfcc-stats", "logmel-stats", "mfcc-time-normalized", "resemblyzer"]

# Runs in a fresh interpreter: time the import, the first transform, then later ones.
FIRST_CALL = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
start = time.perf_counter()
import embedkit
imported = time.perf_counter()
embedder = embedkit.get_embedder(sys.argv[1], cache=False)
embedder.transform([sys.argv[2]])
first = time.perf_counter()
later = []
for _ in range(3):
    tick = time.perf_counter()
    embedkit.get_embedder(sys.argv[1], cache=False).transform([sys.argv[2]])
    later.append(time.perf_counter() - tick)
print(json.dumps({"import": imported - start, "first": first - imported, "later": min(later)}))
"""


def make_clips(folder: Path, n: int, seconds: float) -> list[str]:
    """Write ``n`` speech-like WAV files: harmonic buzz with a moving pitch, noise bursts."""
    import soundfile as sf

    rng = np.random.default_rng(0)
    paths = []
    for i in range(n):
        rate = (8000, 16000, 48000)[i % 3]  # every embedder resamples some clips
        t = np.arange(int(seconds * rate)) / rate
        pitch = 110 + 60 * rng.random() + 20 * np.sin(2 * np.pi * 3 * t)
        phase = 2 * np.pi * np.cumsum(pitch) / rate
        voice = sum(np.sin(k * phase) / k for k in range(1, 12))
        envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t + rng.random() * 6)
        clip = 0.1 * voice * envelope + 0.01 * rng.normal(size=len(t))
        path = folder / f"clip_{i:03d}.wav"
        sf.write(path, clip.astype(np.float32), rate)
        paths.append(str(path))
    return paths


def first_call(name: str, clip: str, numba_cache: str | None = None) -> dict[str, float]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    if numba_cache is not None:
        env["NUMBA_CACHE_DIR"] = numba_cache
    done = subprocess.run([sys.executable, "-c", FIRST_CALL, name, clip], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def clips_per_second(run, n: int, repeats: int = 2) -> float:
    best = min(_timed(run) for _ in range(repeats))
    return n / best


def _timed(run) -> float:
    tick = time.perf_counter()
    run()
    return time.perf_counter() - tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=24, help="clips per throughput run")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each clip")
    parser.add_argument("--cold-jit", action="store_true", help="also time a first call with an empty numba cache")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import embedkit

    with tempfile.TemporaryDirectory() as folder:
        paths = make_clips(Path(folder), args.clips, args.seconds)
        print(f"{args.clips} generated clips of {args.seconds:g} s (8, 16 and 48 kHz WAV), cache off, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n")

        embedkit.load_audio(paths[0])
        baseline = clips_per_second(lambda: [embedkit.load_audio(p) for p in paths], len(paths))
        print(f"{'embedder':22s} {'clips/s':>8s} {'x slower than decode+resample':>30s}")
        print(f"{'(baseline) load_audio':22s} {baseline:8.1f} {1.0:30.1f}")
        for name in EMBEDDERS:
            embedder = embedkit.get_embedder(name, cache=False)
            embedder.transform(paths[:1])  # load the model, outside the timing
            speed = clips_per_second(lambda: embedder.transform(paths), len(paths))
            print(f"{name:22s} {speed:8.1f} {baseline / speed:30.1f}")

        print("\nthreads=1 (default) against the libraries' own thread settings (threads=None)")
        for name in ("mfcc-stats", "resemblyzer"):
            one, default = (
                clips_per_second(lambda: embedkit.get_embedder(name, cache=False, threads=threads).transform(paths),
                                 len(paths))
                for threads in (1, None))
            print(f"{name:22s} 1 thread: {one:6.1f} clips/s, default: {default:6.1f} clips/s, "
                  f"ratio {one / default:.1f}x")

        print("\nfirst call in a fresh process (1 clip) vs later calls there, seconds")
        print(f"{'embedder':22s} {'import':>7s} {'first':>7s} {'later':>7s} {'first/later':>12s}")
        for name in EMBEDDERS:
            t = first_call(name, paths[0])
            print(f"{name:22s} {t['import']:7.2f} {t['first']:7.2f} {t['later']:7.3f} {t['first'] / t['later']:12.0f}")
        if args.cold_jit:
            with tempfile.TemporaryDirectory() as empty:
                t = first_call("mfcc-stats", paths[0], numba_cache=empty)
            print(f"{'mfcc-stats, cold numba':22s} {t['import']:7.2f} {t['first']:7.2f} {t['later']:7.3f} "
                  f"{t['first'] / t['later']:12.0f}")


if __name__ == "__main__":
    main()
