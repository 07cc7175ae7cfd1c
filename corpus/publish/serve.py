"""`newsalign serve`: the corpus in Datasette, read-only: a home page of stories, canned
queries for reading (claims, timelines, entity-aware search, naming, review, corrections) with
their SQL hidden unless asked, long text cut short; with `--review`, the review pages
(review_pages.py) answer screens and so write to the corpus.

Datasette is an optional extra (`pip install -e '.[serve]'`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.canned import (
    CLAIMS,
    CORRECTIONS,
    DOCUMENTS,
    NAMING_STANCE,
    REVIEW,
    SEARCH,
    TIMELINE,
    UNTRANSLATED,
)
from newsalign.glossary.io import CREDIT
from newsalign.glossary.safetext import neutral

if TYPE_CHECKING:  # Datasette is optional: its plugin modules are imported when serving
    from newsalign.corpus.publish.review_pages import Reviewer

SQL_TIME_LIMIT_MS = 5000
TRUNCATE = 300  # characters of a long text cell shown in tables (the cleaned text is 1000s)


def _query(title: str, sql: str, description: str = "") -> dict[str, Any]:
    return {"title": title, "sql": sql, "hide_sql": True, "description": description}


def metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata: titles, column descriptions, credits, full-text search, queries."""
    return {
        "title": "newsalign corpus",
        "description": "Articles, their sentences and translations, place-name mentions and "
        "claims aligned across outlets and languages.",
        "license": "Place names from GeoNames: CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "GeoNames (geonames.org); articles: their publishers",
        "source_url": "https://www.geonames.org/",
        "databases": {
            database_name: {
                "description": CREDIT,
                "tables": {
                    "documents": {
                        "description": "One row per ingested document version.",
                        "columns": {
                            "source": "Outlet",
                            "lang": "Detected language",
                            "sha256": "Hash of the raw bytes",
                            "is_current": "1 for the newest version",
                        },
                    },
                    "segments": {
                        "description": "Titles, body sentences and removed boilerplate.",
                        "fts_table": "segments_fts",
                        "fts_pk": "id",
                        "columns": {
                            "kind": "title, body or boilerplate",
                            "reason": "Why a boilerplate line was removed",
                            "search_text": "Folded copy of the text, for search",
                            "lang_method": "detected, paragraph or document",
                        },
                    },
                    "translations": {
                        "description": "English (or other) translations with provenance.",
                        "fts_table": "translations_fts",
                        "fts_pk": "id",
                        "columns": {
                            "model": "Package and version, or tm:<file>",
                            "terms": "Expected glossary names and whether found",
                            "path": "Language route, e.g. de>en",
                        },
                    },
                    "alignments": {
                        "description": "Scored pairs of claims from different sources.",
                        "columns": {
                            "contributions": "Each feature's share of the score",
                            "accepted": "1 if at or above the threshold",
                        },
                    },
                    "mentions": {
                        "description": "Glossary names found in sentences.",
                        "columns": {"surface": "Exactly as written"},
                    },
                    "entities": {
                        "description": "Places, regions, countries, organisations. " + CREDIT
                    },
                    "names": {"description": "Names of entities, with who uses them."},
                    "spellings": {"description": "Spellings of names per language and script."},
                },
                # Named apart from every table: a canned query shadows the table of its name.
                "queries": {
                    "claim_members": _query(
                        "Claims shared by two or more outlets",
                        CLAIMS,
                        "One outlet's sentence per row, by claim, with its "
                        "probability (average to the claim's other outlets; below "
                        "the threshold: weak). Leave story and claim empty for "
                        "all; English only where translated.",
                    ),
                    "timeline": _query("A story's documents by date", TIMELINE),
                    "search": _query(
                        "Search sentences",
                        SEARCH,
                        "Words as written, and every name of a place: Stepanakert "
                        "finds Khankendi and Ханкенди too.",
                    ),
                    "naming_stance": _query("Which name each outlet uses", NAMING_STANCE),
                    "review": _query(
                        "Links for review",
                        REVIEW,
                        "Sentence pairs possibly the same claim that are not in "
                        "one claim (below the threshold, or the rest of a claim "
                        "disagrees on average), most probable first. "
                        "`newsalign review` asks the most useful first.",
                    ),
                    "corrections": _query("Corrections", CORRECTIONS),
                    "documents_list": _query("Documents", DOCUMENTS),
                    "untranslated": _query(
                        "Sentences not yet translated into English", UNTRANSLATED
                    ),
                },
            }
        },
    }


