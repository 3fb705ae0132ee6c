"""A small generative language model, offline: the model store and the generator's embeddings."""
