"""Errors raised by the corpus package."""


class CorpusError(Exception):
    """A corpus problem a user can act on: bad input, missing or locked database."""


class InputError(CorpusError):
    """One input file cannot be ingested (binary, empty, undecodable, missing)."""
