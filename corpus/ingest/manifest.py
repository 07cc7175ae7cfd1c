"""Manifests: per-file metadata that comes with a collection (TSV or CSV with a header).

Columns: `file` (required; relative to the manifest's folder, or absolute), and any of `url`,
`outlet`, `language`, `date`; other columns are ignored, so `shared/stories/*/index.tsv` works
as it is. A row naming no existing file, a bad date or language is reported with its line
number, and that file is not ingested until the row is fixed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsalign.corpus.errors import CorpusError
from newsalign.glossary.files import read_limited

COLUMNS = ("file", "url", "outlet", "language", "date")
MAX_MANIFEST_BYTES = 64 * 2**20  # some 500,000 rows
_ALIASES = {"lang": "language", "published": "date", "source": "outlet", "path": "file"}
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Entry:
    """One manifest row: the file and what the manifest says of it."""

    line: int
    file: Path
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Problem:
    line: int
    file: str
    message: str

    def __str__(self) -> str:
        return f"manifest line {self.line}: {self.message}"


def valid_date(value: str) -> str | None:
    """`value` as an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) if it is one, else None."""
    value = value.strip()
    parts = value.split("-")
    try:
        if re.fullmatch(r"\d{4}", value):
            return value
        if re.fullmatch(r"\d{4}-\d{2}", value):
            date(int(parts[0]), int(parts[1]), 1)
            return value
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        return None
    return None


def read_manifest(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The usable rows of a manifest, and the problems of the others. A manifest that cannot be
    read at all (missing, not UTF-8, no `file` column) raises CorpusError."""
    data = read_limited(path, MAX_MANIFEST_BYTES, what="manifest", error=CorpusError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"manifest {path} is not UTF-8 text") from None
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header_at = next((k for k, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_at is None:
        raise CorpusError(f"manifest {path} is empty")
    header = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in rows[header_at]]
    if "file" not in header:
        raise CorpusError(f"manifest {path}: the header has no `file` column "
                          f"(columns: {', '.join(COLUMNS)})")  # fmt: skip
    entries, problems = [], []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(c.strip() for c in row):
            continue
        cells = {name: (row[k].strip() if k < len(row) else "") for k, name in enumerate(header)}
        name = cells.get("file", "")
        if not name:
            problems.append(Problem(number, "", "no file named"))
            continue
        file = Path(name) if Path(name).is_absolute() else path.parent / name
        if not file.is_file():
            problems.append(Problem(number, name, f"no such file {name!r}"))
            continue
        when = cells.get("date", "")
        if when and valid_date(when) is None:
            problems.append(Problem(number, name, f"bad date {when!r} (use YYYY-MM-DD)"))
            continue
        language = cells.get("language", "").lower()
        if language and not _LANG.match(language):
            problems.append(
                Problem(number, name, f"bad language {language!r} (use a code such as de)")
            )
            continue
        entries.append(Entry(number, file, cells.get("url") or None, cells.get("outlet") or None,
                             language or None, valid_date(when) if when else None))  # fmt: skip
    return entries, problems
