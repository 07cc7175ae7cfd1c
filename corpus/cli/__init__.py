"""The `newsalign` command line: thin commands over the library (see `app.py`)."""
