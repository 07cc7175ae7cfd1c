"""Ingest articles: read, decode, clean, segment, detect languages, store one document at a time."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import sqlite_utils

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.clean import (
    BODY,
    BOILERPLATE,
    TITLE,
    Cleaned,
    clean_html,
    clean_markdown,
    clean_text,
)
from newsalign.corpus.ingest.decode import decode_bytes
from newsalign.corpus.ingest.segment import split_sentences
from newsalign.corpus.store.database import RunLog, locked_error, now
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.corpus.store.mentions import insert_mentions, matcher
from newsalign.glossary.match import Matcher
from newsalign.glossary.textnorm import fold
from newsalign.translate.langid import LanguageDetector, assign_languages

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html"}  # fmt: skip
_HTML_SNIFF = re.compile(r"<(!doctype html|html|head|body|article|p|div)\b", re.I)


@dataclass(frozen=True)
class InputFile:
    """Something to ingest: a file path, or standard input (path None)."""

    name: str
    path: Path | None


@dataclass(frozen=True)
class IngestResult:
    """What happened to one input."""

    name: str
    status: str  # added, new-version, unchanged, duplicate, failed
    doc_id: int | None = None
    message: str | None = None
    warning: str | None = None
    lang: str | None = None
    sentences: int = 0
    boilerplate: int = 0


@dataclass(frozen=True)
class IngestReport:
    """All results of one ingest, and the run that recorded them (None if nothing changed)."""

    results: tuple[IngestResult, ...]
    run_id: int | None

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> int:
        return self.count("failed")


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str
    line: int
    reason: str | None = None
    paragraph: int | None = None
    sentence: int | None = None
    start: int | None = None
    end: int | None = None
    lang: str | None = None
    lang_prob: float | None = None
    lang_method: str | None = None


@dataclass(frozen=True)
class ParsedDocument:
    """A document ready to store: cleaned text, paragraphs, segments and metadata."""

    text: str
    title: str | None
    site: str | None
    published: str | None
    format: str
    encoding: str
    encoding_warning: str | None
    raw_chars: int
    lang: str | None
    lang_prob: float | None
    paragraphs: tuple[tuple[int, int, str | None, float | None, str], ...]
    segments: tuple[Segment, ...] = field(repr=False)

    @property
    def boilerplate_chars(self) -> int:
        return sum(len(s.text) for s in self.segments if s.kind == BOILERPLATE)


def discover(paths: Iterable[str]) -> Iterator[InputFile | IngestResult]:
    """Expand the command line: files, directories (recursively) and `-` for stdin.

    Missing paths come back as failed results so the other inputs still go on.
    """
    for raw in paths:
        if raw == "-":
            yield InputFile("-", None)
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in FORMATS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )  # fmt: skip
            yield from (InputFile(str(p), p) for p in found)
        elif path.is_file():
            yield InputFile(raw, path)
        else:
            yield IngestResult(raw, "failed", message="no such file or directory")


def detect_format(name: str, text: str) -> str:
    """The input format from the file name, or by sniffing the text."""
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    return "html" if _HTML_SNIFF.search(text[:4096]) else "text"


def parse_document(data: bytes, name: str, detector: LanguageDetector) -> ParsedDocument:
    """Decode, clean, segment and detect languages; raises InputError for unusable input."""
    decoded = decode_bytes(data)
    fmt = detect_format(name, decoded.text)
    cleaned: Cleaned = {"html": clean_html, "markdown": clean_markdown}.get(fmt, clean_text)(
        decoded.text
    )
    kept = [b for b in cleaned.blocks if b.kind in (TITLE, BODY)]
    if not kept:
        raise InputError("no article text found: every line looks like boilerplate")
    text_parts: list[str] = []
    offset = 0
    para_spans: list[tuple[int, int]] = []
    para_sentences: list[list[tuple[int, int]]] = []
    for block in kept:
        if text_parts:
            offset += 2
        para_spans.append((offset, offset + len(block.text)))
        spans = [(0, len(block.text))] if block.kind == TITLE else split_sentences(block.text)
        para_sentences.append([(offset + s, offset + e) for s, e in spans])
        text_parts.append(block.text)
        offset += len(block.text)
    text = "\n\n".join(text_parts)
    doc_lang, para_langs, sent_langs = assign_languages(
        detector, [[text[s:e] for s, e in spans] for spans in para_sentences]
    )
    segments: list[Segment] = []
    para_index = 0
    for block in cleaned.blocks:
        if block.kind == BOILERPLATE:
            segments.append(
                Segment(
                    BOILERPLATE,
                    block.text,
                    block.line,
                    reason=block.reason,
                    lang=doc_lang.lang,
                    lang_method="document",
                )  # fmt: skip
            )
            continue
        for n, (s, e) in enumerate(para_sentences[para_index]):
            lang = sent_langs[para_index][n]
            segments.append(
                Segment(
                    block.kind,
                    text[s:e],
                    block.line,
                    paragraph=para_index,
                    sentence=n,
                    start=s,
                    end=e,
                    lang=lang.lang,
                    lang_prob=lang.prob,
                    lang_method=lang.method,
                )  # fmt: skip
            )
        para_index += 1
    paragraphs = tuple(
        (s, e, pl.lang, pl.prob, pl.method)
        for (s, e), pl in zip(para_spans, para_langs, strict=True)
    )
    return ParsedDocument(
        text=text, title=cleaned.title, site=cleaned.site, published=cleaned.published,
        format=fmt, encoding=decoded.encoding, encoding_warning=decoded.warning,
        raw_chars=len(decoded.text), lang=doc_lang.lang, lang_prob=doc_lang.prob,
        paragraphs=paragraphs, segments=tuple(segments),
    )  # fmt: skip


def _store(db: sqlite_utils.Database, doc: ParsedDocument, *, key: str, path: str | None,
           source: str, sha: str, run: RunLog, names: tuple[Matcher, int]) -> tuple[int, int | None]:  # fmt: skip
    previous = db.execute(
        "SELECT id, version FROM documents WHERE doc_key = ? AND is_current = 1", [key]
    ).fetchone()
    with db.atomic():
        run_id = run.ensure()
        if previous:
            db.execute("UPDATE documents SET is_current = 0 WHERE id = ?", [previous[0]])
        doc_id = (
            db["documents"]
            .insert(
                {
                    "doc_key": key,
                    "version": previous[1] + 1 if previous else 1,
                    "previous_id": previous[0] if previous else None,
                    "is_current": 1,
                    "path": path,
                    "source": source,
                    "title": doc.title,
                    "published": doc.published,
                    "lang": doc.lang,
                    "lang_prob": doc.lang_prob,
                    "format": doc.format,
                    "encoding": doc.encoding,
                    "encoding_warning": doc.encoding_warning,
                    "sha256": sha,
                    "raw_chars": doc.raw_chars,
                    "clean_chars": len(doc.text),
                    "boilerplate_chars": doc.boilerplate_chars,
                    "text": doc.text,
                    "run_id": run_id,
                    "ingested_at": now(),
                }  # fmt: skip
            )
            .last_pk
        )
        para_ids = []
        for idx, (start, end, lang, prob, method) in enumerate(doc.paragraphs):
            cursor = db.execute(
                'INSERT INTO paragraphs (doc_id, idx, start, "end", lang, lang_prob, lang_method)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [doc_id, idx, start, end, lang, prob, method],
            )
            para_ids.append(cursor.lastrowid)
        db["segments"].insert_all(
            (
                {
                    "doc_id": doc_id,
                    "idx": idx,
                    "paragraph_id": para_ids[s.paragraph] if s.paragraph is not None else None,
                    "kind": s.kind,
                    "reason": s.reason,
                    "sentence": s.sentence,
                    "start": s.start,
                    "end": s.end,
                    "line": s.line,
                    "text": s.text,
                    "search_text": fold(s.text),
                    "lang": s.lang,
                    "lang_prob": s.lang_prob,
                    "lang_method": s.lang_method,
                }  # fmt: skip
                for idx, s in enumerate(doc.segments)
            ),
            batch_size=500,
        )
        found, glossary_version = names
        kept = db.execute(
            "SELECT id, text FROM segments WHERE doc_id = ? AND kind != 'boilerplate'", [doc_id]
        )
        insert_mentions(db, found, kept, glossary_version)
    return doc_id, previous[0] if previous else None


def _read(item: InputFile, stdin: BinaryIO | None) -> bytes:
    if item.path is None:
        return (stdin or sys.stdin.buffer).read()
    try:
        return item.path.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str],
    *,
    source: str | None = None,
    langs: list[str] | None = None,
    stdin: BinaryIO | None = None,
    detector: LanguageDetector | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> IngestReport:
    """Ingest every input, one transaction per document; failures are reported, not raised.

    Unchanged bytes add nothing; changed bytes at a known path become a new version linked to
    the old one. Raises CorpusError only when the database itself cannot be written.
    """
    paths = list(paths)  # read twice: for the run's record and for discovery
    names = (matcher(db), glossary_version(db))
    detector = detector or LanguageDetector(langs)
    run = RunLog(db, "ingest", {"paths": paths,
                                "source": source, "langs": langs})  # fmt: skip
    results: list[IngestResult] = []

    def emit(result: IngestResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    try:
        for item in discover(paths):
            if isinstance(item, IngestResult):
                emit(item)
                continue
            emit(_ingest_one(db, item, source, detector, run, stdin, names))
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked_error(
                Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
            ) from None
        raise
    finally:
        for status in ("added", "new-version", "unchanged", "duplicate", "failed"):
            run.counts[status] = sum(r.status == status for r in results)
        run.finish()
    return IngestReport(tuple(results), run.id)


def _ingest_one(db, item: InputFile, source, detector, run, stdin, names) -> IngestResult:
    try:
        data = _read(item, stdin)
        sha = hashlib.sha256(data).hexdigest()
        key = f"file:{item.path.resolve()}" if item.path else f"stdin:{sha}"
        existing = db.execute(
            "SELECT id, doc_key FROM documents WHERE sha256 = ?", [sha]
        ).fetchone()
        if existing:
            same = existing[1] == key
            return IngestResult(
                item.name, "unchanged" if same else "duplicate", doc_id=existing[0],
                message="already ingested, nothing added" if same
                else f"same bytes as document {existing[0]}, nothing added",
            )  # fmt: skip
        doc = parse_document(data, item.name, detector)
        name = source or doc.site or (item.path.stem if item.path else "stdin")
        doc_id, previous = _store(
            db, doc, key=key, path=str(item.path) if item.path else None, source=name,
            sha=sha, run=run, names=names,
        )  # fmt: skip
    except InputError as exc:
        return IngestResult(item.name, "failed", message=str(exc))
    return IngestResult(
        item.name, "new-version" if previous else "added", doc_id=doc_id,
        message=f"new version of document {previous}" if previous else None,
        warning=doc.encoding_warning, lang=doc.lang,
        sentences=sum(s.kind != BOILERPLATE for s in doc.segments),
        boilerplate=sum(s.kind == BOILERPLATE for s in doc.segments),
    )  # fmt: skip
