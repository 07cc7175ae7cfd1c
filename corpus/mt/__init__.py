"""Machine translation of the corpus: which segments need English, through which translator,
with the outlet's place names kept and every translation's provenance stored."""
