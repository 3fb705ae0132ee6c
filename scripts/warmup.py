"""Pay the one-time compilation costs at setup, not in a learner's first cell.

umap-learn and librosa compile numba functions the first time they run and
keep many of them in numba's on-disk cache; running each once here fills that
cache (umap's layout optimiser is not cached and still compiles per kernel).
It also converts the offline language model once into the model store.
Used by scripts/setup and by Binder's postBuild.
"""

import time

import numpy as np


def main() -> None:
    start = time.perf_counter()
    rng = np.random.default_rng(0)
    import umap

    umap.UMAP(n_neighbors=5, random_state=0).fit_transform(rng.normal(size=(60, 8)))
    import librosa

    tone = np.sin(2 * np.pi * 440 * np.arange(8000) / 8000).astype(np.float32)
    librosa.feature.mfcc(y=librosa.resample(tone, orig_sr=8000, target_sr=16000), sr=16000)
    # The offline generator's GGUF is converted to torch weights once, into the model
    # store ($EMBEDKIT_MODELS, default ~/.cache/embedkit-models), so lessons load it in seconds.
    from embedkit.generation.store import convert_gguf

    try:
        convert_gguf()
    except ImportError as error:  # the generate extra is optional
        print(f"generator not converted: {error}")
    print(f"warm-up done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
