"""Text made safe for where newsalign writes it: spreadsheets (CSV cells) and terminals.

CSV: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`, `@SUM(1+1)`), so
every CSV newsalign writes puts a single quote before it, as OWASP recommends; spreadsheets show
such a cell as text. A cell that already starts with a quote gets one more, so reading a file
back undoes exactly what writing it did: one leading quote is removed only where a trigger or a
second quote follows it (a hand-written `'s-Hertogenbosch` keeps its apostrophe).

Terminals: article text may hold escape sequences (OSC 52 writes the clipboard, OSC 0 the window
title, SGR 8 hides text). `strip_controls` removes every ANSI sequence, whole even where a cut
left it unterminated, and every other C0/C1 control but newline and tab.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# Each alternative starts at an escape or a control character and cannot backtrack past the
# next one, so the pattern runs in linear time.
_CONTROLS = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves, SGR 8
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS…
    r"|\x1b[ -/]*[0-~]?"  # any other escape
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # other controls (not \t, \n)
)


def csv_escape(value: Any) -> Any:
    """`value` as a CSV cell a spreadsheet shows as text; numbers and None are left alone."""
    if isinstance(value, str) and value.startswith((*TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def csv_unescape(cell: str) -> str:
    """A cell as `csv_escape` received it."""
    if cell.startswith(QUOTE) and cell[1:2] and cell[1] in (*TRIGGERS, QUOTE):
        return cell[1:]
    return cell


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row of escaped cells."""
    return [csv_escape(v) for v in values]


def strip_controls(text: str) -> str:
    """`text` without terminal escape sequences or control characters (newline, tab kept)."""
    return _CONTROLS.sub("", text)
