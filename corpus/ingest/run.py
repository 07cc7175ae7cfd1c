"""Ingest articles: find the inputs, parse each, store it in its own transaction."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlite_utils

from newsalign.corpus.errors import CorpusError, InputError
from newsalign.corpus.ingest.clean import BOILERPLATE
from newsalign.corpus.ingest.dating import body_paragraphs, date_document, page_date
from newsalign.corpus.ingest.manifest import Entry, read_manifest
from newsalign.corpus.ingest.parse import FORMATS, parse_document
from newsalign.corpus.store import documents, metadata
from newsalign.corpus.store.database import RunLog, database_path, locked_error
from newsalign.corpus.store.dating import infer_years
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.corpus.store.mentions import matcher
from newsalign.translate.langid import LanguageDetector

ENV_MAX_INPUT_MB = "NEWSALIGN_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 10


@dataclass(frozen=True)
class InputFile:
    """Something to ingest: a file path, or standard input (path None)."""

    name: str
    path: Path | None


@dataclass(frozen=True)
class IngestResult:
    """What happened to one input."""

    name: str
    status: str  # added, new-version, updated (metadata corrected), unchanged, duplicate, failed
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

    Missing paths and folders that cannot be read come back as failed results, so the other
    inputs still go on and the run ends non-zero.
    """
    for raw in paths:
        if raw == "-":
            yield InputFile("-", None)
            continue
        path = Path(raw)
        if path.is_dir():
            found, unreadable = [], []
            for folder, dirs, files in os.walk(path, onerror=unreadable.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(folder) / f for f in files
                          if not f.startswith(".") and Path(f).suffix.lower() in FORMATS]  # fmt: skip
            yield from (InputFile(str(p), p) for p in sorted(found))
            for error in unreadable:
                yield IngestResult(error.filename or raw, "failed",
                                   message=f"cannot read this folder: {error.strerror}")  # fmt: skip
        elif path.is_file():
            yield InputFile(raw, path)
        else:
            yield IngestResult(raw, "failed", message="no such file or directory")


def max_input_bytes() -> int:
    """The largest input file ingested: $NEWSALIGN_MAX_INPUT_MB, else 10 MB. A news article is
    rarely more than a few hundred kilobytes, even as a saved page with its scripts."""
    try:
        return int(float(os.environ.get(ENV_MAX_INPUT_MB, DEFAULT_MAX_INPUT_MB)) * 1024 * 1024)
    except ValueError:
        raise CorpusError(f"${ENV_MAX_INPUT_MB} must be a number of megabytes") from None


