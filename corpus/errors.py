"""Errors raised by the corpus package (all derive from NewsalignError)."""

from newsalign.glossary.errors import NewsalignError

__all__ = ["CorpusError", "InputError", "LockedError", "NewsalignError"]


class CorpusError(NewsalignError):
    """A corpus problem: bad input, a missing or locked database, nothing to align."""


class InputError(CorpusError):
    """One input file cannot be ingested (binary, empty, undecodable, missing)."""


class LockedError(CorpusError):
    """Another process held the database's write lock for longer than the wait allows."""
