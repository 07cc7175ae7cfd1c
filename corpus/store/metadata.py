"""Corrections of a document's metadata: outlet, URL, date, language.

`newsalign documents set`, and a re-ingest with an edited manifest or `--source`, change the
stored document in place (its text, segments, translations and claims stay) and record each
change in `document_corrections` by doc_key, the way a person's alignment decisions are kept:
a later version of the same file gets the corrections again, and neither `align` nor a
re-ingest without new values undoes them. The latest value of a field wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.ingest.manifest import checked
from newsalign.corpus.store.database import now, transaction

FIELDS = ("outlet", "url", "date", "language")
_COLUMN = {"outlet": "source", "url": "url", "date": "published", "language": "lang"}


@dataclass(frozen=True)
class Change:
    """One field of one document changed: from what, to what."""

    doc_id: int
    field: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Correction:
    """A recorded correction, with the document it names now (None: no longer current)."""

    id: int
    doc_key: str
    doc_id: int | None
    field: str
    value: str | None
    previous: str | None
    how: str  # correction (documents set), manifest, option (--source)
    created_at: str


def validate(values: dict[str, str | None]) -> dict[str, str]:
    """The values given, checked and normalised; a bad one is refused in one line."""
    out = {}
    for field, value in values.items():
        if value is None:
            continue
        if field not in FIELDS:
            raise CorpusError(f"unknown field {field!r} (use {', '.join(FIELDS)})")
        if not value.strip():
            raise CorpusError(f"--{field} needs a value")
        value = checked(field, value)
        out[field] = value
    return out


def changes(db: sqlite_utils.Database, doc_id: int, values: dict[str, str]) -> list[Change]:
    """What setting `values` on document `doc_id` would change (fields already so: nothing)."""
    row = db.execute(
        "SELECT source, url, published, lang FROM documents WHERE id = ?", [doc_id]
    ).fetchone()
    if row is None:
        raise CorpusError(f"no document {doc_id}")
    current = dict(zip(("outlet", "url", "date", "language"), row, strict=True))
    return [Change(doc_id, f, current[f], v) for f, v in values.items() if current[f] != v]


def apply(db: sqlite_utils.Database, found: list[Change], how: str, *, record: bool = True) -> None:
    """Write `found` to the documents (and record them); the caller holds the transaction."""
    for change in found:
        column = _COLUMN[change.field]
        extra = {
            "outlet": ", outlet_from = ?",
            "date": ", published_from = ?, published_inferred = NULL",
            "language": ", lang_prob = 1.0",
        }.get(change.field, "")
        params = [change.new] + ([how] if "?" in extra else []) + [change.doc_id]
        db.execute(f"UPDATE documents SET {column} = ?{extra} WHERE id = ?", params)
        if record:
            db.execute(
                "INSERT INTO document_corrections (doc_key, field, value, previous, how, "
                "created_at) SELECT doc_key, ?, ?, ?, ?, ? FROM documents WHERE id = ?",
                [change.field, change.new, change.old, how, now(), change.doc_id],
            )


def set_metadata(
    db: sqlite_utils.Database, doc_id: int, values: dict[str, str | None]
) -> list[Change]:
    """`documents set`: correct one current document's metadata; returns what changed."""
    checked = validate(values)
    if not checked:
        raise CorpusError("nothing to set: give --outlet, --date, --url or --lang")
    row = db.execute("SELECT is_current FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise CorpusError(f"no document {doc_id} (see `newsalign query` or `newsalign stats`)")
    if not row[0]:
        raise CorpusError(f"document {doc_id} is an older version; correct the current one")
    found = changes(db, doc_id, checked)
    if found:
        with transaction(db):
            apply(db, found, "correction")
    return found


def _latest(db: sqlite_utils.Database, key: str) -> dict[str, tuple[str, str | None, str]]:
    """Field -> (value, previous value, how) of the latest correction of each field of `key`."""
    latest = {}
    for field, value, previous, how in db.execute(
        "SELECT field, value, previous, how FROM document_corrections WHERE doc_key = ? "
        "ORDER BY id",
        [key],
    ):
        latest[field] = (value, previous, how)
    return latest


def stale(db: sqlite_utils.Database, key: str, field: str, value: str) -> bool:
    """True when a person's correction (`documents set`) replaced exactly `value`: a manifest or
    --source that still says it has not been edited since, and does not undo the correction."""
    found = _latest(db, key).get(field)
    return found is not None and found[2] == "correction" and found[1] == value


def reapply(db: sqlite_utils.Database, doc_id: int, key: str, given: dict[str, str]) -> None:
    """A new version of `key` keeps the latest correction of each field, unless this ingest
    gave the field a new value (not the one a person corrected); the caller holds the
    transaction."""
    latest = _latest(db, key)
    wanted = {
        f: v
        for f, (v, previous, how) in latest.items()
        if v is not None and (f not in given or (how == "correction" and given[f] == previous))
    }
    for change in changes(db, doc_id, wanted):
        apply(db, [change], latest[change.field][2], record=False)


def list_corrections(db: sqlite_utils.Database) -> list[Correction]:
    """Every recorded correction, oldest first."""
    return [
        Correction(*row)
        for row in db.execute(
            "SELECT c.id, c.doc_key, d.id, c.field, c.value, c.previous, c.how, c.created_at "
            "FROM document_corrections c LEFT JOIN documents d "
            "ON d.doc_key = c.doc_key AND d.is_current = 1 ORDER BY c.id"
        )
    ]


def describe(found: list[Change]) -> str:
    """ "outlet 'a' -> 'b', date none -> 2024-05-27"."""
    return ", ".join(
        f"{c.field} {c.old!r} -> {c.new!r}" if c.old is not None else f"{c.field} none -> {c.new!r}"
        for c in found
    )
