"""Rendering records for the terminal: aligned tables, CSV and JSON.

Human output goes through `echo` or the tables, which strip terminal escape sequences and
control characters that article text may carry and mark bidi overrides (`terminal_safe`); JSON
stays exact, with what a terminal would act on written as \\u escapes; CSV cells are cleaned as
human output is, and made spreadsheet-safe."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

import typer

from newsalign.glossary.safetext import json_escaped, neutral, shown_row


def terminal_safe(text: str) -> str:
    """`text` as it may reach a terminal: no escape sequences, no controls but newline and
    tab, bidi overrides shown as `[U+202E]`. The one place human output is cleaned."""
    return neutral(text)


_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def inline(text: str) -> str:
    """`text` on one line with what it hides made visible: line breaks, tabs, escapes, other
    control and format characters (bidi overrides, zero-width spaces) written as `\\n`,
    `\\x1b`, `\\u202e`. For names printed one per line: a file name may hold any of them."""
    return "".join(
        _SHOWN.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
        else c
        for c in text
    )


class Shown:
    """A text stream written as human output is: no terminal escapes, bidi overrides marked
    (for exports and reports sent to a terminal rather than a file or a pipe)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def echo(message: Any = "", *, err: bool = False) -> None:
    """Print one line of human output, cleaned for the terminal."""
    typer.echo(terminal_safe(str(message)), err=err)


def to_json(data: Any) -> str:
    """Pretty, UTF-8 JSON; records (dataclasses) at any depth become objects, and anything
    else JSON lacks (paths, dates) its string."""
    return json_escaped(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row; text cells cleaned as human output is, and those a spreadsheet
    would run as formulas quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(shown_row(columns))
    writer.writerows(shown_row(r) for r in rows)
    return buffer.getvalue()


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else terminal_safe(str(value)).replace("\n", " ")
    text = text.replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 80) -> str:
    """A plain aligned text table; long cells are cut to `max_width` characters."""
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([len(col)] + [len(row[i]) for row in cells]) for i, col in enumerate(columns)]
    lines = ["  ".join(col.ljust(w) for col, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    return "\n".join(lines)


def records_table(records: Sequence[Any], max_width: int = 80) -> str:
    """A table of dataclass records, one column per field."""
    columns = [f.name for f in dataclasses.fields(records[0])]
    return to_table(columns, [[getattr(r, c) for c in columns] for r in records], max_width)


def cut(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis."""
    return _cell(text, width)
