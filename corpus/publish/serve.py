"""`newsalign serve`: the corpus in Datasette, read-only: a home page of stories, canned
queries for reading (claims, timelines, entity-aware search, naming, review, corrections) with
their SQL hidden unless asked, long text cut short.

Datasette is an optional extra (`pip install -e '.[serve]'`).
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

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
                "queries": {
                    "claims": _query(
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


def app(db_path: Path):
    """The Datasette application for a corpus: read-only connections that see what other
    commands write (not --immutable, which assumes the file never changes), and the metadata
    passed in memory, so nothing is left behind on disk."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from newsalign.corpus.publish import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="newsalign")
    templates = Path(__file__).parent / "templates"
    ds = Datasette(
        [str(db_path)],
        metadata=metadata(db_path.stem),
        template_dir=str(templates),
        settings={"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "truncate_cells_html": TRUNCATE},
    )
    return ds


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the corpus in this process until interrupted (Ctrl-C or SIGTERM): one process,
    so stopping it stops everything."""
    try:
        import uvicorn
    except ImportError:
        raise CorpusError("Datasette is not installed: pip install -e '.[serve]'") from None
    if not db_path.exists():
        raise CorpusError(f"no newsalign database at {db_path}; run `newsalign init` first")
    _port_free(host, port)
    ds = app(db_path)
    asyncio.run(ds.invoke_startup())
    # Errors of a user's SQL are shown on the page; the console gets no tracebacks.
    uvicorn.run(
        ds.app(), host=host, port=port, log_level="warning", lifespan="on", access_log=False
    )
