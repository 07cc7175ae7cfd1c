"""Paths and small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


def seed(prefix: str) -> Path:
    """The seed article whose file name starts with `prefix` ("000" ... "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def fetch(db_path: Path, sql: str, params=()) -> list[tuple]:
    """Rows of `sql` on a fresh connection (so a test sees only what was committed)."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
