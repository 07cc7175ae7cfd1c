"""CSV cells a spreadsheet will not run: OWASP's defence against formula injection.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`, `@SUM(1+1)`), so every
CSV newsalign writes puts a single quote before it, which spreadsheets show as text. A cell
that already starts with a quote gets one more, so reading a file back can undo exactly what
writing it did: one leading quote is removed only where a trigger or a second quote follows
it (a hand-written `'s-Hertogenbosch` keeps its apostrophe).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def escape(value: Any) -> Any:
    """`value` as a CSV cell a spreadsheet shows as text; numbers and None are left alone."""
    if isinstance(value, str) and value.startswith((*TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def unescape(cell: str) -> str:
    """A cell as `escape` received it."""
    if cell.startswith(QUOTE) and cell[1:2] and cell[1] in (*TRIGGERS, QUOTE):
        return cell[1:]
    return cell


def row(values: Iterable[Any]) -> list[Any]:
    """A row of escaped cells."""
    return [escape(v) for v in values]
