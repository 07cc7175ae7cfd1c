"""`newsalign serve`: the corpus in Datasette, read-only, with canned queries for reading.

Datasette is an optional extra (`pip install -e '.[serve]'`).
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from newsalign.corpus.errors import CorpusError
from newsalign.glossary.io import CREDIT

SQL_TIME_LIMIT_MS = 5000

SHARED_CLAIMS = """
SELECT c.id AS claim, c.sources,
       ca.source AS outlet_a, sa.lang AS lang_a, sa.text AS sentence_a, cla.english AS english_a,
       cb.source AS outlet_b, sb.lang AS lang_b, sb.text AS sentence_b, clb.english AS english_b,
       round(l.score, 3) AS score
FROM alignments l
JOIN clusters c ON c.id = l.cluster_id
JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
JOIN claims cla ON cla.segment_id = sa.id JOIN claims clb ON clb.segment_id = sb.id
JOIN documents ca ON ca.id = sa.doc_id JOIN documents cb ON cb.id = sb.doc_id
WHERE l.accepted = 1 AND c.sources >= 2
ORDER BY c.sources DESC, c.id, l.score DESC
"""
NAMING_STANCE = """
SELECT e.label AS entity, d.source AS outlet, n.name AS name_used, n.usage,
       count(*) AS mentions, group_concat(DISTINCT m.surface) AS written_as
FROM mentions m
JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
JOIN names n ON n.id = m.name_id JOIN entities e ON e.id = m.entity_id
WHERE d.is_current = 1 AND s.kind != 'boilerplate' AND m.translation_id IS NULL
GROUP BY e.id, d.source, n.id
ORDER BY e.label, d.source, mentions DESC
"""
UNTRANSLATED = """
SELECT s.id AS segment, d.source AS outlet, s.lang, s.kind, s.text
FROM segments s JOIN documents d ON d.id = s.doc_id
WHERE d.is_current = 1 AND s.kind != 'boilerplate' AND s.lang IS NOT NULL AND s.lang != 'en'
  AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.segment_id = s.id AND t.target_lang = 'en')
ORDER BY s.id
"""
REVIEW = """
SELECT round(l.score, 3) AS score, l.threshold, da.source AS outlet_a, sa.text AS sentence_a,
       db.source AS outlet_b, sb.text AS sentence_b, l.contributions
FROM alignments l
JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
JOIN documents da ON da.id = sa.doc_id JOIN documents db ON db.id = sb.doc_id
WHERE l.accepted = 0
ORDER BY l.score DESC
"""


def metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata: titles, column descriptions, credits, full-text search, queries."""
    return {
        "title": "newsalign corpus",
        "description": "Articles, their sentences and translations, place-name mentions and "
                       "claims aligned across outlets and languages.",
        "license": "Place names from GeoNames: CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "GeoNames (geonames.org); seed articles: their publishers",
        "source_url": "https://www.geonames.org/",
        "databases": {
            database_name: {
                "description": CREDIT,
                "tables": {
                    "documents": {"description": "One row per ingested document version.",
                                  "columns": {"source": "Outlet", "lang": "Detected language",
                                              "sha256": "Hash of the raw bytes",
                                              "is_current": "1 for the newest version"}},
                    "segments": {"description": "Titles, body sentences and removed boilerplate.",
                                 "fts_table": "segments_fts", "fts_pk": "id",
                                 "columns": {"kind": "title, body or boilerplate",
                                             "reason": "Why a boilerplate line was removed",
                                             "search_text": "Folded copy of the text, for search",
                                             "lang_method": "detected, paragraph or document"}},
                    "translations": {"description": "English (or other) translations with provenance.",
                                     "fts_table": "translations_fts", "fts_pk": "id",
                                     "columns": {"model": "Package and version, or tm:<file>",
                                                 "terms": "Expected glossary names and whether found",
                                                 "path": "Language route, e.g. de>en"}},
                    "alignments": {"description": "Scored pairs of claims from different sources.",
                                   "columns": {"contributions": "Each feature's share of the score",
                                               "accepted": "1 if at or above the threshold"}},
                    "mentions": {"description": "Glossary names found in sentences.",
                                 "columns": {"surface": "Exactly as written"}},
                    "entities": {"description": "Places, regions, countries, organisations. " + CREDIT},
                    "names": {"description": "Names of entities, with who uses them."},
                    "spellings": {"description": "Spellings of names per language and script."},
                },
                "queries": {
                    "shared_claims": {"title": "Claims shared by two or more outlets",
                                      "description": "Each row: two outlets' sentences of one claim, "
                                                     "with their English, side by side.",
                                      "sql": SHARED_CLAIMS},
                    "naming_stance": {"title": "Which name each outlet uses",
                                      "sql": NAMING_STANCE},
                    "untranslated": {"title": "Segments not yet translated into English",
                                     "sql": UNTRANSLATED},
                    "review": {"title": "Alignments below the threshold, for review",
                               "sql": REVIEW},
                },
            }
        },
    }  # fmt: skip


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

    ds = Datasette([str(db_path)], metadata=metadata(db_path.stem),
                   settings={"sql_time_limit_ms": SQL_TIME_LIMIT_MS})  # fmt: skip
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
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on",
                access_log=False)  # fmt: skip
