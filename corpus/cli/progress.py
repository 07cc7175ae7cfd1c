"""Progress of long commands on a terminal: a bar under the command's output with the items
done, their rate and the time left, drawn by rich, and gone when the command ends. Only when
stdout and stderr are both a terminal (the lines the command prints meanwhile, on either,
are shown above the bar) and `--json` was not given: piped or scripted output gets nothing
extra.

Library functions report progress through a callback `(done, total)`; `progress()` gives the
callback to pass them, or None when nothing is to be drawn."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[[int, int], None]


def on_terminal() -> bool:
    """Whether output goes to a terminal (stdout and stderr both)."""
    return sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def progress(label: str, unit: str, *, quiet: bool = False) -> Iterator[Update | None]:
    """A callback drawing `label`'s progress in `unit`s (see the module docstring), or None
    (also when `quiet`: `--json`, say)."""
    if quiet or not on_terminal():
        yield None
        return
    # rich is imported here, on a terminal only: it costs every command 0.1 s to start.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(soft_wrap=True),  # long lines are the terminal's to wrap
        transient=True,
        redirect_stdout=True,
        redirect_stderr=True,
    )
    start = time.monotonic()
    with bar:
        task = bar.add_task(label, total=None, rate=f"- {unit}/s")

        def update(done: int, total: int) -> None:
            elapsed = time.monotonic() - start
            rate = f"{done / elapsed:,.1f} {unit}/s" if done and elapsed > 0 else f"- {unit}/s"
            bar.update(task, completed=done, total=total or None, rate=rate)

        yield update
