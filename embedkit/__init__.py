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
- evaluation: :func:`knn_accuracy`, :func:`precision_at_k`, :func:`word_similarity`, :func:`analogy_accuracy`
- retrieval-augmented generation (``rag``): :class:`Retriever` (any ``index=`` with
  ``search(vectors, k)``, default :class:`ExactSearch`), :func:`build_prompt`,
  :class:`LanguageModelGenerator` (a real LM, offline), :class:`ExtractiveGenerator`, :class:`HubGenerator`,
  :func:`definition_questions`, :func:`evaluate_rag`, :func:`summarize_evaluation`,
  :func:`mean_reciprocal_rank`, :func:`retrieval_ranks`, :func:`answer_is_correct`, :func:`is_grounded`, :func:`rag_trace`
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
    ExactSearch,
    ExtractiveGenerator,
    HubGenerator,
    LanguageModelGenerator,
    Retriever,
    answer_is_correct,
    build_prompt,
    chunk_documents,
    chunk_text,
    evaluate_rag,
    is_grounded,
    mean_reciprocal_rank,
    rag_trace,
    recall_at_k,
    retrieval_ranks,
    definition_questions,
    summarize_evaluation,
)
from embedkit.sentence import SentenceEmbedder
from embedkit.speaker import SpeakerEmbedder
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
    "ExactSearch",
    "ExerciseError",
    "Explorer",
    "ExtractiveGenerator",
    "HubGenerator",
    "InputError",
    "KitClipEmbedder",
    "LanguageModelGenerator",
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
    "TfidfSvdEmbedder",
    "TimeNormalizedMFCCEmbedder",
    "UnknownNameError",
    "WordVectors",
    "analogy_accuracy",
    "answer_is_correct",
    "build_prompt",
    "cache_dir",
    "chunk_documents",
    "chunk_text",
    "clear_cache",
    "compare",
    "definition_questions",
    "environment_report",
    "evaluate_rag",
    "example_info",
    "export_html",
    "get_embedder",
    "is_grounded",
    "knn_accuracy",
    "list_examples",
    "list_models",
    "load_audio",
    "load_example",
    "load_glove",
    "mean_reciprocal_rank",
    "model_info",
    "nearest_neighbors",
    "neighborhood_preservation",
    "precision_at_k",
    "project",
    "rag_trace",
    "recall_at_k",
    "register_model",
    "retrieval_ranks",
    "summarize_evaluation",
    "tokenize",
    "train_fasttext",
    "train_skipgram",
    "train_word2vec",
    "verify_example",
    "word_benchmarks",
    "word_similarity",
]
