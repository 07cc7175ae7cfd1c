"""Ingest articles: the inputs found (inputs.py) are parsed, here or by a parser working ahead
(a cluster), and stored in input order, each document in its own transaction."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import sqlite_utils

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.clean import BOILERPLATE
from newsalign.corpus.ingest.dating import body_paragraphs, date_document, page_date
from newsalign.corpus.ingest.inputs import (
    STATUSES,
    IngestResult,
    InputFile,
    count_inputs,
    discover,
    max_input_bytes,
    printable,
    read_input,
)
from newsalign.corpus.ingest.manifest import Entry, checked, read_manifest
from newsalign.corpus.ingest.parse import ParsedDocument, parse_many
from newsalign.corpus.ingest.years import infer_years
from newsalign.corpus.plural import plural
from newsalign.corpus.store import documents, metadata
from newsalign.corpus.store.database import (
    RunLog,
    database_path,
    locked_error,
    many_small_commits,
)
from newsalign.corpus.store.dating import any_year_missing
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.corpus.store.mentions import matcher
from newsalign.translate.langid import LanguageDetector


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did: the results (every input's, unless the caller took them one by one
    and did not keep them), how many inputs ended in each status, and the run that recorded
    them (None if nothing changed)."""

    results: tuple[IngestResult, ...]
    run_id: int | None
    counts: Mapping[str, int]

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def inputs(self) -> int:
        return sum(self.counts.values())


Raw = tuple[str, bytes]  # an input's name and bytes, as a parser gets them


class Parser(Protocol):
    """Turns batches of inputs into parsed documents (or the InputError of one that cannot be
    parsed), batch by batch, in order. The batches are pulled from an iterator as the parser
    has room for them, so inputs are read only a few batches ahead of what is stored."""

    batch_size: int

    def parse(self, batches: Iterator[list[Raw]]) -> Iterator[list[ParsedDocument | InputError]]:
        """The parsed batches, in the order of `batches`."""
        ...


@dataclass(frozen=True)
class LocalParser:
    """Parsing in this process, one input at a time."""

    detector: LanguageDetector
    batch_size: int = 1

    def parse(self, batches: Iterator[list[Raw]]) -> Iterator[list[ParsedDocument | InputError]]:
        return (parse_many(batch, self.detector) for batch in batches)


@dataclass(frozen=True)
class _Turn:
    """An input read and hashed, waiting for its turn to be stored (or found known)."""

    item: InputFile
    sha: str
    key: str
    entry: Entry | None
    known: tuple[int, str] | None  # (id, key) of a document with these bytes, when read


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
    parser: Parser | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    keep_results: bool = True,
) -> IngestReport:
    """Ingest every input, one transaction per document; failures are reported, not raised.

    Unchanged bytes add nothing; changed bytes at a known path become a new version linked to
    the old one. Raises CorpusError only when the database itself cannot be written.

    Inputs are streamed: read as `parser` (default: this process, with `detector`) takes
    them, stored in input order as their parses come back, each result passed to `on_result`
    and, if `keep_results`, kept in the report (a caller that prints them as they come can
    keep memory flat on any number of inputs). `on_progress(done, total)` follows the inputs
    (counted first by a walk of the folders).
    """
    paths = list(paths)  # read twice: for the run's record and for discovery
    source = checked("outlet", source) if source is not None else None
    limit = max_bytes if max_bytes is not None else max_input_bytes()
    entries, problems = (
        read_manifest(manifest, follow_symlinks=follow_symlinks) if manifest else ([], [])
    )
    if manifest and not paths:
        paths = [str(e.file) for e in entries]
    described = {e.file.resolve(): e for e in entries}
    refused = (
        {(manifest.parent / p.file).resolve() for p in problems if p.file} if manifest else set()
    )
    parser = parser or LocalParser(detector or LanguageDetector(langs))
    total = 0
    if on_progress:
        total = len(problems) + count_inputs(paths, follow_symlinks=follow_symlinks, skip=refused)
        on_progress(0, total)
    names = _Names(db)
    run = RunLog(
        db,
        "ingest",
        {
            "paths": paths,
            "source": source,
            "langs": langs,
            "manifest": str(manifest) if manifest else None,
        },
    )
    results: list[IngestResult] = []
    counts = dict.fromkeys(STATUSES, 0)
    doc_ids = array("q")  # the documents this run added or found, for the years inferred
    # Inputs read, in input order, from the first not yet stored: a parser working ahead
    # holds their documents; a known or failed input waits here for those before it.
    waiting: deque[_Turn | IngestResult] = deque()

    def emit(result: IngestResult) -> None:
        counts[result.status] += 1
        if result.doc_id is not None:
            doc_ids.append(result.doc_id)
        if keep_results:
            results.append(result)
        if on_result:
            on_result(result)
        if on_progress:
            done = sum(counts.values())
            on_progress(done, max(total, done))

    def settle(turn: _Turn | IngestResult, parsed: ParsedDocument | InputError | None = None):
        with _counted_whole():
            emit(
                turn
                if isinstance(turn, IngestResult)
                else _ingest_one(db, turn, parsed, source, run, names)
            )

    def batches() -> Iterator[list[Raw]]:
        batch: list[Raw] = []
        for turn, data in _read_all(
            db, paths, problems, manifest, refused, described, stdin, limit, follow_symlinks
        ):
            if data is None:  # nothing to parse: stored now, or after the documents ahead
                if waiting:
                    waiting.append(turn)
                else:
                    settle(turn)
                continue
            waiting.append(turn)
            batch.append((turn.item.name, data))
            if len(batch) >= parser.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    try:
        with run.closing(), many_small_commits(db):  # closing: ok, failed or interrupted
            try:
                for parsed_batch in parser.parse(batches()):
                    for parsed in parsed_batch:
                        while isinstance(waiting[0], IngestResult) or waiting[0].known:
                            settle(waiting.popleft())
                        settle(waiting.popleft(), parsed)
                while waiting:
                    settle(waiting.popleft())
                _infer_years(db, run, doc_ids)
            finally:
                run.counts.update(counts)
            failed = run.counts["failed"]
            # A run with failed inputs is not `ok`: its row says how many failed.
            if failed:
                run.failure = f"{failed} of {plural(sum(counts.values()), 'input')} failed"
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked_error(database_path(db)) from None
        raise
    return IngestReport(tuple(results), run.id, counts)


