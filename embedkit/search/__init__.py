"""Similarity search, from one matrix product to a vector database and a cluster.

Every index and store here answers ``search(queries, k) -> (scores, ids)``
(cosine scores, highest first; ids = row positions of the indexed items) and
has ``len()`` and ``.dim``: the RAG retriever and the Explorer's query box take
any of them.

- :class:`ExactIndex`: exact, normalised once at build; the default and baseline.
- :class:`FaissIndex`: faiss Flat / IVF / HNSW / SQ8 / IVF-PQ, with the recall knob.
- :class:`VectorStore`: a LanceDB table on disk with metadata filters.
- :func:`embed_parallel`, :func:`local_cluster`: embedding on a Dask cluster,
  written partition by partition to a :class:`VectorStore`.
- :func:`neighbor_recall`, :func:`query_latency`, :func:`compare_timings`: measuring.
- :func:`configure_malloc`: make glibc return freed memory (LanceDB threads, large temporaries).

faiss, LanceDB and Dask are the ``search`` extra (``pip install -e '.[search]'``);
each is imported only when its class is used.

>>> import numpy as np
>>> from embedkit.search import ExactIndex
>>> ExactIndex(np.eye(2)).search(np.eye(2), k=1)[1].tolist()
[[0], [1]]
"""

from embedkit.search.base import SearchIndex
from embedkit.search.exact import ExactIndex
from embedkit.search.faiss_index import FAISS_KINDS, FaissIndex
from embedkit.search.measure import compare_timings, query_latency, neighbor_recall
from embedkit.memory import configure_malloc  # notebook 09 sets it up with the search tools
from embedkit.search.parallel import embed_parallel, local_cluster, partition_bounds
from embedkit.search.vector_store import VectorStore, VectorStoreError

__all__ = [
    "SearchIndex", "ExactIndex", "FaissIndex", "FAISS_KINDS", "VectorStore", "VectorStoreError",
    "embed_parallel", "local_cluster", "partition_bounds",
    "neighbor_recall", "query_latency", "compare_timings", "configure_malloc",
]
