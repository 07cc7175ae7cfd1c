"""Manifests: per-file metadata that comes with a collection (TSV or CSV with a header).

Columns: `file` (required; relative to the manifest's folder, or absolute), and any of `url`,
`outlet`, `language`, `date`; other columns are ignored, so `shared/stories/*/index.tsv` works
as it is. A row naming no existing file, a bad date or language is reported with its line
number, and that file is not ingested until the row is fixed; so are two rows for one file.
A row naming a file outside the manifest's folder (`../x`, an absolute path, a link pointing
out) is refused the same way unless the caller follows links out (`--follow-symlinks`): a
collection's manifest describes that collection, and a hostile one could otherwise pull any
readable file (a private key) into the corpus, its exports and its server.
A manifest whose rows cannot be told apart (an unclosed quote in CSV, a field over the csv
module's limit, two columns of one name) is refused whole, naming the line.

`checked` says what a value of each field may be, for manifests, `--source` and `documents
set` alike: an outlet or URL holds no control or bidi-override characters (they would break a
line of output or write to the terminal), a date is a publication date (from 1600 to today), a
language an ISO 639 code CLDR knows.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from newsalign.corpus.errors import CorpusError
from newsalign.glossary.files import read_limited
from newsalign.glossary.safetext import BIDI_CONTROLS

COLUMNS = ("file", "url", "outlet", "language", "date")
MAX_MANIFEST_BYTES = 64 * 2**20  # some 500,000 rows
_ALIASES = {"lang": "language", "published": "date", "source": "outlet", "path": "file"}
_LANG = re.compile(r"^[a-z]{2,3}$")
# The first printed newspapers: an earlier publication date is a typing error.
FIRST_YEAR = 1600
# CLDR's codes that name no language: undetermined, multiple, no linguistic content, missing.
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})


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


def publication_date(value: str) -> bool:
    """Whether an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) can be a publication date: from
    FIRST_YEAR to today (a day ahead, for time zones)."""
    latest = (date.today() + timedelta(days=1)).isoformat()
    return int(value[:4]) >= FIRST_YEAR and value <= latest[: len(value)]


def known_language(code: str) -> bool:
    """Whether `code` (lowercase) is an ISO 639 language code CLDR names (via Babel)."""
    from babel import Locale

    return bool(_LANG.match(code)) and code not in _NOT_LANGUAGES and code in Locale("en").languages


def checked(field: str, value: str) -> str:
    """`value` as stored for `field` (outlet, url, date, language): trimmed, a date as ISO, a
    language code in lowercase. Raises CorpusError saying why it cannot be one."""
    value = value.strip()
    if field in ("outlet", "url"):
        hidden = next(
            (
                c
                for c in value
                if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS
            ),
            None,
        )
        if hidden is not None:
            raise CorpusError(
                f"{field} {value!r} holds a control character (U+{ord(hidden):04X}): "
                "it would break or rewrite the lines it is printed on"
            )
        if field == "url" and any(c.isspace() for c in value):
            raise CorpusError(f"url {value!r} holds a space: an address has none (write %20)")
    if field == "date":
        iso = valid_date(value)
        if iso is None:
            raise CorpusError(f"bad date {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
        if not publication_date(iso):
            raise CorpusError(
                f"bad date {value!r}: not a publication date (from {FIRST_YEAR} to today)"
            )
        value = iso
    if field == "language":
        value = value.lower()
        if not known_language(value):
            raise CorpusError(
                f"bad language {value!r}: not a language code (use an ISO 639 code such as de)"
            )
    return value


def _rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """The rows of a manifest with their line numbers. TSV is read without quote processing
    (a `"` is an ordinary character, so an unclosed one cannot swallow the rows after it); in
    CSV a field that runs over a line break is refused, as no manifest field holds one."""
    if path.suffix.lower() != ".csv":
        reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text), delimiter=",")
    rows = []
    start = 1
    try:
        for row in reader:
            if reader.line_num > start:
                raise CorpusError(
                    f'manifest {path} line {start}: a quote (") opened here is not '
                    "closed, so the field runs over the lines after it"
                )
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        why = str(exc)
        if "field limit" in why:
            why = f"a field longer than {csv.field_size_limit():,} characters, more than any needs"
        raise CorpusError(f"manifest {path} line {start}: {why}") from None
    return rows


def read_manifest(
    path: Path, *, follow_symlinks: bool = False
) -> tuple[list[Entry], list[Problem]]:
    """The usable rows of a manifest, and the problems of the others (rows naming a file
    outside the manifest's folder among them, unless `follow_symlinks`). A manifest that cannot
    be read at all (missing, not UTF-8, no `file` column) raises CorpusError."""
    data = read_limited(path, MAX_MANIFEST_BYTES, what="manifest", error=CorpusError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"manifest {path} is not UTF-8 text") from None
    numbered = _rows(path, text)
    header_at = next((k for k, (_, r) in enumerate(numbered) if any(c.strip() for c in r)), None)
    if header_at is None:
        raise CorpusError(f"manifest {path} is empty")
    header_line, raw_header = numbered[header_at]
    header = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in raw_header]
    if "file" not in header:
        raise CorpusError(
            f"manifest {path}: the header has no `file` column (columns: {', '.join(COLUMNS)})"
        )
    for name in COLUMNS:
        where = [str(k + 1) for k, h in enumerate(header) if h == name]
        if len(where) > 1:
            raise CorpusError(
                f"manifest {path} line {header_line}: columns {' and '.join(where)} "
                f"are both `{name}`; keep one"
            )
    entries, problems = [], []
    first_row: dict[Path, int] = {}
    folder = path.parent.resolve()
    for number, row in numbered[header_at + 1 :]:
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
        if not follow_symlinks and not file.resolve().is_relative_to(folder):
            problems.append(
                Problem(
                    number,
                    name,
                    f"{name!r} is outside the manifest's folder "
                    f"(it is {file.resolve()}): not read (--follow-symlinks "
                    "reads it)",
                )
            )
            continue
        given = {}
        try:
            for field in ("url", "outlet", "language", "date"):
                if cells.get(field):
                    given[field] = checked(field, cells[field])
        except CorpusError as exc:
            problems.append(Problem(number, name, str(exc)))
            continue
        key = file.resolve()
        if key in first_row:
            # Which row is right is the user's call: neither is taken.
            problems.append(
                Problem(
                    number, name, f"{name!r} is also on line {first_row[key]}: one row per file"
                )
            )
            entries = [e for e in entries if e.file.resolve() != key]
            continue
        first_row[key] = number
        entries.append(
            Entry(
                number,
                file,
                given.get("url"),
                given.get("outlet"),
                given.get("language"),
                given.get("date"),
            )
        )
    return entries, problems
