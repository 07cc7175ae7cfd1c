"""Ingest: bytes to text (decode), boilerplate out (clean), sentences (segment), dates, and the
run that stores one document at a time."""