def _read(item: InputFile, stdin: BinaryIO | None, limit: int) -> bytes:
    too_big = (f"more than {limit / 2**20:g} MB, the limit for one article "
               f"(--max-mb or ${ENV_MAX_INPUT_MB} raises it)")  # fmt: skip
    if item.path is None:
        data = (stdin or sys.stdin.buffer).read(limit + 1)
        if len(data) > limit:
            raise InputError(too_big)
        return data
    try:
        if item.path.stat().st_size > limit:
            raise InputError(too_big)
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
    max_bytes: int | None = None,
    manifest: Path | None = None,
) -> IngestReport:
    """Ingest every input, one transaction per document; failures are reported, not raised.

    Unchanged bytes add nothing; changed bytes at a known path become a new version linked to
    the old one. Raises CorpusError only when the database itself cannot be written.
    """
    paths = list(paths)  # read twice: for the run's record and for discovery
    limit = max_bytes if max_bytes is not None else max_input_bytes()
    entries, problems = read_manifest(manifest) if manifest else ([], [])
    if manifest and not paths:
        paths = [str(e.file) for e in entries]
    described = {e.file.resolve(): e for e in entries}
    refused = (
        {(manifest.parent / p.file).resolve() for p in problems if p.file} if manifest else set()
    )
    names = (matcher(db), glossary_version(db))
    detector = detector or LanguageDetector(langs)
    run = RunLog(db, "ingest", {"paths": paths, "source": source, "langs": langs,
                                "manifest": str(manifest) if manifest else None})  # fmt: skip
    results: list[IngestResult] = []

    def emit(result: IngestResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    try:
        for problem in problems:
            emit(IngestResult(f"{manifest}:{problem.line}", "failed", message=str(problem)))
        for item in discover(paths):
            if isinstance(item, IngestResult):
                emit(item)
                continue
            where = item.path.resolve() if item.path else None
            if where in refused:
                continue  # its manifest row was refused above
            emit(_ingest_one(db, item, source, detector, run, stdin, names, limit,
                             described.get(where)))  # fmt: skip
        _infer_years(db, run, results)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked_error(database_path(db)) from None
        raise
    finally:
        for status in ("added", "new-version", "updated", "unchanged", "duplicate", "failed"):
            run.counts[status] = sum(r.status == status for r in results)
        run.finish()
    return IngestReport(tuple(results), run.id)


def _infer_years(db, run: RunLog, results: list[IngestResult]) -> None:
    """Years for datelines read without one, from the dates of the documents ingested with
    them (a collection is usually one story); `align` infers again within each story."""
    ids = [r.doc_id for r in results if r.doc_id is not None]
    pending = ids and db.execute(
        f"SELECT 1 FROM documents WHERE undated_day IS NOT NULL AND id IN ({','.join('?' * len(ids))})",
        ids).fetchone()  # fmt: skip
    if pending:
        with run.transaction() as record:
            if infer_years(db, [ids]):
                record()


def _update(db, item: InputFile, doc_id: int, entry: Entry | None, source: str | None,
            run: RunLog) -> IngestResult:  # fmt: skip
    """Same bytes again, with a manifest or --source: correct what they say differently."""
    given = {"outlet": (entry.outlet if entry else None) or source,
             "url": entry.url if entry else None, "date": entry.date if entry else None,
             "language": entry.language if entry else None}  # fmt: skip
    how = "manifest" if entry and entry.outlet else "option"
    key = db.execute("SELECT doc_key FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    found = [c for c in metadata.changes(db, doc_id, metadata.validate(given))
             if not metadata.stale(db, key, c.field, c.new)]  # fmt: skip
    if not found:
        return IngestResult(item.name, "unchanged", doc_id=doc_id,
                            message="already ingested, nothing added")  # fmt: skip
    with run.transaction() as record:
        record()
        for change in found:
            metadata.apply(db, [change], how if change.field == "outlet" else
                           ("manifest" if entry else "option"))  # fmt: skip
    return IngestResult(item.name, "updated", doc_id=doc_id,
                        message=f"{metadata.describe(found)}; text unchanged, nothing added")  # fmt: skip


def _seen(item: InputFile, key: str, existing: tuple[int, str]) -> IngestResult:
    same = existing[1] == key
    return IngestResult(
        item.name, "unchanged" if same else "duplicate", doc_id=existing[0],
        message="already ingested, nothing added" if same
        else f"same bytes as document {existing[0]}, nothing added",
    )  # fmt: skip


def _ingest_one(db, item: InputFile, source, detector, run, stdin, names, limit,
                entry: Entry | None = None) -> IngestResult:  # fmt: skip
    try:
        data = _read(item, stdin, limit)
        sha = hashlib.sha256(data).hexdigest()
        key = f"file:{item.path.resolve()}" if item.path else f"stdin:{sha}"
        existing = documents.find_by_hash(db, sha)
        if existing and existing[1] == key and (entry or source):
            return _update(db, item, existing[0], entry, source, run)
        if existing:
            return _seen(item, key, existing)
        doc = parse_document(data, item.name, detector)
        # The outlet, by how much to trust it: the manifest, the option, the page, the file.
        name, named_by = next((v, how) for v, how in (
            (entry.outlet if entry else None, "manifest"), (source, "option"),
            (doc.site, doc.site_from), (item.path.stem if item.path else "stdin", "file"))
            if v)  # fmt: skip
        url = entry.url if entry else None
        dating = date_document(body_paragraphs(doc), page_date(doc), url,
                               entry.date if entry else None)  # fmt: skip
        meta = documents.DocumentMeta(
            url=url, published=dating.date.value if dating.date else None,
            language=entry.language if entry else None, outlet_from=named_by,
            published_from=dating.date.source if dating.date else None,
            published_inferred=dating.date.inferred if dating.date else None,
            undated_day=dating.undated_day,
        )  # fmt: skip
        found, version = names
        with run.transaction() as record:
            # Another process may have stored these bytes while this one parsed them.
            existing = documents.find_by_hash(db, sha)
            if not existing:
                doc_id, previous = documents.insert_document(
                    db, doc, key=key, path=str(item.path) if item.path else None, source=name,
                    sha256=sha, run_id=record(), names=found, glossary_version=version, meta=meta,
                )  # fmt: skip
        if existing:
            return _seen(item, key, existing)
    except InputError as exc:
        return IngestResult(item.name, "failed", message=str(exc))
    return IngestResult(
        item.name, "new-version" if previous else "added", doc_id=doc_id,
        message=f"new version of document {previous}" if previous else None,
        warning=doc.encoding_warning, lang=doc.lang,
        sentences=sum(s.kind != BOILERPLATE for s in doc.segments),
        boilerplate=sum(s.kind == BOILERPLATE for s in doc.segments),
    )  # fmt: skip
