"""Progress of long commands on a terminal: a bar under the command's output with the items
done, their rate and the time left, drawn by rich, and gone when the command ends. Only when
stdout and stderr are both a terminal (the lines the command prints meanwhile, on either,
are shown above the bar) and `--json` was not given: piped or scripted output gets nothing
extra.

Library functions report progress through a callback `(done, total)`; `progress()` gives the
callback to pass them, or None when nothing is to be drawn. A job in stages (`align`) also
names each stage: `staged()` gives both callbacks, and each stage's line stays above the bar."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[[int, int], None]
Stage = Callable[[str], None]


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
    bar = _bar(label)
    start = time.monotonic()
    with bar:
        task = bar.add_task(label, total=None, rate=f"- {unit}/s")

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, rate=_rate(done, start, unit))

        yield update


@contextmanager
def staged(label: str, unit: str, *, quiet: bool = False) -> Iterator[tuple[Update, Stage] | None]:
    """For a job in stages: `(update, stage)`, or None as `progress()`. `stage(text)` prints
    the time so far and `text` above the bar; `update(done, total)` draws the bar, labelled
    `label`, started again (its rate and time left too) whenever `done` falls back (the job
    began another pass) or a stage begins."""
    if quiet or not on_terminal():
        yield None
        return
    bar = _bar("{task.description}")
    start = time.monotonic()
    with bar:
        # One task per pass: a new one has no total, rate or time left of the last.
        now = {"task": bar.add_task("", total=None, rate=""), "start": start, "done": 0}

        def restart(description: str) -> None:
            bar.remove_task(now["task"])
            now.update(
                task=bar.add_task(description, total=None, rate=""), start=time.monotonic(), done=0
            )

        def stage(text: str) -> None:
            bar.console.print(
                f"[{time.monotonic() - start:5.1f} s] {text}…", markup=False, highlight=False
            )
            restart(text)

        def update(done: int, total: int) -> None:
            if done < now["done"]:
                restart(label)
            now["done"] = done
            bar.update(
                now["task"],
                completed=done,
                total=total or None,
                description=label,
                rate=_rate(done, now["start"], unit),
            )

        yield update, stage


def _rate(done: int, since: float, unit: str) -> str:
    elapsed = time.monotonic() - since
    return f"{done / elapsed:,.1f} {unit}/s" if done and elapsed > 0 else f"- {unit}/s"


def _bar(label: str):  # -> rich.progress.Progress, imported on a terminal only
    """The bar: `label` (a rich column format), bar, done/total, rate, time left."""
    # rich is imported here, on a terminal only: it costs every command 0.1 s to start.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(
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
