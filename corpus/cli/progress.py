"""Progress of long commands on a terminal: a bar under the command's output with the items
done, their rate and the time left, drawn by rich, and gone when the command ends. Only when
stdout and stderr are both a terminal (the lines the command prints meanwhile, on either,
are shown above the bar) and `--json` was not given: piped or scripted output gets nothing
extra.

Library functions report progress through a callback `(done, total)`; `progress()` gives the
callback to pass them, or None when nothing is to be drawn."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

Update = Callable[[int, int], None]


def on_terminal(as_json: bool = False) -> bool:
    """Whether progress is drawn: output to a terminal, and not JSON for a script."""
    return not as_json and sys.stdout.isatty() and sys.stderr.isatty()


class _Rate(ProgressColumn):
    """Items per second, over rich's recent window."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} {self.unit}/s" if speed else f"- {self.unit}/s")


@contextmanager
def progress(label: str, unit: str, *, as_json: bool = False) -> Iterator[Update | None]:
    """A callback drawing `label`'s progress in `unit`s (see the module docstring), or None.
    Lines the command prints meanwhile go above the bar."""
    if not on_terminal(as_json):
        yield None
        return
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(unit),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(soft_wrap=True),  # long lines are the terminal's to wrap
        transient=True,
        redirect_stdout=True,
        redirect_stderr=True,
    )
    with bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update
