"""newsalign's errors. `NewsalignError` is the base of every error a user is shown as one line
with a non-zero exit; it lives here because glossary is the bottom layer that imports nothing of
ours, so translate and corpus can derive from it."""


class NewsalignError(Exception):
    """A problem a user can act on: bad input, a missing model, a locked database…"""


class GlossaryError(NewsalignError):
    """A glossary problem: a bad file, a conflict, an unknown entity."""
