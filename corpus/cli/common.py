"""Pieces every command module of the CLI shares: options and error handling."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.distributed import connect
from newsalign.corpus.distributed.connect import ClusterError
from newsalign.corpus.errors import CorpusError, NewsalignError

# The one line of a command stopped by Ctrl-C, or by the end of input at a prompt (`review`).
INTERRUPTED = (
    "Error: interrupted; what was committed so far is kept (run the command again to go on)"
)


def from_group(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """An option a command shares with its group (`--db`, `--json`) may come before the
    command's name (`claims --db X list`) or after it (`claims list --db X`): given on the
    command line to the group and not to the command, the group's value holds."""
    if _given(ctx, param.name):
        return value
    parent = ctx.parent
    while parent is not None:
        if _given(parent, param.name):
            return parent.params[param.name]
        parent = parent.parent
    return value


def _given(ctx: typer.Context, name: str) -> bool:
    # By name: typer carries its own copy of click, whose ParameterSource is not click's.
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def group_options(ctx: typer.Context, as_json: bool) -> None:
    """A group's callback: `--json` before a command that prints no JSON is a usage error,
    not ignored."""
    if not as_json or ctx.invoked_subcommand is None:
        return
    command = ctx.command.get_command(ctx, ctx.invoked_subcommand)  # type: ignore[attr-defined]
    if command is not None and not any(p.name == "as_json" for p in command.params):
        raise typer.BadParameter(
            f"`{ctx.invoked_subcommand}` has no JSON output", ctx=ctx, param_hint="'--json'"
        )


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        callback=from_group,
        envvar=store.ENV_DB,
        help=f"Corpus database file [default: ./{store.DEFAULT_DB}, or ${store.ENV_DB}]",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", callback=from_group, help="Print JSON for scripts.")
]


def cluster_address(value: str | None) -> str | None:
    """`--cluster` checked as it is parsed: a malformed address is a usage error (exit 2),
    whether or not there is work for the cluster."""
    if value is not None:
        try:
            connect.parse(value)
        except ClusterError as exc:
            # "Invalid value for '--cluster': " comes first: not twice
            message = str(exc).removeprefix("--cluster ")
            raise typer.BadParameter(render.terminal_safe(message)) from None
    return value


ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        callback=cluster_address,
        help="Run the models on a Dask cluster: a scheduler (tcp://host:8786) or local:N "
        "(N worker processes started and stopped here). Needs newsalign[cluster].",
    ),
]


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn the project's errors into one line on stderr and a non-zero exit."""
    try:
        yield
    except NewsalignError as exc:  # messages quote file names and input: cleaned like output
        render.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    except sqlite3.DatabaseError as exc:
        from newsalign.corpus.store import database

        if "locked" in str(exc) or "busy" in str(exc):
            typer.echo("Error: the database is locked by another process; try again", err=True)
            raise typer.Exit(1) from None
        if database.is_full(exc):
            typer.echo(f"Error: {database.full_error(_db_path(), exc)}", err=True)
            raise typer.Exit(1) from None
        if database.is_damaged(exc):
            typer.echo(f"Error: {database.damaged_error(_db_path(), exc)}", err=True)
            raise typer.Exit(1) from None
        raise
    except OverflowError as exc:  # a number past SQLite's 64-bit integers, e.g. `show 1e23`
        typer.echo(f"Error: a number is out of range (at most {2**63 - 1}): {exc}", err=True)
        raise typer.Exit(1) from None


def _db_path() -> Path:
    """The database the running command was given (for messages about it)."""
    import click

    ctx = click.get_current_context(silent=True)
    return store.resolve_db_path(ctx.params.get("db") if ctx is not None else None)


def open_for_writing(db: Path | None, *, create: bool = True):
    """Open a corpus for writing (creating it if `create`); one that never had a glossary gets
    the default glossary."""
    from newsalign.corpus.store import glossary as glossary_db

    database = store.open_db(db, create=create)
    glossary_db.ensure_default(database)
    return database


@contextmanager
def new_database_kept_if(db: Path | None) -> Iterator[list[bool]]:
    """A command that may create the database: if it did and `keep[0]` is false at the end (an
    `ingest nosuchfolder`, nothing stored), the new file goes again, so a failed command leaves
    nothing behind. Yields `keep`, a one-item list the command sets."""
    path = store.resolve_db_path(db)
    existed = path.exists()
    keep = [True]
    try:
        yield keep
    finally:
        if not existed and not keep[0]:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def output_file(path: Path | None, db: Path | None) -> Iterator:
    """Where a command writes: stdout, or `path`, never the corpus database `db` or its side
    files (see store.refuse_overwrite). A regular file is written beside itself and
    renamed into place, so a failure leaves no half-written file; a device or pipe is written
    directly. Any failure (no such folder, a directory, a full disk) is one line. Written to a
    terminal, the text is cleaned of escapes and its bidi overrides marked."""
    import os
    import sys
    import tempfile

    if path is None:
        # Data for a program stays exact; on a terminal, a person reads it: cleaned as any
        # human output is (an OSC 52 in a glossary name would write the clipboard).
        yield render.Shown(sys.stdout) if sys.stdout.isatty() else sys.stdout
        return
    store.refuse_overwrite(path, db)
    try:
        if path.is_dir():
            raise CorpusError(f"cannot write {path}: it is a directory")
        if path.exists() and not path.is_file():
            with path.open("w", encoding="utf-8", newline="") as fh:
                yield fh
            return
        fd, temp = tempfile.mkstemp(
            prefix=f".{path.name}.", dir=path.parent if str(path.parent) else "."
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                yield fh
            # mkstemp makes the file private; give it the mode any new file would have.
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(temp, (path.stat().st_mode & 0o777) if path.exists() else 0o666 & ~mask)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CorpusError(f"cannot write {path}: {exc.strerror or exc}") from None
