"""Errors raised by the glossary package."""


class GlossaryError(Exception):
    """A glossary problem a user can act on (bad file, conflict, unknown entity)."""