def _port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CorpusError(f"cannot serve on {host}:{port}: {exc.strerror}") from None


def app(db_path: Path, reviewer: Reviewer | None = None):
    """The Datasette application for a corpus: read-only connections that see what other
    commands write (not --immutable, which assumes the file never changes), and the metadata
    passed in memory, so nothing is left behind on disk. With a `reviewer` the review pages
    answer screens (the only writes); without one they say how to turn review on."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from newsalign.corpus.publish import datasette_plugin
    from newsalign.corpus.publish.review_pages import NAME as REVIEW_PLUGIN
    from newsalign.corpus.publish.review_pages import ReviewPages

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="newsalign")
    # The review pages belong to this app's database and mode: an earlier app's are replaced.
    if pm.get_plugin(REVIEW_PLUGIN) is not None:
        pm.unregister(name=REVIEW_PLUGIN)
    pm.register(ReviewPages(db_path, reviewer), name=REVIEW_PLUGIN)
    # Its own handler prints a traceback with local variables for every rejected query; the
    # plugin's answers the same pages with one line on the console.
    pm.set_blocked("datasette.handle_exception")
    templates = Path(__file__).parent / "templates"
    ds = Datasette(
        [str(db_path)],
        metadata=metadata(db_path.stem),
        template_dir=str(templates),
        settings={"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "truncate_cells_html": TRUNCATE},
    )
    return ds


def serve(
    db_path: Path, host: str = "127.0.0.1", port: int = 8001, reviewer: Reviewer | None = None
) -> None:
    """Serve the corpus in this process until interrupted (Ctrl-C or SIGTERM): one process,
    so stopping it stops everything. `reviewer`: see app()."""
    try:
        import uvicorn
    except ImportError:
        raise CorpusError("Datasette is not installed: pip install -e '.[serve]'") from None
    if not db_path.exists():
        raise CorpusError(f"no newsalign database at {db_path}; run `newsalign init` first")
    _port_free(host, port)
    ds = app(db_path, reviewer)
    asyncio.run(ds.invoke_startup())
    # Errors of a user's SQL are shown on the page; the console gets one line each, cleaned
    # of what the request carried (Datasette writes SQLite's message, which quotes the query).
    with contextlib.redirect_stderr(_Cleaned(sys.stderr)), warnings.catch_warnings():
        # A failed facet query leaves Datasette's other facet coroutines unawaited: Python
        # would print three lines of warning each; the failure itself has its line.
        warnings.filterwarnings("ignore", r"coroutine .* was never awaited", RuntimeWarning)
        uvicorn.run(
            ds.app(), host=host, port=port, log_level="warning", lifespan="on", access_log=False
        )


# Datasette's line: "ERROR: conn=<...>, sql = '<repr>', params = {...} or [...]: why".
_SQL_ERROR = re.compile(r", params = (?:\{[^{}]*\}|\[[^\[\]]*\]|\([^()]*\)|None): (.*)$", re.S)


class _Cleaned:
    """A text stream that passes on what it is given without terminal escapes or bidi
    overrides (a request's SQL reaches the console only this way), and Datasette's line about
    a failed query ("ERROR: conn=<...>, sql = '<the whole query>', params = {...}: why") as
    `serve: SQL error: why`."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        shown = text
        if text.startswith("ERROR: conn="):
            failed = _SQL_ERROR.search(text)
            why = failed.group(1) if failed else text[len("ERROR: ") :]
            shown = f"serve: SQL error: {' '.join(why.split())[:300]}\n"
        self.stream.write(neutral(shown))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
