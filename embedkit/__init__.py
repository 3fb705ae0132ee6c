"""embedkit: a hands-on kit for learning and exploring embeddings.

The public API, by idea (one module each):

- example data (``examples``): :func:`list_examples`, :func:`load_example`, :func:`example_info`
- models (``models``): :func:`list_models`, :func:`model_info`, :func:`get_embedder`
- embedders, all scikit-learn transformers: text (:class:`SentenceEmbedder`,
  :class:`WordVectors`, :class:`AverageWordEmbedder`, :class:`TfidfSvdEmbedder`),
  images (:class:`CNNEmbedder`, :class:`OpenClipEmbedder`, :class:`KitClipEmbedder`),
  audio (:class:`MFCCEmbedder`, :class:`LogMelEmbedder`,
  :class:`TimeNormalizedMFCCEmbedder`, :class:`SpeakerEmbedder`); :func:`release_models` frees
  the models they share in this kernel
- training word vectors: :func:`train_word2vec`, :func:`train_fasttext`, :func:`train_skipgram`
- maps (``explorer``): :func:`project` (UMAP, PCA, t-SNE) and the :class:`Explorer` widget,
  :func:`compare`, :func:`export_html`, :func:`neighborhood_preservation`
- neighbours: :func:`nearest_neighbors`, :class:`NeighborIndex`
- clustering (``clustering``): :func:`sweep_k`, :func:`score_clustering`, :func:`clustering_table`,
  cluster names :func:`name_clusters`, :func:`top_terms`, :func:`central_items`
- classification (``classification``): :func:`stratified_split`, :func:`few_label_curve`
- similarity search (``search/``): :class:`ExactIndex`, :class:`FaissIndex`, :class:`VectorStore`
  (LanceDB), :func:`embed_parallel` and :func:`local_cluster` (Dask); fast static sentence
  vectors: :class:`StaticSentenceEmbedder` (wordllama)
- evaluation: :func:`knn_accuracy`, :func:`precision_at_k`, :func:`word_similarity`, :func:`analogy_accuracy`
- retrieval-augmented generation: :class:`Retriever`, :func:`build_prompt`, :class:`ExtractiveGenerator`
- recommendation (``recommend``): :class:`ContentRecommender`, :class:`BPRRecommender`,
  :class:`Item2VecRecommender`, :class:`HybridRecommender`, baselines, :func:`leave_last_out`,
  :func:`hit_rate_at_k`, :func:`ndcg_at_k`, :func:`evaluate_recommenders`, :func:`load_interactions`
- retrieval-augmented generation (``rag``): :class:`Retriever` (any ``index=`` with
  ``search(vectors, k)``, default :class:`ExactIndex`), :func:`build_prompt`,
  :class:`LanguageModelGenerator` (a real LM, offline), :class:`ExtractiveGenerator`, :class:`HubGenerator`,
  :func:`definition_questions`, :func:`evaluate_rag`, :func:`summarize_evaluation`,
  :func:`mean_reciprocal_rank`, :func:`retrieval_ranks`, :func:`answer_is_correct`, :func:`is_grounded`, :func:`rag_trace`
- memory (``memory``): :func:`configure_malloc`, :func:`release_freed_memory` (glibc keeps
  freed memory in the process; these give it back)
- exercises (``exercises``): :class:`ExerciseError` and the checks the notebooks' exercises use
- errors: :class:`EmbedkitError` and its subclasses

>>> import embedkit
>>> embedkit.load_example("wordnet_glosses").shape[0] > 0
True
"""

from embedkit.audio import LogMelEmbedder, MFCCEmbedder, TimeNormalizedMFCCEmbedder, load_audio
from embedkit.cache import cache_dir, clear_cache
from embedkit.classification import few_label_curve, stratified_split
from embedkit.clip import OpenClipEmbedder
from embedkit.clustering import (
    central_items,
    clustering_table,
    name_clusters,
    score_clustering,
    sweep_k,
    top_terms,
)
from embedkit.cnn import CNNEmbedder
from embedkit.explorer import Comparison, Explorer, compare, export_html
from embedkit.embedder import Embedder, release_models
from embedkit.environment import environment_report
from embedkit.errors import (
    CacheUnavailableError,
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
from embedkit.faithfulness import neighborhood_preservation
from embedkit.kitclip import KitClipEmbedder
from embedkit.memory import configure_malloc, release_freed_memory
from embedkit.models import ModelSpec, get_embedder, list_models, model_info, register_model
from embedkit.neighbors import NeighborIndex, nearest_neighbors
from embedkit.projection import project
from embedkit.rag import (
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
from embedkit.recommend import (
    BPRRecommender,
    ContentRecommender,
    HybridRecommender,
    Item2VecRecommender,
    PopularityRecommender,
    RandomRecommender,
    RecommendationPanel,
    cold_start_split,
    evaluate_recommenders,
    hit_rate_at_k,
    leave_last_out,
    load_interactions,
    ndcg_at_k,
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
    "BPRRecommender",
    "CacheUnavailableError",
    "CNNEmbedder",
    "Comparison",
    "ContentRecommender",
    "DataIntegrityError",
    "Embedder",
    "EmbedkitError",
    "ExactIndex",
    "ExerciseError",
    "Explorer",
    "ExtractiveGenerator",
    "FaissIndex",
    "HubGenerator",
    "HybridRecommender",
    "InputError",
    "Item2VecRecommender",
    "KitClipEmbedder",
    "LanguageModelGenerator",
    "LogMelEmbedder",
    "MFCCEmbedder",
    "MissingExtraError",
    "ModelSpec",
    "ModelUnavailableError",
    "NeighborIndex",
    "OpenClipEmbedder",
    "PopularityRecommender",
    "RandomRecommender",
    "RecommendationPanel",
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
    "answer_is_correct",
    "build_prompt",
    "cache_dir",
    "central_items",
    "chunk_documents",
    "chunk_text",
    "clear_cache",
    "cold_start_split",
    "clustering_table",
    "compare",
    "configure_malloc",
    "embed_parallel",
    "environment_report",
    "evaluate_recommenders",
    "definition_questions",
    "evaluate_rag",
    "example_info",
    "export_html",
    "few_label_curve",
    "get_embedder",
    "hit_rate_at_k",
    "is_grounded",
    "knn_accuracy",
    "leave_last_out",
    "list_examples",
    "list_models",
    "load_audio",
    "load_example",
    "load_glove",
    "load_interactions",
    "local_cluster",
    "mean_reciprocal_rank",
    "model_info",
    "ndcg_at_k",
    "name_clusters",
    "nearest_neighbors",
    "neighborhood_preservation",
    "precision_at_k",
    "project",
    "rag_trace",
    "recall_at_k",
    "release_freed_memory",
    "register_model",
    "release_models",
    "score_clustering",
    "stratified_split",
    "sweep_k",
    "retrieval_ranks",
    "summarize_evaluation",
    "tokenize",
    "top_terms",
    "train_fasttext",
    "train_skipgram",
    "train_word2vec",
    "verify_example",
    "word_benchmarks",
    "word_similarity",
]
