"""Reading and writing glossary files: TSV (the shipped, reviewable form), CSV and JSON.

One row per spelling; entity and name fields repeat on each row, so a diff shows exactly which
spelling changed. Output is sorted, so export → import → export is byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsalign.glossary import safetext
from newsalign.glossary.errors import GlossaryError
from newsalign.glossary.model import ENTITY_TYPES, Entity, Name, Spelling

COLUMNS = ("entity", "type", "label", "geonames_id", "wikidata_id", "notes", "name", "usage",
           "canonical", "valid_from", "valid_to", "spelling", "lang", "script")  # fmt: skip
CREDIT = (
    "Entities with a geonames_id take their spellings from GeoNames (geonames.org), "
    "licensed CC BY 4.0."
)
FORMATS = ("tsv", "csv", "json")
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_SCRIPT = re.compile(r"^[A-Z][a-z]{3}$")
_TRUE, _FALSE = ("yes", "true", "1", "y"), ("", "no", "false", "0", "n")


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
        )  # fmt: skip
        for e in sorted(entities, key=lambda e: e.key)
    ]


def rows(entities: Iterable[Entity]) -> list[tuple[str, ...]]:
    """One tuple per spelling, in export order."""
    out = []
    for e in sorted_entities(entities):
        for n in e.names:
            for s in n.spellings:
                out.append((
                    e.key, e.type, e.label, e.geonames_id, e.wikidata_id, e.notes, n.name,
                    n.usage, "yes" if n.canonical else "", n.valid_from, n.valid_to, s.text,
                    s.lang, s.script,
                ))  # fmt: skip
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
                }  # fmt: skip
                for e in sorted_entities(entities)
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "tsv":
        for row in rows(entities):
            for value in row:
                if "\t" in value or "\n" in value:
                    raise GlossaryError(f"a tab or newline in {value!r} cannot be written as TSV")
        lines = [f"# newsalign glossary. {CREDIT}", "\t".join(COLUMNS)]
        lines += ["\t".join(row) for row in rows(entities)]
        return "\n".join(lines) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(safetext.csv_row(r) for r in rows(entities))  # no spreadsheet formulas
        return buffer.getvalue()
    raise GlossaryError(f"unknown glossary format {fmt!r}")


def load(path: Path, fmt: str | None = None) -> list[Entity]:
    """Read a glossary file (format from `fmt` or its extension); an unreadable file, one that
    is not UTF-8, or a malformed row raises GlossaryError."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise GlossaryError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise GlossaryError(f"{path} is not UTF-8 text") from None
    return loads(text, format_for(path, fmt))


def loads(text: str, fmt: str = "tsv") -> list[Entity]:
    """Parse a glossary file; any malformed row refuses the whole file, naming its line."""
    if fmt == "json":
        return _from_json(text)
    if fmt == "tsv":
        numbered = [
            (n, line.split("\t"))
            for n, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.startswith("#")
        ]
    elif fmt == "csv":
        reader = csv.reader(io.StringIO(text))
        numbered = [(reader.line_num, [safetext.csv_unescape(c) for c in row])
                    for row in reader if any(c.strip() for c in row)]  # fmt: skip
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
                    "entity": e.get("key"), "type": e.get("type"), "label": e.get("label"),
                    "geonames_id": e.get("geonames_id"), "wikidata_id": e.get("wikidata_id"),
                    "notes": e.get("notes"), "name": n.get("name"), "usage": n.get("usage"),
                    "canonical": "yes" if n.get("canonical") else "",
                    "valid_from": n.get("valid_from"), "valid_to": n.get("valid_to"),
                    "spelling": s.get("text"), "lang": s.get("lang"), "script": s.get("script"),
                }  # fmt: skip
                clean = {}
                for column, value in row.items():
                    if value is not None and not isinstance(value, str | int):
                        raise GlossaryError(f"{where}: {column} must be a string")
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
        if row[column] and not _DATE.match(row[column]):
            return f"{column} {row[column]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if row["lang"] and not _LANG.match(row["lang"]):
        return f"lang {row['lang']!r} is not a two- or three-letter language code"
    if row["script"] and not _SCRIPT.match(row["script"]):
        return f"script {row['script']!r} is not an ISO 15924 code such as Latn or Cyrl"
    if row["geonames_id"] and not row["geonames_id"].isdigit():
        return f"geonames_id {row['geonames_id']!r} is not a number"
    if row["wikidata_id"] and not re.match(r"^Q\d+$", row["wikidata_id"]):
        return f"wikidata_id {row['wikidata_id']!r} is not a Wikidata id such as Q1234"
    return None


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
    entities = []
    for entity_key, (
        where,
        (etype, label, geonames_id, wikidata_id, notes),
    ) in entity_fields.items():
        names = [
            Name(name, usage, flag == "yes", vf, vt, tuple(spellings[(entity_key, name)]))
            for (ek, name), (_, (usage, flag, vf, vt)) in name_fields.items()
            if ek == entity_key
        ]
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
