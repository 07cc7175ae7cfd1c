r"""Reading and writing glossary files: TSV (the shipped, reviewable form), CSV and JSON.

One row per spelling; entity and name fields repeat on each row, so a diff shows exactly which
spelling changed. Output is sorted, so export → import → export is byte-identical.

TSV escapes what would break its rows and columns: a backslash is written `\\`, a tab `\t`, a
newline `\n`, a carriage return `\r`, and the other control characters (those that end a line,
U+001C-U+001E, U+0085, U+2028, U+2029, and those a terminal acts on: escapes, C1 controls, bidi
overrides) `\uXXXX`; import reads them back. CSV quotes and JSON escapes such characters by
their own rules (JSON's output with the same characters as `\uXXXX`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsalign.glossary import safetext
from newsalign.glossary.errors import GlossaryError
from newsalign.glossary.files import read_limited
from newsalign.glossary.model import ENTITY_TYPES, Entity, Name, Spelling

COLUMNS = ("entity", "type", "label", "geonames_id", "wikidata_id", "notes", "name", "usage",
           "canonical", "valid_from", "valid_to", "spelling", "lang", "script")  # fmt: skip
CREDIT = (
    "Entities with a geonames_id take their spellings from GeoNames (geonames.org), "
    "licensed CC BY 4.0."
)
FORMATS = ("tsv", "csv", "json")
MAX_FILE_BYTES = 256 * 2**20  # the shipped glossary is well under 1 MB
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_SCRIPT = re.compile(r"^[A-Z][a-z]{3}$")
_TRUE, _FALSE = ("yes", "true", "1", "y"), ("", "no", "false", "0", "n")
_TSV_SPECIAL = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_TSV_ESCAPED = re.compile(r"\\(\\|t|n|r|u[0-9a-f]{4})")
_TSV_SHORT = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_LONG = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _tsv_escape(value: str) -> str:
    return _TSV_SPECIAL.sub(lambda m: _TSV_SHORT.get(m[0]) or f"\\u{ord(m[0]):04x}", value)


def _tsv_unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _TSV_ESCAPED.sub(lambda m: _TSV_LONG.get(m[1]) or chr(int(m[1][1:], 16)), value)


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The file format: explicit, or from the file's extension."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise GlossaryError(f"unknown glossary format {fmt!r} (use {', '.join(FORMATS)})")
    return fmt


def _name_order(name: Name) -> tuple[bool, str]:
    return (not name.canonical, name.name.casefold())


def sorted_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Entities, names and spellings in the one order every export uses."""
    return [
        Entity(
            e.key,
            e.type,
            e.label,
            e.geonames_id,
            e.wikidata_id,
            e.notes,
            tuple(
                Name(
                    n.name,
                    n.usage,
                    n.canonical,
                    n.valid_from,
                    n.valid_to,
                    tuple(sorted(set(n.spellings), key=lambda s: (s.lang, s.text, s.script))),
                )
                for n in sorted(e.names, key=_name_order)
            ),
        )
        for e in sorted(entities, key=lambda e: e.key)
    ]


def rows(entities: Iterable[Entity]) -> list[tuple[str, ...]]:
    """One tuple per spelling, in export order."""
    out = []
    for e in sorted_entities(entities):
        for n in e.names:
            for s in n.spellings:
                out.append(
                    (
                        e.key,
                        e.type,
                        e.label,
                        e.geonames_id,
                        e.wikidata_id,
                        e.notes,
                        n.name,
                        n.usage,
                        "yes" if n.canonical else "",
                        n.valid_from,
                        n.valid_to,
                        s.text,
                        s.lang,
                        s.script,
                    )
                )
    return out


