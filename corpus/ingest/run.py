"""Ingest articles: find the inputs, parse each, store it in its own transaction."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlite_utils

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.clean import BOILERPLATE
from newsalign.corpus.ingest.parse import FORMATS, parse_document
from newsalign.corpus.store import documents
from newsalign.corpus.store.database import RunLog, locked_error
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.corpus.store.mentions import matcher
from newsalign.translate.langid import LanguageDetector


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
        existing = documents.find_by_hash(db, sha)
        if existing:
            same = existing[1] == key
            return IngestResult(
                item.name, "unchanged" if same else "duplicate", doc_id=existing[0],
                message="already ingested, nothing added" if same
                else f"same bytes as document {existing[0]}, nothing added",
            )  # fmt: skip
        doc = parse_document(data, item.name, detector)
        name = source or doc.site or (item.path.stem if item.path else "stdin")
        found, version = names
        with db.atomic():
            doc_id, previous = documents.insert_document(
                db, doc, key=key, path=str(item.path) if item.path else None, source=name,
                sha256=sha, run_id=run.ensure(), names=found, glossary_version=version,
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
