"""newsalign.corpus: ingest, the SQLite store, translation runs, alignment, publishing, CLI."""
