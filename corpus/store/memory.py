"""The translation memory in the database: import, lookup counts."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from newsalign.corpus.store.database import now
from newsalign.translate.errors import TranslateError
from newsalign.translate.memory_formats import Unit, normalize, parse_tmx, parse_tsv


def read_units(path: Path, fmt: str | None, source: str | None, target: str | None) -> list[Unit]:
    """Parse a TSV or TMX file into units; TSV needs the languages given."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TranslateError(f"cannot read {path}: {exc.strerror}") from None
    if fmt == "tmx":
        return parse_tmx(data, source, target)
    if fmt in ("tsv", "txt"):
        if not source or not target:
            raise TranslateError("a TSV memory needs --from and --to (e.g. --from de --to en)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TranslateError(f"{path.name} is not UTF-8 text") from None
        return parse_tsv(text, source, target)
    raise TranslateError(f"unknown memory format {fmt!r} (use tsv or tmx)")


def import_units(db: sqlite_utils.Database, units: list[Unit], origin: str) -> tuple[int, int]:
    """Store units in one transaction; a source already in memory is replaced. Returns
    (new, replaced)."""
    new = replaced = 0
    with db.atomic():
        for u in units:
            key = [u.source_lang, u.target_lang, normalize(u.source)]
            exists = db.execute(
                "SELECT id FROM tm WHERE source_lang = ? AND target_lang = ? AND source_norm = ?",
                key,
            ).fetchone()
            if exists:
                db.execute(
                    "UPDATE tm SET source = ?, target = ?, origin = ?, imported_at = ? WHERE id = ?",
                    [u.source, u.target, origin, now(), exists[0]],
                )
                replaced += 1
            else:
                db.execute(
                    "INSERT INTO tm (source_lang, target_lang, source, source_norm, target, origin, "
                    "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [u.source_lang, u.target_lang, u.source, key[2], u.target, origin, now()],
                )
                new += 1
    return new, replaced
