"""Clustering embeddings: choose k, score against known labels, name the clusters.

>>> from embedkit.clustering import top_terms
>>> top_terms(["a cat purrs", "the cat naps", "a car honks"], [0, 0, 1], n_terms=1)
{0: ['cat'], 1: ['car']}
"""

from embedkit.clustering.naming import central_items, name_clusters, top_terms
from embedkit.clustering.scoring import clustering_table, score_clustering, sweep_k

__all__ = ["central_items", "clustering_table", "name_clusters", "score_clustering", "sweep_k", "top_terms"]