def dumps(entities: Iterable[Entity], fmt: str = "tsv") -> str:
    """Serialise a glossary in `fmt` (tsv, csv or json)."""
    entities = list(entities)
    if fmt == "json":
        data = {
            "format": "newsalign-glossary",
            "version": 1,
            "credit": CREDIT,
            "entities": [
                {
                    "key": e.key,
                    "type": e.type,
                    "label": e.label,
                    "geonames_id": e.geonames_id,
                    "wikidata_id": e.wikidata_id,
                    "notes": e.notes,
                    "names": [
                        {
                            "name": n.name,
                            "usage": n.usage,
                            "canonical": n.canonical,
                            "valid_from": n.valid_from,
                            "valid_to": n.valid_to,
                            "spellings": [
                                {"text": s.text, "lang": s.lang, "script": s.script}
                                for s in n.spellings
                            ],
                        }
                        for n in e.names
                    ],
                }
                for e in sorted_entities(entities)
            ],
        }
        return safetext.json_escaped(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    if fmt == "tsv":
        lines = [f"# newsalign glossary. {CREDIT}", "\t".join(COLUMNS)]
        lines += ["\t".join(_tsv_escape(value) for value in row) for row in rows(entities)]
        return "\n".join(lines) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        # The csv module quotes a field holding "\n" but not one holding a lone "\r", which it
        # then cannot read back: such rows are written with every field quoted.
        quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(COLUMNS)
        for row in rows(entities):
            safe = safetext.csv_row(row)  # no spreadsheet formulas
            (quoted if any("\r" in str(value) for value in safe) else writer).writerow(safe)
        return buffer.getvalue()
    raise GlossaryError(f"unknown glossary format {fmt!r}")


def load(path: Path, fmt: str | None = None) -> list[Entity]:
    """Read a glossary file (format from `fmt` or its extension); an unreadable file, one that
    is not UTF-8, or a malformed row raises GlossaryError."""
    data = read_limited(path, MAX_FILE_BYTES, what="glossary file", error=GlossaryError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryError(f"{path} is not UTF-8 text") from None
    return loads(text, format_for(path, fmt))


def loads(text: str, fmt: str = "tsv") -> list[Entity]:
    """Parse a glossary file; any malformed row refuses the whole file, naming its line."""
    if fmt == "json":
        return _from_json(text)
    if fmt == "tsv":
        # Rows end at a newline only (CRLF too): other line breaks are escaped in values.
        numbered = [
            (n, [_tsv_unescape(cell.strip()) for cell in line.removesuffix("\r").split("\t")])
            for n, line in enumerate(text.split("\n"), start=1)
            if line.strip() and not line.startswith("#")
        ]
    elif fmt == "csv":
        reader = csv.reader(io.StringIO(text))
        try:
            numbered = [
                (reader.line_num, [safetext.csv_unescape(c) for c in row])
                for row in reader
                if any(c.strip() for c in row)
            ]
        except csv.Error as exc:  # a field over the csv module's limit (131,072 characters)
            raise GlossaryError(f"line {reader.line_num}: not valid CSV ({exc})") from None
    else:
        raise GlossaryError(f"unknown glossary format {fmt!r}")
    if not numbered:
        raise GlossaryError("empty glossary file: no header row")
    header_line, header = numbered[0]
    if tuple(c.strip() for c in header) != COLUMNS:
        raise GlossaryError(f"line {header_line}: header must be the columns {', '.join(COLUMNS)}")
    records = []
    for number, cells in numbered[1:]:
        if len(cells) != len(COLUMNS):
            raise GlossaryError(
                f"line {number}: expected {len(COLUMNS)} columns, found {len(cells)}"
            )
        records.append((number, dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))))
    return _assemble(records)


def _from_json(text: str) -> list[Entity]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GlossaryError(f"line {exc.lineno}: invalid JSON ({exc.msg})") from None
    except RecursionError:
        raise GlossaryError("not a newsalign glossary: JSON nested too deeply") from None
    except ValueError as exc:  # a number of thousands of digits (Python's int limit)
        raise GlossaryError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise GlossaryError('not a newsalign glossary: expected an object with "entities"')
    records: list[tuple[str, dict[str, str]]] = []
    for i, e in enumerate(data["entities"]):
        where = f"entities[{i}]"
        if not isinstance(e, dict) or not isinstance(e.get("names"), list) or not e["names"]:
            raise GlossaryError(f"{where}: an entity needs a non-empty list of names")
        for j, n in enumerate(e["names"]):
            if not isinstance(n, dict) or not isinstance(n.get("spellings"), list):
                raise GlossaryError(f"{where}.names[{j}]: a name needs a list of spellings")
            spellings = n["spellings"] or [{"text": n.get("name", "")}]
            for k, s in enumerate(spellings):
                if not isinstance(s, dict):
                    raise GlossaryError(f"{where}.names[{j}].spellings[{k}]: not an object")
                row = {
                    "entity": e.get("key"),
                    "type": e.get("type"),
                    "label": e.get("label"),
                    "geonames_id": e.get("geonames_id"),
                    "wikidata_id": e.get("wikidata_id"),
                    "notes": e.get("notes"),
                    "name": n.get("name"),
                    "usage": n.get("usage"),
                    "canonical": "yes" if n.get("canonical") else "",
                    "valid_from": n.get("valid_from"),
                    "valid_to": n.get("valid_to"),
                    "spelling": s.get("text"),
                    "lang": s.get("lang"),
                    "script": s.get("script"),
                }
                clean = {}
                for column, value in row.items():
                    if value is not None and not isinstance(value, str | int):
                        raise GlossaryError(f"{where}: {column} must be a string")
                    if isinstance(value, int) and value.bit_length() > 64:
                        raise GlossaryError(f"{where}: {column} is too long a number")
                    clean[column] = "" if value is None else str(value).strip()
                records.append((f"{where}.names[{j}].spellings[{k}]", clean))
    return _assemble(records)


