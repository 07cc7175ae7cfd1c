"""Writes docs/reference/commands.md from the CLI's own `--help`: every command and subcommand of
`newsalign`, in the order `--help` lists them, each with its help text verbatim.

    python docs/gen_reference.py            # rewrite docs/reference/commands.md
    python docs/gen_reference.py --check    # exit 1 if the committed page differs

tests/test_reference.py runs the check, so the page cannot drift from the code."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import typer.main

from newsalign.corpus.cli.app import app
from newsalign.corpus.cli.app import main as main_program

PAGE = Path(__file__).resolve().parent / "reference" / "commands.md"

HEADER = """\
# Command reference

This page is generated from the commands' own `--help` by `python docs/gen_reference.py`
(`make docs` runs it); a test fails when it differs from what `--help` prints. Every command
takes `--db PATH` (or `$NEWSALIGN_DB`); `-h` is `--help` everywhere. How errors are reported and
what the exit codes mean: [Exit codes and errors](exit-codes.md). Where a command's behaviour is
explained at length: [Ingest](../explain/ingest.md), [Translation](../explain/translation.md),
[The glossary](../explain/glossary.md), [Aligning claims](../explain/alignment.md),
[Stories, first reports and the report](../explain/stories.md),
[Review and corrections](../howto/review.md),
[Export, query, search and serve](../howto/export.md).
"""


def commands() -> Iterator[tuple[str, ...]]:
    """Every command path under `newsalign`, the root first, groups before their subcommands,
    in the order the groups register them (the order `--help` lists them)."""

    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in (getattr(command, "commands", None) or {}).items():
            yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(app), ())


def help_text(path: tuple[str, ...]) -> str:
    """What `newsalign PATH --help` prints on an 80-column terminal: the program's own entry
    point, run in this process (typer's CliRunner would force another width)."""
    out = io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    try:
        with contextlib.redirect_stdout(out):
            code = main_program([*path, "--help"])
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    if code != 0:
        raise RuntimeError(f"newsalign {' '.join(path)} --help exited {code}")
    return out.getvalue().rstrip() + "\n"


def render() -> str:
    """The whole page."""
    parts = [HEADER]
    for path in commands():
        level = "###" if len(path) > 1 else "##"
        title = " ".join(("newsalign", *path))
        parts.append(f"\n{level} `{title}`\n\n```text\n{help_text(path)}```\n")
    return "".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} differs from --help: run python docs/gen_reference.py", file=sys.stderr)
            return 1
        return 0
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
