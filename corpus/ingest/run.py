"""Ingest articles: find the inputs, parse each, store it in its own transaction."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
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
from newsalign.corpus.ingest.years import infer_years
from newsalign.corpus.store import documents, metadata
from newsalign.corpus.store.database import RunLog, database_path, locked_error
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.corpus.store.mentions import matcher
from newsalign.glossary.files import read_limited
from newsalign.translate.langid import LanguageDetector

ENV_MAX_INPUT_MB = "NEWSALIGN_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 10
NOT_REGULAR = "not a regular file (a pipe, device or socket), not read"
STATUSES = ("added", "new-version", "updated", "unchanged", "duplicate", "skipped", "failed")


@dataclass(frozen=True)
class InputFile:
    """Something to ingest: a file path, or standard input (path None)."""

    name: str
    path: Path | None


@dataclass(frozen=True)
class IngestResult:
    """What happened to one input."""

    name: str
    status: str  # one of STATUSES (updated: metadata corrected, text unchanged)
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


def printable(name: str) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _named_badly(path: str) -> IngestResult | None:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return IngestResult(printable(path), "failed",
                            message="the file name is not valid UTF-8; rename the file")  # fmt: skip
    return None


def _in_folder(path: Path, root: Path, follow_symlinks: bool) -> InputFile | IngestResult:
    """One file found in a folder, or why it is not read: a link out of the folder (unless
    `follow_symlinks`), a link loop, a pipe or device."""
    name = str(path)
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop, on some Pythons
            loop = isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP
            return IngestResult(name, "failed", message="a symbolic link loop" if loop
                                else "a broken symbolic link (it points to nothing)")  # fmt: skip
        if not follow_symlinks and not target.is_relative_to(root):
            return IngestResult(name, "skipped", message=(
                f"a link out of the folder (to {printable(str(target))}), not followed "
                "(--follow-symlinks follows it)"))  # fmt: skip
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as exc:
        return IngestResult(name, "failed", message=exc.strerror or str(exc))
    if not regular:
        return IngestResult(name, "skipped", message=NOT_REGULAR)
    return InputFile(name, path)


def discover(
    paths: Iterable[str], *, follow_symlinks: bool = False
) -> Iterator[InputFile | IngestResult]:
    """Expand the command line: files, directories (recursively) and `-` for stdin.

    Missing paths, folders that cannot be read, names that are not UTF-8 and link loops come
    back as failed results, so the other inputs still go on and the run ends non-zero. Pipes,
    devices and links that leave a folder come back as skipped: never read.
    """
    for raw in paths:
        if raw == "-":
            yield InputFile("-", None)
            continue
        path = Path(raw)
        bad = _named_badly(raw)
        if bad:
            yield bad
        elif path.is_dir():
            root = path.resolve()
            found, unreadable = [], []
            for folder, dirs, files in os.walk(path, onerror=unreadable.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(folder) / f for f in files
                          if not f.startswith(".") and Path(f).suffix.lower() in FORMATS]  # fmt: skip
            for p in sorted(found):
                yield _named_badly(str(p)) or _in_folder(p, root, follow_symlinks)
            for error in unreadable:
                yield IngestResult(printable(error.filename or raw), "failed",
                                   message=f"cannot read this folder: {error.strerror}")  # fmt: skip
        elif path.is_file():
            yield InputFile(raw, path)
        elif path.exists():
            yield IngestResult(raw, "failed", message=NOT_REGULAR)
        else:  # missing, or a link loop, or a folder on the way that cannot be searched
            try:
                path.stat()
                why = "no such file or directory"
            except OSError as exc:
                why = (exc.strerror or str(exc)).lower()
            yield IngestResult(raw, "failed", message=why)


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
    return read_limited(item.path, limit, what=None, error=InputError, too_big=too_big)


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
    follow_symlinks: bool = False,
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
    names = _Names(db)
    detector = detector or LanguageDetector(langs)
    run = RunLog(db, "ingest", {"paths": paths, "source": source, "langs": langs,
                                "manifest": str(manifest) if manifest else None})  # fmt: skip
    results: list[IngestResult] = []

    def emit(result: IngestResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    try:
        with run.closing():  # ok, failed or interrupted, with the counts so far
            try:
                for problem in problems:
                    emit(IngestResult(f"{manifest}:{problem.line}", "failed",
                                      message=str(problem)))  # fmt: skip
                for item in discover(paths, follow_symlinks=follow_symlinks):
                    if isinstance(item, IngestResult):
                        emit(item)
                        continue
                    where = item.path.resolve() if item.path else None
                    if where in refused:
                        continue  # its manifest row was refused above
                    emit(_ingest_one(db, item, source, detector, run, stdin, names, limit,
                                     described.get(where)))  # fmt: skip
                _infer_years(db, run, results)
            finally:
                for status in STATUSES:
                    run.counts[status] = sum(r.status == status for r in results)
            failed = run.counts["failed"]
            # A run with failed inputs is not `ok`: its row says how many failed.
            if failed:
                run.failure = f"{failed} of {len(results)} inputs failed"
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked_error(database_path(db)) from None
        raise
    return IngestReport(tuple(results), run.id)


class _Names:
    """The glossary matcher ingest finds names with, and the glossary version it was built
    from. `current()` is called inside each document's transaction: a glossary edited while
    ingest runs (by another process) is noticed there and the matcher rebuilt, so every
    document stored after the edit has the new glossary's mentions."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.version = glossary_version(db)
        self.found = matcher(db)

    def current(self):
        version = glossary_version(self.db)
        if version != self.version:
            self.version, self.found = version, matcher(self.db)
        return self.found, self.version


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
        with run.transaction() as record:
            # Another process may have stored these bytes while this one parsed them.
            existing = documents.find_by_hash(db, sha)
            if not existing:
                found, version = names.current()
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