def _check_row(row: dict[str, str]) -> str | None:
    if not _KEY.match(row["entity"]):
        return f"entity key {row['entity']!r} must be lowercase letters, digits, '.', '_' or '-'"
    if row["type"] not in ENTITY_TYPES:
        return f"type {row['type']!r} is not one of {', '.join(ENTITY_TYPES)}"
    for column in ("label", "name", "spelling"):
        if not row[column]:
            return f"{column} is empty"
    if row["canonical"].lower() not in _TRUE + _FALSE:
        return f"canonical must be yes or empty, not {row['canonical']!r}"
    for column in ("valid_from", "valid_to"):
        if row[column] and not _is_date(row[column]):
            return f"{column} {row[column]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    first, last = row["valid_from"], row["valid_to"]
    if first and last and first > {4: last + "-12-31", 7: last + "-31"}.get(len(last), last):
        return f"valid_from {row['valid_from']} is after valid_to {row['valid_to']}"
    if row["lang"] and not _LANG.match(row["lang"]):
        return f"lang {row['lang']!r} is not a two- or three-letter language code"
    if row["script"] and not _SCRIPT.match(row["script"]):
        return f"script {row['script']!r} is not an ISO 15924 code such as Latn or Cyrl"
    if row["geonames_id"] and not (row["geonames_id"].isascii() and row["geonames_id"].isdigit()):
        return f"geonames_id {row['geonames_id'][:40]!r} is not a number"
    if len(row["geonames_id"]) > 12:
        return f"geonames_id {row['geonames_id'][:20]}... is not a GeoNames id (too many digits)"
    if row["wikidata_id"] and not re.match(r"^Q\d+$", row["wikidata_id"]):
        return f"wikidata_id {row['wikidata_id']!r} is not a Wikidata id such as Q1234"
    return None


def _is_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day the calendar has (no 2024-99-99)."""
    if not _DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        datetime.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return True


def _at(where: Any) -> str:
    return f"line {where}" if isinstance(where, int) else str(where)


def _assemble(records: list[tuple[Any, dict[str, str]]]) -> list[Entity]:
    entity_fields: dict[str, tuple[Any, tuple[str, ...]]] = {}
    name_fields: dict[tuple[str, str], tuple[Any, tuple[str, ...]]] = {}
    spellings: dict[tuple[str, str], list[Spelling]] = {}
    for where, row in records:
        problem = _check_row(row)
        if problem:
            raise GlossaryError(f"{_at(where)}: {problem}")
        e_fields = tuple(row[c] for c in ("type", "label", "geonames_id", "wikidata_id", "notes"))
        first = entity_fields.setdefault(row["entity"], (where, e_fields))
        if first[1] != e_fields:
            raise GlossaryError(
                f"{_at(where)}: entity {row['entity']!r} has different type, label, ids or "
                f"notes than at {_at(first[0])}"
            )
        canonical = row["canonical"].lower() in _TRUE
        n_fields = (row["usage"], "yes" if canonical else "", row["valid_from"], row["valid_to"])
        key = (row["entity"], row["name"])
        first_name = name_fields.setdefault(key, (where, n_fields))
        if first_name[1] != n_fields:
            raise GlossaryError(
                f"{_at(where)}: name {row['name']!r} of {row['entity']!r} has different usage, "
                f"canonical flag or dates than at {_at(first_name[0])}"
            )
        spellings.setdefault(key, []).append(Spelling(row["spelling"], row["lang"], row["script"]))
    # Names grouped by entity in one pass: filtering every name per entity was quadratic
    # (20,000 entities took 20 s).
    names_of: dict[str, list[Name]] = {}
    for (entity_key, name), (_, (usage, flag, vf, vt)) in name_fields.items():
        names_of.setdefault(entity_key, []).append(
            Name(name, usage, flag == "yes", vf, vt, tuple(spellings[(entity_key, name)]))
        )
    entities = []
    for entity_key, (
        where,
        (etype, label, geonames_id, wikidata_id, notes),
    ) in entity_fields.items():
        names = names_of[entity_key]
        canonical = [n for n in names if n.canonical]
        if len(canonical) > 1:
            raise GlossaryError(
                f"{_at(where)}: entity {entity_key!r} has {len(canonical)} canonical names "
                f"({', '.join(n.name for n in canonical)}); mark one"
            )
        entities.append(
            Entity(entity_key, etype, label, geonames_id, wikidata_id, notes, tuple(names))
        )
    return sorted_entities(entities)
