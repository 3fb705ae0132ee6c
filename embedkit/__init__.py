"""embedkit: a hands-on kit for learning and exploring embeddings.

The public API, by idea (one module each):

- example data: :func:`list_examples`, :func:`load_example`, :func:`example_info`
- models: :func:`list_models`, :func:`model_info`, :func:`get_embedder`
- embedders (scikit-learn transformers): :class:`SentenceEmbedder`, ...
- maps: :func:`project` (UMAP, PCA, t-SNE)
- neighbours: :func:`nearest_neighbors`, :class:`NeighborIndex`
- errors: :class:`EmbedkitError` and its subclasses

>>> import embedkit
>>> embedkit.load_example("wordnet_glosses").shape[0] > 0
True
"""

from embedkit.audio import (
    LogMelEmbedder,
    MFCCEmbedder,
    SpeakerEmbedder,
    TimeNormalizedMFCCEmbedder,
    load_audio,
)
from embedkit.cache import cache_dir, clear_cache
from embedkit.embedder import Embedder
from embedkit.environment import environment_report
from embedkit.errors import (
    DataIntegrityError,
    EmbedkitError,
    InputError,
    MissingExtraError,
    ModelUnavailableError,
    UnknownNameError,
)
from embedkit.examples import example_info, list_examples, load_example, verify_example
from embedkit.models import ModelSpec, get_embedder, list_models, model_info, register_model
from embedkit.neighbors import NeighborIndex, nearest_neighbors
from embedkit.projection import project
from embedkit.sentence import SentenceEmbedder

__version__ = "0.1.0"

__all__ = [
    "DataIntegrityError",
    "Embedder",
    "EmbedkitError",
    "InputError",
    "LogMelEmbedder",
    "MFCCEmbedder",
    "MissingExtraError",
    "ModelSpec",
    "ModelUnavailableError",
    "NeighborIndex",
    "SentenceEmbedder",
    "SpeakerEmbedder",
    "TimeNormalizedMFCCEmbedder",
    "UnknownNameError",
    "cache_dir",
    "clear_cache",
    "environment_report",
    "example_info",
    "get_embedder",
    "list_examples",
    "list_models",
    "load_audio",
    "load_example",
    "model_info",
    "nearest_neighbors",
    "project",
    "register_model",
    "verify_example",
]