@contextmanager
def _counted_whole() -> Iterator[None]:
    """Ctrl-C waits while a document is stored and counted (milliseconds), so that the run's
    counts say what it committed: a commit is now much of a document's time, and an interrupt
    landing just after it would leave a document stored but not counted."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    caught: list = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(signal.SIGINT, caught[0])
            elif previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)


def _read_all(
    db, paths, problems, manifest, refused, described, stdin, limit, follow_symlinks
) -> Iterator[tuple[_Turn | IngestResult, bytes | None]]:
    """Every input in order, read and hashed, with its bytes when they must be parsed (not
    already in the corpus), or its result when it cannot be read."""
    for problem in problems:
        yield IngestResult(f"{manifest}:{problem.line}", "failed", message=str(problem)), None
    for item in discover(paths, follow_symlinks=follow_symlinks):
        if isinstance(item, IngestResult):
            yield item, None
            continue
        where = item.path.resolve() if item.path else None
        if where in refused:
            continue  # its manifest row was refused above
        try:
            data = read_input(item, stdin, limit)
        except InputError as exc:
            yield IngestResult(item.name, "failed", message=str(exc)), None
            continue
        sha = hashlib.sha256(data).hexdigest()
        key = f"file:{item.path.resolve()}" if item.path else f"stdin:{sha}"
        known = documents.find_by_hash(db, sha)
        yield _Turn(item, sha, key, described.get(where), known), None if known else data


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


def _infer_years(db, run: RunLog, doc_ids: Sequence[int]) -> None:
    """Years for datelines read without one, from the dates of the documents ingested with
    them (a collection is usually one story); `align` infers again within each story."""
    ids = list(doc_ids)
    if ids and any_year_missing(db, ids):
        with run.transaction() as record:
            if infer_years(db, [ids]):
                record()


def _update(
    db,
    item: InputFile,
    doc_id: int,
    entry: Entry | None,
    source: str | None,
    run: RunLog,
    moved_to: str | None = None,
) -> IngestResult:
    """Same bytes again, with a manifest or --source: correct what they say differently. With
    `moved_to`, the document's file was renamed (or moved) there: the document follows it."""
    given = {
        "outlet": (entry.outlet if entry else None) or source,
        "url": entry.url if entry else None,
        "date": entry.date if entry else None,
        "language": entry.language if entry else None,
    }
    how = "manifest" if entry and entry.outlet else "option"
    key = db.execute("SELECT doc_key FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    found = [
        c
        for c in metadata.changes(db, doc_id, metadata.validate(given))
        if not metadata.stale(db, key, c.field, c.new)
    ]
    if not found and not moved_to:
        return IngestResult(
            item.name, "unchanged", doc_id=doc_id, message="already ingested, nothing added"
        )
    with run.transaction() as record:
        record()
        if moved_to:
            documents.move(db, key, moved_to, str(item.path))
        for change in found:
            metadata.apply(
                db,
                [change],
                how if change.field == "outlet" else ("manifest" if entry else "option"),
            )
    said = (
        [f"renamed from {printable(key[len('file:') :])} (no file there any more)"]
        if moved_to
        else []
    )
    said += [metadata.describe(found)] if found else []
    return IngestResult(
        item.name,
        "updated",
        doc_id=doc_id,
        message=f"{'; '.join(said)}; text unchanged, nothing added",
    )


