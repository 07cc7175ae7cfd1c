"""Errors raised by the translate package."""


class TranslateError(Exception):
    """A translation, model or language-detection problem a user can act on."""
