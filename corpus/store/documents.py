"""Read-side queries on the corpus: stats, one document, full-text search, arbitrary SQL."""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.mentions import matcher
from newsalign.glossary.textnorm import WORD, fold


@dataclass(frozen=True)
class SearchHit:
    """A segment matching a search, with its document's title and source."""

    doc_id: int
    segment_id: int
    source: str
    title: str | None
    lang: str | None
    kind: str
    snippet: str
    text: str
    match: str = "text"  # "text": the words themselves; "entity": another name of the same place
    entity: str | None = None  # for entity matches: the entity's label
    names_used: str | None = None  # for entity matches: the name(s) this segment uses


def stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts over current documents: by language and source, segments by kind, boilerplate."""

    def rows(sql: str) -> list[dict[str, Any]]:
        return list(db.query(sql))

    current = "SELECT id FROM documents WHERE is_current = 1"
    return {
        "documents": db.execute("SELECT count(*) FROM documents WHERE is_current = 1").fetchone()[
            0
        ],
        "older_versions": db.execute(
            "SELECT count(*) FROM documents WHERE is_current = 0"
        ).fetchone()[0],
        "by_language": rows(
            "SELECT coalesce(lang, 'unknown') AS lang, count(*) AS documents FROM documents "
            "WHERE is_current = 1 GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        "by_source": rows(
            "SELECT source, count(*) AS documents FROM documents "
            "WHERE is_current = 1 GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        "segments": rows(
            f"SELECT kind, count(*) AS segments, sum(length(text)) AS chars FROM segments "
            f"WHERE doc_id IN ({current}) GROUP BY 1 ORDER BY 1"
        ),
        "segment_languages": rows(
            f"SELECT coalesce(lang, 'unknown') AS lang, count(*) AS segments FROM segments "
            f"WHERE kind != 'boilerplate' AND doc_id IN ({current}) GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        "boilerplate_removed": rows(
            f"SELECT reason, count(*) AS lines, sum(length(text)) AS chars FROM segments "
            f"WHERE kind = 'boilerplate' AND doc_id IN ({current}) GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        "characters": dict(
            zip(
                ("raw", "clean"),
                db.execute(
                    "SELECT coalesce(sum(raw_chars), 0), coalesce(sum(clean_chars), 0) "
                    "FROM documents WHERE is_current = 1"
                ).fetchone(),
                strict=True,
            )
        ),
    }


def find_document(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    """A document by id, or by path (exact, or a unique suffix such as its file name)."""
    if ref.isdigit():
        found = list(db.query("SELECT * FROM documents WHERE id = ?", [int(ref)]))
    else:
        found = list(
            db.query(
                "SELECT * FROM documents WHERE is_current = 1 AND (path = ? OR path LIKE ?)",
                [ref, f"%{ref}"],
            )
        )
    if not found:
        raise CorpusError(f"no document matches {ref!r}")
    if len(found) > 1:
        ids = ", ".join(str(d["id"]) for d in found)
        raise CorpusError(f"{ref!r} matches several documents ({ids}); give an id")
    return found[0]


def show(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    """A document with its cleaned text, paragraphs and segments (boilerplate included)."""
    doc = find_document(db, ref)
    doc["paragraphs"] = list(
        db.query(
            'SELECT idx, start, "end", lang, lang_prob, lang_method FROM paragraphs '
            "WHERE doc_id = ? ORDER BY idx",
            [doc["id"]],
        )  # fmt: skip
    )
    doc["segments"] = list(
        db.query(
            'SELECT id, idx, kind, reason, paragraph_id, sentence, start, "end", line, lang, '
            "lang_prob, lang_method, text FROM segments WHERE doc_id = ? ORDER BY idx",
            [doc["id"]],
        )
    )
    return doc


def fts_query(query: str) -> str:
    """Fold each word and quote it, so that punctuation ("Khankendi/Stepanakert",
    "Nagorno-Karabakh") is searched as text rather than read as FTS5 syntax."""
    words = query.split()
    if not words:
        raise CorpusError("empty search query")
    return " ".join('"' + fold(w).replace('"', '""') + '"' for w in words)


def highlight(text: str, query: str, *, width: int = 12) -> str:
    """A snippet of the original `text` around the first word matching `query`, with
    [brackets] round every matching word (matched after folding, as the index does)."""
    terms = {fold(w) for w in WORD.findall(query)}
    prefixes = {t.rstrip("*") for t in query.split() if t.endswith("*")}
    words = list(WORD.finditer(text))

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in terms or any(folded.startswith(fold(p)) for p in prefixes if p)

    hits = [i for i, w in enumerate(words) if matches(w.group())]
    if not words:
        return text
    first = hits[0] if hits else 0
    lo, hi = max(first - width // 2, 0), min(first + width // 2 + 1, len(words))
    start, end = words[lo].start(), words[hi - 1].end()
    pieces, cursor = [], start
    for i in range(lo, hi):
        w = words[i]
        if i in hits:
            pieces.append(text[cursor : w.start()] + "[" + w.group() + "]")
            cursor = w.end()
    pieces.append(text[cursor:end])
    return ("…" if lo > 0 else "") + "".join(pieces) + ("…" if hi < len(words) else "")


def _filter(where: list[str], params: list[Any], lang: str | None, source: str | None) -> None:
    """Add the --lang and --source conditions (segments as s, documents as d)."""
    if lang:
        where.append("s.lang = ?")
        params.append(lang)
    if source:
        where.append("d.source = ?")
        params.append(source)


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    lang: str | None = None,
    source: str | None = None,
    limit: int = 20,
    raw: bool = False,
    literal: bool = False,
    include_boilerplate: bool = False,
) -> list[SearchHit]:
    """Full-text search over segments of current documents, best matches first.

    Unless `literal` (or `raw`), a query that is a glossary spelling also finds segments that
    name the same entity under any other name, marked as entity matches.
    """
    where = ["segments_fts MATCH ?", "d.is_current = 1"]
    params: list[Any] = [query if raw else fts_query(query)]
    if not include_boilerplate:
        where.append("s.kind != 'boilerplate'")
    _filter(where, params, lang, source)
    sql = f"""
        SELECT d.id, s.id, d.source, d.title, s.lang, s.kind,
               s.text, s.text
        FROM segments_fts
        JOIN segments s ON s.rowid = segments_fts.rowid
        JOIN documents d ON d.id = s.doc_id
        WHERE {" AND ".join(where)}
        ORDER BY bm25(segments_fts), s.id
        LIMIT ?
    """
    try:
        rows = db.execute(sql, [*params, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            raise CorpusError(f"invalid search query {query!r}: {exc}") from None
        raise
    hits = []
    for row in rows:
        hit = SearchHit(*row)
        hits.append(dataclasses.replace(hit, snippet=highlight(hit.text, query)))
    if literal or raw or len(hits) >= limit:
        return hits
    return hits + _entity_hits(db, query, {h.segment_id for h in hits}, lang, source,
                               limit - len(hits))  # fmt: skip


def _entity_hits(db, query, seen, lang, source, limit) -> list[SearchHit]:
    entity_ids = sorted({t.entity_id for t in matcher(db).lookup(query)})
    if not entity_ids:
        return []
    where = [f"m.entity_id IN ({', '.join('?' * len(entity_ids))})", "d.is_current = 1",
             "s.kind != 'boilerplate'", "m.translation_id IS NULL"]  # fmt: skip
    params: list[Any] = list(entity_ids)
    _filter(where, params, lang, source)
    rows = db.execute(
        f"""
        SELECT d.id, s.id, d.source, d.title, s.lang, s.kind, s.text,
               group_concat(DISTINCT m.surface), group_concat(DISTINCT n.name), e.label
        FROM mentions m
        JOIN segments s ON s.id = m.segment_id
        JOIN documents d ON d.id = s.doc_id
        JOIN names n ON n.id = m.name_id
        JOIN entities e ON e.id = m.entity_id
        WHERE {" AND ".join(where)}
        GROUP BY s.id ORDER BY s.id
        """,
        params,
    ).fetchall()
    hits = []
    for doc_id, seg_id, src, title, seg_lang, kind, text, surfaces, names, label in rows:
        if seg_id in seen:
            continue
        snippet = highlight(text, " ".join(surfaces.split(",")))
        hits.append(SearchHit(doc_id, seg_id, src, title, seg_lang, kind, snippet, text,
                              "entity", label, names.replace(",", ", ")))  # fmt: skip
        if len(hits) >= limit:
            break
    return hits


def run_sql(db: sqlite_utils.Database, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run SQL on a (read-only) connection; return column names and rows."""
    try:
        cursor = db.execute(sql)
        columns = [c[0] for c in cursor.description or []]
        return columns, cursor.fetchall()
    except sqlite3.Error as exc:
        raise CorpusError(f"SQL error: {exc}") from None
