"""Claim alignment: claims and their features, sentence embeddings, pair scoring, clusters."""