def _moved(db, existing: tuple[int, str], key: str) -> bool:
    """Whether the document with these bytes is a file that is gone from where it was read,
    and so was renamed or moved to `key` rather than copied."""
    old = existing[1]
    gone = old.startswith("file:") and not os.path.lexists(old[len("file:") :])
    return gone and key.startswith("file:") and documents.relocatable(db, existing[0], key) == old


def _seen(item: InputFile, key: str, existing: tuple[int, str]) -> IngestResult:
    same = existing[1] == key
    return IngestResult(
        item.name,
        "unchanged" if same else "duplicate",
        doc_id=existing[0],
        message="already ingested, nothing added"
        if same
        else f"same bytes as document {existing[0]}, nothing added",
    )


def _ingest_one(
    db, turn: _Turn, parsed: ParsedDocument | InputError | None, source, run, names
) -> IngestResult:
    """Store one input, or say why not: known bytes (unchanged, a duplicate, or metadata to
    correct), or an input that could not be parsed."""
    item, entry = turn.item, turn.entry
    try:
        # The bytes may have been stored since they were read: by a document ahead of this one
        # in the run, or by another process while this one parsed them.
        existing = documents.find_by_hash(db, turn.sha) or turn.known
        if existing and existing[1] == turn.key and (entry or source):
            return _update(db, item, existing[0], entry, source, run)
        if existing and _moved(db, existing, turn.key):
            return _update(db, item, existing[0], entry, source, run, moved_to=turn.key)
        if existing:
            return _seen(item, turn.key, existing)
        if isinstance(parsed, InputError):
            raise parsed
        doc = parsed
        # The outlet, by how much to trust it: the manifest, the option, the page, the file.
        name, named_by = next(
            (v, how)
            for v, how in (
                (entry.outlet if entry else None, "manifest"),
                (source, "option"),
                (doc.site, doc.site_from),
                (item.path.stem if item.path else "stdin", "file"),
            )
            if v
        )
        url = entry.url if entry else None
        dating = date_document(
            body_paragraphs(doc), page_date(doc), url, entry.date if entry else None
        )
        meta = documents.DocumentMeta(
            url=url,
            published=dating.date.value if dating.date else None,
            language=entry.language if entry else None,
            outlet_from=named_by,
            published_from=dating.date.source if dating.date else None,
            published_inferred=dating.date.inferred if dating.date else None,
            undated_day=dating.undated_day,
        )
        with run.transaction() as record:
            existing = documents.find_by_hash(db, turn.sha)
            if not existing:
                found, version = names.current()
                doc_id, previous = documents.insert_document(
                    db,
                    doc,
                    key=turn.key,
                    path=str(item.path) if item.path else None,
                    source=name,
                    sha256=turn.sha,
                    run_id=record(),
                    names=found,
                    glossary_version=version,
                    meta=meta,
                )
        if existing:
            return _seen(item, turn.key, existing)
    except InputError as exc:
        return IngestResult(item.name, "failed", message=str(exc))
    return IngestResult(
        item.name,
        "new-version" if previous else "added",
        doc_id=doc_id,
        message=f"new version of document {previous}" if previous else None,
        warning=doc.encoding_warning,
        lang=doc.lang,
        sentences=sum(s.kind != BOILERPLATE for s in doc.segments),
        boilerplate=sum(s.kind == BOILERPLATE for s in doc.segments),
    )
