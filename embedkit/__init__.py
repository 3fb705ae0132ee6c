"""embedkit: a hands-on kit for learning and exploring embeddings.

The public API, by idea (one module each):

- example data (``examples``): :func:`list_examples`, :func:`load_example`, :func:`example_info`
- models (``models``): :func:`list_models`, :func:`model_info`, :func:`get_embedder`
- embedders, all scikit-learn transformers: text (:class:`SentenceEmbedder`,
  :class:`WordVectors`, :class:`AverageWordEmbedder`, :class:`TfidfSvdEmbedder`),
  images (:class:`CNNEmbedder`, :class:`OpenClipEmbedder`, :class:`KitClipEmbedder`),
  audio (:class:`MFCCEmbedder`, :class:`LogMelEmbedder`,
  :class:`TimeNormalizedMFCCEmbedder`, :class:`SpeakerEmbedder`)
- training word vectors: :func:`train_word2vec`, :func:`train_fasttext`, :func:`train_skipgram`
- maps: :func:`project` (UMAP, PCA, t-SNE) and the :class:`Explorer` widget,
  :func:`compare`, :func:`export_html`, :func:`neighborhood_preservation`
- neighbours: :func:`nearest_neighbors`, :class:`NeighborIndex`
- similarity search (``search/``): :class:`ExactIndex`, :class:`FaissIndex`, :class:`VectorStore`
  (LanceDB), :func:`embed_parallel` and :func:`local_cluster` (Dask); fast static sentence
  vectors: :class:`StaticSentenceEmbedder` (wordllama)
- evaluation: :func:`knn_accuracy`, :func:`precision_at_k`, :func:`word_similarity`, :func:`analogy_accuracy`
- retrieval-augmented generation: :class:`Retriever`, :func:`build_prompt`, :class:`ExtractiveGenerator`
- exercises (``exercises``): :class:`ExerciseError` and the checks the notebooks' exercises use
- errors: :class:`EmbedkitError` and its subclasses

>>> import embedkit
>>> embedkit.load_example("wordnet_glosses").shape[0] > 0
True
"""

from embedkit.audio import LogMelEmbedder, MFCCEmbedder, TimeNormalizedMFCCEmbedder, load_audio
from embedkit.cache import cache_dir, clear_cache
from embedkit.clip import OpenClipEmbedder
from embedkit.cnn import CNNEmbedder
from embedkit.compare import Comparison, compare
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
from embedkit.evaluation import (
    analogy_accuracy,
    knn_accuracy,
    precision_at_k,
    word_benchmarks,
    word_similarity,
)
from embedkit.exercises import ExerciseError
from embedkit.examples import example_info, list_examples, load_example, verify_example
from embedkit.explorer import Explorer
from embedkit.export import export_html
from embedkit.faithfulness import neighborhood_preservation
from embedkit.kitclip import KitClipEmbedder
from embedkit.models import ModelSpec, get_embedder, list_models, model_info, register_model
from embedkit.neighbors import NeighborIndex, nearest_neighbors
from embedkit.projection import project
from embedkit.rag import (
    ExtractiveGenerator,
    HubGenerator,
    Retriever,
    build_prompt,
    chunk_documents,
    chunk_text,
    recall_at_k,
)
from embedkit.search import ExactIndex, FaissIndex, VectorStore, embed_parallel, local_cluster
from embedkit.sentence import SentenceEmbedder
from embedkit.speaker import SpeakerEmbedder
from embedkit.static_sentence import StaticSentenceEmbedder
from embedkit.skipgram import train_skipgram
from embedkit.tfidf import TfidfSvdEmbedder
from embedkit.word_training import tokenize, train_fasttext, train_word2vec
from embedkit.words import AverageWordEmbedder, WordVectors, load_glove

__version__ = "0.1.0"

__all__ = [
    "AverageWordEmbedder",
    "CNNEmbedder",
    "Comparison",
    "DataIntegrityError",
    "Embedder",
    "EmbedkitError",
    "ExactIndex",
    "ExerciseError",
    "Explorer",
    "ExtractiveGenerator",
    "FaissIndex",
    "HubGenerator",
    "InputError",
    "KitClipEmbedder",
    "LogMelEmbedder",
    "MFCCEmbedder",
    "MissingExtraError",
    "ModelSpec",
    "ModelUnavailableError",
    "NeighborIndex",
    "OpenClipEmbedder",
    "Retriever",
    "SentenceEmbedder",
    "SpeakerEmbedder",
    "StaticSentenceEmbedder",
    "TfidfSvdEmbedder",
    "TimeNormalizedMFCCEmbedder",
    "UnknownNameError",
    "VectorStore",
    "WordVectors",
    "analogy_accuracy",
    "build_prompt",
    "cache_dir",
    "chunk_documents",
    "chunk_text",
    "clear_cache",
    "compare",
    "embed_parallel",
    "environment_report",
    "example_info",
    "export_html",
    "get_embedder",
    "knn_accuracy",
    "list_examples",
    "list_models",
    "load_audio",
    "load_example",
    "load_glove",
    "local_cluster",
    "model_info",
    "nearest_neighbors",
    "neighborhood_preservation",
    "precision_at_k",
    "project",
    "recall_at_k",
    "register_model",
    "tokenize",
    "train_fasttext",
    "train_skipgram",
    "train_word2vec",
    "verify_example",
    "word_benchmarks",
    "word_similarity",
]
