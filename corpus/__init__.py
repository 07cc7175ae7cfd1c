"""Ingest, segmentation, the SQLite store, alignment, queries and the CLI."""
