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
from newsalign.glossary.io import CREDIT

SQL_TIME_LIMIT_MS = 5000
TRUNCATE = 300  # characters of a long text cell shown in tables (the cleaned text is 1000s)

CLAIMS = """
SELECT k.id AS claim, k.story_id AS story, k.sources AS outlets,
       coalesce(d.published, '') AS date, d.source AS outlet, s.lang, s.text AS sentence,
       CASE WHEN c.english_from = 'translation' THEN c.english END AS english,
       CASE WHEN m.is_repeat THEN 'repeats ' || m.repeat_of ELSE '' END AS repeat,
       s.id AS sentence_id,
       round((SELECT coalesce(sum(l.score), 0) FROM alignments l
              WHERE l.cluster_id = k.id AND s.id IN (l.a_segment_id, l.b_segment_id))
             / max(1, (SELECT count(*) FROM cluster_members o JOIN segments so ON so.id = o.segment_id
                       WHERE o.cluster_id = k.id AND so.doc_id != s.doc_id)), 2) AS probability,
       'newsalign review --story ' || k.story_id AS review
FROM clusters k
JOIN cluster_members m ON m.cluster_id = k.id
JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
JOIN claims c ON c.segment_id = s.id
WHERE k.sources >= 2 AND (:story = '' OR k.story_id = :story) AND (:claim = '' OR k.id = :claim)
ORDER BY k.sources DESC, k.id, coalesce(d.published, '9999'), d.source, s.id
"""
TIMELINE = """
SELECT coalesce(d.published, 'no date') AS date, d.source AS outlet, d.lang, d.title, d.url,
       (SELECT count(DISTINCT k.id) FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
        JOIN segments s ON s.id = m.segment_id WHERE s.doc_id = d.id AND k.sources >= 2)
        AS shared_claims,
       d.id AS document
FROM documents d JOIN story_documents sd ON sd.doc_id = d.id
WHERE sd.story_id = :story
ORDER BY coalesce(d.published, '9999'), d.source, d.id
"""
SEARCH = """
WITH places AS (
    SELECT DISTINCT n.entity_id FROM spellings sp JOIN names n ON n.id = sp.name_id
    WHERE sp.form = newsalign_form(:q)
), hits AS (
    SELECT rowid AS id, 'the words' AS found FROM segments_fts
    WHERE segments_fts MATCH newsalign_fts(:q)
    UNION
    SELECT m.segment_id, m.entity_label || ' as ' || m.name FROM original_mentions m
    WHERE m.entity_id IN (SELECT entity_id FROM places)
)
SELECT s.id AS sentence, coalesce(s.published, '') AS date, s.source AS outlet, s.lang,
       s.text, group_concat(DISTINCT h.found) AS found
FROM hits h JOIN text_segments s ON s.id = h.id
GROUP BY s.id
ORDER BY s.id
LIMIT 1000
"""
NAMING_STANCE = """
SELECT m.entity_label AS place, m.source AS outlet, m.name AS name_used, m.usage,
       count(*) AS mentions, group_concat(DISTINCT m.surface) AS written_as
FROM original_mentions m
GROUP BY m.entity_id, m.source, m.name_id
ORDER BY m.entity_label, m.source, mentions DESC
"""
UNTRANSLATED = """
SELECT s.id AS sentence, s.source AS outlet, s.lang, s.kind, s.text
FROM text_segments s
WHERE s.lang IS NOT NULL AND s.lang != 'en'
  AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.segment_id = s.id AND t.target_lang = 'en')
ORDER BY s.id
"""
REVIEW = """
SELECT round(l.score, 2) AS probability, da.source AS outlet_a, sa.text AS sentence_a,
       db.source AS outlet_b, sb.text AS sentence_b,
       'newsalign claims accept ' || l.a_segment_id || ' ' || l.b_segment_id AS to_accept
FROM alignments l
JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
JOIN documents da ON da.id = sa.doc_id JOIN documents db ON db.id = sb.doc_id
WHERE l.accepted = 0
ORDER BY l.score DESC
"""
CORRECTIONS = """
SELECT d.id AS decision, d.action, d.note, d.created_at,
       CASE p.link WHEN 'must' THEN 'same claim' ELSE 'not the same claim' END AS decided,
       coalesce((SELECT doc.source || ': ' || s.text FROM segments s
                 JOIN documents doc ON doc.id = s.doc_id
                 WHERE doc.doc_key = p.a_doc_key AND doc.is_current = 1
                   AND newsalign_hash(s.text) = p.a_hash LIMIT 1), '(no longer in the corpus)')
           AS sentence_a,
       coalesce((SELECT doc.source || ': ' || s.text FROM segments s
                 JOIN documents doc ON doc.id = s.doc_id
                 WHERE doc.doc_key = p.b_doc_key AND doc.is_current = 1
                   AND newsalign_hash(s.text) = p.b_hash LIMIT 1), '(no longer in the corpus)')
           AS sentence_b
FROM decisions d JOIN decision_pairs p ON p.decision_id = d.id
ORDER BY d.id
"""
DOCUMENTS = """
SELECT id AS document, coalesce(published, '') AS date, source AS outlet, lang, title, url,
       outlet_from AS outlet_from, clean_chars AS characters
FROM current_documents
ORDER BY coalesce(published, '9999'), source, id
"""


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
