"""What ingest reads: the inputs a command line names, found (folders walked lazily in the
order of their sorted paths, links and special files judged, names that are not UTF-8
refused) and read within the size limit; and the record of what happened to each input."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsalign.corpus.errors import CorpusError, InputError
from newsalign.corpus.ingest.parse import FORMATS
from newsalign.glossary.files import read_limited

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


def printable(name: str) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _named_badly(path: str) -> IngestResult | None:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return IngestResult(
            printable(path), "failed", message="the file name is not valid UTF-8; rename the file"
        )
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
            return IngestResult(
                name,
                "failed",
                message="a symbolic link loop"
                if loop
                else "a broken symbolic link (it points to nothing)",
            )
        if not follow_symlinks and not target.is_relative_to(root):
            return IngestResult(
                name,
                "skipped",
                message=(
                    f"a link out of the folder (to {printable(str(target))}), not followed "
                    "(--follow-symlinks follows it)"
                ),
            )
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
            for found in _walk(path):
                if isinstance(found, OSError):
                    yield IngestResult(
                        printable(found.filename or raw),
                        "failed",
                        message=f"cannot read this folder: {found.strerror}",
                    )
                else:
                    yield _named_badly(str(found)) or _in_folder(found, root, follow_symlinks)
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


def _walk(folder: Path) -> Iterator[Path | OSError]:
    """The files of `folder` and its subfolders that ingest reads (known extensions, hidden
    files and folders left out), in the order of their sorted paths, or the error of a folder
    that cannot be read. Lazy: a folder of 100,000 articles is never listed whole. As with
    os.walk, links to folders are neither read nor descended (`_in_folder` judges links to
    files)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e.name, _kind(e)) for e in listing if not e.name.startswith("."))
    except OSError as exc:
        yield exc
        return
    for name, kind in entries:
        if kind == "folder":
            yield from _walk(folder / name)
        elif kind == "file" and Path(name).suffix.lower() in FORMATS:
            yield folder / name


def _kind(entry: os.DirEntry) -> str:
    try:
        if not entry.is_dir():
            return "file"
    except OSError:  # a link loop, say: judged as a file is (see _in_folder)
        return "file"
    return "link to a folder" if entry.is_symlink() else "folder"


def count_inputs(
    paths: Iterable[str], *, follow_symlinks: bool = False, skip: Collection[Path] = ()
) -> int:
    """How many results `discover` will give, but files in `skip` (for progress: a walk of the
    folders, nothing read)."""
    return sum(
        1
        for item in discover(paths, follow_symlinks=follow_symlinks)
        if not (isinstance(item, InputFile) and item.path and item.path.resolve() in skip)
    )


def max_input_bytes() -> int:
    """The largest input file ingested: $NEWSALIGN_MAX_INPUT_MB, else 10 MB. A news article is
    rarely more than a few hundred kilobytes, even as a saved page with its scripts."""
    try:
        return int(float(os.environ.get(ENV_MAX_INPUT_MB, DEFAULT_MAX_INPUT_MB)) * 1024 * 1024)
    except ValueError:
        raise CorpusError(f"${ENV_MAX_INPUT_MB} must be a number of megabytes") from None


def read_input(item: InputFile, stdin: BinaryIO | None, limit: int) -> bytes:
    """The bytes of `item` (standard input: `stdin`, else the process's), refused as
    InputError beyond `limit` bytes."""
    too_big = (
        f"more than {limit / 2**20:g} MB, the limit for one article "
        f"(--max-mb or ${ENV_MAX_INPUT_MB} raises it)"
    )
    if item.path is None:
        data = (stdin or sys.stdin.buffer).read(limit + 1)
        if len(data) > limit:
            raise InputError(too_big)
        return data
    return read_limited(item.path, limit, what=None, error=InputError, too_big=too_big)
