"""Full-text search over the title and body segments of current documents, aware of the
glossary: a place's other names are found too, marked as such, also when the place is one word
of a longer query ("consulate Stepanakert" finds "consulate in Khankendi")."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.mentions import matcher
from newsalign.corpus.store.records import SearchHit, SearchResult
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


def _filter(where: list[str], params: list[Any], lang: str | None, sources: list[str]) -> None:
    """Add the --lang and --source conditions (on text_segments as s)."""
    if lang:
        where.append("s.lang = ?")
        params.append(lang)
    if sources:
        where.append(f"s.source IN ({', '.join('?' * len(sources))})")
        params.extend(sources)


def outlets_matching(db: sqlite_utils.Database, source: str) -> list[str]:
    """The outlets `source` names: the same name in any case, else every outlet whose name
    contains it ("tass" is TASS; "turan" both Turan outlets)."""
    names = [r[0] for r in db.execute("SELECT DISTINCT source FROM current_documents")]
    wanted = fold(source.strip())
    exact = [n for n in names if fold(n) == wanted]
    found = exact or sorted(n for n in names if wanted and wanted in fold(n))
    if not found:
        raise CorpusError(f"no outlet matching {source!r} (see `newsalign stats`)")
    return found


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    lang: str | None = None,
    source: str | None = None,
    limit: int = 20,
    raw: bool = False,
    literal: bool = False,
) -> SearchResult:
    """Full-text search over segments of current documents, best matches first: at most
    `limit` hits, and how many there are in all.

    Unless `literal` (or `raw`), a glossary name in the query also finds segments that name
    the same entity under any other name (with the query's other words), marked as entity
    matches. `source` is matched without regard to case, or as part of the outlet's name.
    """
    query = nfc(query)  # stored text is NFC; a decomposed query would match nothing
    sources = outlets_matching(db, source) if source else []
    where = ["segments_fts MATCH ?"]
    params: list[Any] = [query if raw else fts_query(query)]
    _filter(where, params, lang, sources)
    sql = f"""
        SELECT s.doc_id, s.id, s.source, s.doc_title, s.lang, s.kind, s.text, s.text
        FROM segments_fts
        JOIN text_segments s ON s.id = segments_fts.rowid
        WHERE {" AND ".join(where)}
        ORDER BY bm25(segments_fts), s.id
    """
    try:
        rows = db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        # With --fts the query is FTS5 syntax of the user's own: any error is theirs to fix.
        raise CorpusError(f"invalid search query {query!r}: {exc}") from None
    hits = [SearchHit(*row) for row in rows]
    if not (literal or raw):
        hits += _entity_hits(db, query, {h.segment_id for h in hits}, lang, sources)
    shown = tuple(
        h if h.match == "entity" else dataclasses.replace(h, snippet=highlight(h.text, query))
        for h in hits[:limit]
    )
    return SearchResult(shown, len(hits))


def _places_in(db: sqlite_utils.Database, query: str) -> tuple[list[int], str, int]:
    """The glossary entities a query names, its other words, and how many of the entities a
    segment must name: the whole query if it is one name (any entity spelled so), else each
    name found inside it ("consulate Stepanakert": Khankendi, "consulate"; all of them)."""
    found = matcher(db)
    whole = sorted({t.entity_id for t in found.lookup(query)})
    if whole:
        return whole, "", 1
    matches = found.find(query, cased=False)
    rest, cursor = [], 0
    for m in matches:
        rest.append(query[cursor : m.start])
        cursor = m.end
    rest.append(query[cursor:])
    entity_ids = sorted({m.term.entity_id for m in matches})
    return entity_ids, " ".join(" ".join(rest).split()), len(entity_ids)


def _entity_hits(db, query, seen, lang, sources) -> list[SearchHit]:
    entity_ids, rest, needed = _places_in(db, query)
    if not entity_ids:
        return []
    where = [f"m.entity_id IN ({', '.join('?' * len(entity_ids))})"]
    params: list[Any] = list(entity_ids)
    if rest:  # the query's other words, in the same segment
        where.append("s.id IN (SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?)")
        params.append(fts_query(rest))
    _filter(where, params, lang, sources)
    rows = db.execute(
        f"""
        SELECT s.doc_id, s.id, s.source, s.doc_title, s.lang, s.kind, s.text,
               group_concat(DISTINCT m.surface), group_concat(DISTINCT m.name), m.entity_label
        FROM original_mentions m
        JOIN text_segments s ON s.id = m.segment_id
        WHERE {" AND ".join(where)}
        GROUP BY s.id HAVING count(DISTINCT m.entity_id) = ? ORDER BY s.id
        """,
        [*params, needed],
    ).fetchall()
    hits = []
    for doc_id, seg_id, src, title, seg_lang, kind, text, surfaces, names, label in rows:
        if seg_id in seen:
            continue
        snippet = highlight(text, " ".join([*surfaces.split(","), rest]))
        hits.append(
            SearchHit(
                doc_id,
                seg_id,
                src,
                title,
                seg_lang,
                kind,
                snippet,
                text,
                "entity",
                label,
                names.replace(",", ", "),
            )
        )
    return hits
