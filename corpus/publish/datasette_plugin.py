"""What `newsalign serve` adds to Datasette: SQL functions for the entity-aware search and for
naming corrected sentences, and the stories for the home page. Registered by serve.app() for its own server only, not through an
entry point, so other Datasette instances in the environment are left as they are."""

from __future__ import annotations

from datasette import hookimpl

from newsalign.corpus.store.canned import HOME_COUNTS, HOME_STORIES
from newsalign.corpus.store.records import text_hash
from newsalign.corpus.store.search import fts_query
from newsalign.glossary.match import words


def _fts(query: str | None) -> str:
    try:
        return fts_query(query or "")
    except Exception:  # an empty query matches nothing rather than failing the page
        return '""'


@hookimpl
def prepare_connection(conn) -> None:
    # A spelling's stored form: its folded words, as the glossary matcher compares them.
    conn.create_function(
        "newsalign_form", 1, lambda text: " ".join(words(text or "")), deterministic=True
    )
    conn.create_function("newsalign_fts", 1, _fts, deterministic=True)
    # How corrections name a sentence (store/decisions.py): the hash of its text.
    conn.create_function(
        "newsalign_hash", 1, lambda text: text_hash(text or ""), deterministic=True
    )


@hookimpl
def extra_template_vars(template, datasette):
    if template != "index.html":
        return {}

    async def stories():
        # The corpus: serve opens one file; Datasette adds its own in-memory `_internal`.
        name = next(n for n, d in datasette.databases.items() if not d.is_memory)
        db = datasette.get_database(name)
        try:
            rows = await db.execute(HOME_STORIES)
            counts = await db.execute(HOME_COUNTS)
        except Exception:  # an old or empty database: the page still opens
            return {"newsalign": {"database": name, "stories": [], "counts": (0, 0, 0)}}
        return {
            "newsalign": {
                "database": name,
                "stories": [dict(r) for r in rows.rows],
                "counts": tuple(counts.first()),
            }
        }

    return stories  # Datasette awaits it when it renders the page
