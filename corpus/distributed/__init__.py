"""Running the neural stages (translation, embedding) on a Dask cluster; the corpus stays here."""
