"""Errors raised by the translate package."""

from newsalign.glossary.errors import NewsalignError


class TranslateError(NewsalignError):
    """A translation, model or language-detection problem."""
