"""Full-text search over the title and body segments of current documents, aware of the
glossary: a place's other names are found too, marked as such."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.mentions import matcher
from newsalign.corpus.store.records import SearchHit
from newsalign.glossary.safetext import strip_controls
from newsalign.glossary.textnorm import WORD, fold, nfc


def fts_query(query: str) -> str:
    """Fold each word and quote it, so that punctuation ("Khankendi/Stepanakert",
    "Nagorno-Karabakh") is searched as text rather than read as FTS5 syntax."""
    words = query.split()
    if not words:
        raise CorpusError("empty search query")
    return " ".join('"' + fold(w).replace('"', '""') + '"' for w in words)


def highlight(text: str, query: str, *, width: int = 12) -> str:
    """A snippet of the original `text` around the first word matching `query`, with
    [brackets] round every matching word (matched after folding, as the index does). Escape
    sequences and controls are left out first, so a snippet never cuts one in half."""
    text = strip_controls(text)
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
    """Add the --lang and --source conditions (on text_segments as s)."""
    if lang:
        where.append("s.lang = ?")
        params.append(lang)
    if source:
        where.append("s.source = ?")
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
) -> list[SearchHit]:
    """Full-text search over segments of current documents, best matches first.

    Unless `literal` (or `raw`), a query that is a glossary spelling also finds segments that
    name the same entity under any other name, marked as entity matches.
    """
    query = nfc(query)  # stored text is NFC; a decomposed query would match nothing
    where = ["segments_fts MATCH ?"]
    params: list[Any] = [query if raw else fts_query(query)]
    _filter(where, params, lang, source)
    sql = f"""
        SELECT s.doc_id, s.id, s.source, s.doc_title, s.lang, s.kind, s.text, s.text
        FROM segments_fts
        JOIN text_segments s ON s.id = segments_fts.rowid
        WHERE {" AND ".join(where)}
        ORDER BY bm25(segments_fts), s.id
        LIMIT ?
    """
    try:
        rows = db.execute(sql, [*params, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        # With --fts the query is FTS5 syntax of the user's own: any error is theirs to fix.
        raise CorpusError(f"invalid search query {query!r}: {exc}") from None
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
    where = [f"m.entity_id IN ({', '.join('?' * len(entity_ids))})"]
    params: list[Any] = list(entity_ids)
    _filter(where, params, lang, source)
    rows = db.execute(
        f"""
        SELECT s.doc_id, s.id, s.source, s.doc_title, s.lang, s.kind, s.text,
               group_concat(DISTINCT m.surface), group_concat(DISTINCT m.name), m.entity_label
        FROM original_mentions m
        JOIN text_segments s ON s.id = m.segment_id
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
