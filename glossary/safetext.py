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

Bidi overrides: U+202E (RIGHT-TO-LEFT OVERRIDE) and the other explicit embeddings, overrides and
isolates reorder what follows them on screen, so "invoice<U+202E>fdp.exe" shows as "invoiceexe.pdf",
in a terminal, a browser or a spreadsheet alike. `mark_bidi` replaces each with a visible mark
(`[U+202E]`), so what is shown is what is stored, and a reader sees that the text held one.
`neutral` is what text may look like wherever people read it. JSON keeps text exact:
`json_escaped` writes these characters (and C1 controls, which JSON leaves raw) as `\\uXXXX`.
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


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_MARKS = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}
# What JSON leaves raw and a terminal acts on: DEL and C1 controls (U+009B is CSI), the bidi
# controls and marks, and the line and paragraph separators.
_JSON_RAW = [*range(0x7F, 0xA0), *map(ord, BIDI_CONTROLS), 0x200E, 0x200F, 0x061C, 0x2028, 0x2029]
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in _JSON_RAW}


def mark_bidi(text: str) -> str:
    """`text` with each bidi embedding, override or isolate shown as `[U+202E]`."""
    return text.translate(_BIDI_MARKS)


def neutral(text: str) -> str:
    """`text` as people may see it: no escape sequences or controls (newline, tab kept), bidi
    overrides marked."""
    return mark_bidi(strip_controls(text))


def shown_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row of text people read (exports, query results): each text cell `neutral` (a
    spreadsheet reorders text as a terminal does), then escaped as `csv_row` does."""
    return csv_row(neutral(v) if isinstance(v, str) else v for v in values)


def json_escaped(dumped: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with the characters a terminal would
    act on written as \\uXXXX escapes: the same JSON value, safe to print. These characters can
    only stand inside strings, so the replacement never touches the JSON's structure."""
    return dumped.translate(_JSON_ESCAPES)
