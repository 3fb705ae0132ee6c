"""Check the environment: versions, offline models, data and cache locations.

The first cell of the first notebook calls :func:`environment_report`, so a
learner (or an instructor debugging a room of laptops) sees at once what is
installed and what can run without a network.

>>> from embedkit import environment_report
>>> report = environment_report()
>>> set(report) >= {"python", "packages", "cache_dir", "data_dir", "offline_models"}
True
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

__all__ = ["environment_report", "KEY_PACKAGES"]

KEY_PACKAGES = (
    "embedkit", "numpy", "scipy", "pandas", "scikit-learn", "torch", "torchvision",
    "sentence-transformers", "open_clip_torch", "gensim", "librosa", "umap-learn",
    "plotly", "ipywidgets", "anywidget", "jupyterlab",
)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment_report() -> dict[str, Any]:
    """Return versions of the key packages, where data and cache live, and offline models.

    >>> environment_report()["packages"]["numpy"] != "not installed"
    True
    """
    from embedkit.cache import cache_dir
    from embedkit.examples import data_dir, list_examples
    from embedkit.models import list_models

    models = list_models()
    return {
        "python": f"{platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "packages": {name: _version(name) for name in KEY_PACKAGES},
        "cache_dir": str(cache_dir()),
        "data_dir": str(data_dir()),
        "examples": list_examples(),
        "offline_models": models.loc[models["runs_offline_here"], "name"].tolist(),
        "download_models": models.loc[~models["runs_offline_here"], "name"].tolist(),
    }
