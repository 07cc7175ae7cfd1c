"""Getting the corpus out: streamed exports and the Datasette browser view."""
