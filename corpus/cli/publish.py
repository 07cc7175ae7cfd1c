"""`newsalign export ...` and `newsalign serve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors, group_options, output_file
from newsalign.corpus.cli.progress import progress
from newsalign.corpus.plural import plural

export_app = typer.Typer(
    help="Export claims, aligned sentence pairs (TMX) or the whole corpus. "
    "Exports stream, so memory stays flat on large corpora.",
    no_args_is_help=True,
)


@export_app.callback()
def export(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """`--db` and `--json` may come before the command (see common.from_group)."""
    group_options(ctx, as_json)


OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="File [default: stdout]")]


def _progress(output: Path | None, unit: str):
    """A progress bar on a terminal while an export is written to a file (written to the
    terminal, the records themselves show how far it is)."""
    return progress("Exporting", unit, quiet=output is None)


@export_app.command("claims")
def export_claims(
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="jsonl (one claim per line, members nested) | csv (one member per row)"
        ),
    ] = "jsonl",
    min_sources: Annotated[
        int, typer.Option("--min-sources", min=1, help="Only claims of at least this many outlets.")
    ] = 2,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Claims with their members: outlet, language, original, English, names, score."""
    from newsalign.corpus.publish.export import export_claims as run

    if fmt not in ("jsonl", "csv"):
        typer.echo("Error: --format must be jsonl or csv", err=True)
        raise typer.Exit(1)
    with cli_errors(), output_file(output, db) as out, _progress(output, "claims") as on_progress:
        count = run(store.open_readonly(db), out, fmt, min_sources, on_progress)
    if output:
        typer.echo(f"Wrote {plural(count, 'claim')} to {output}")


@export_app.command("tmx")
def export_tmx(
    source: Annotated[str, typer.Option("--from", help="Source language.")] = "de",
    target: Annotated[str, typer.Option("--to", help="Target language.")] = "en",
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Aligned sentence pairs as TMX 1.4, for translation-memory tools (and `newsalign tm import`)."""
    from newsalign.corpus.publish.export import export_tmx as run

    with cli_errors(), output_file(output, db) as out, _progress(output, "pairs") as on_progress:
        count = run(store.open_readonly(db), out, source, target, on_progress)
    if output:
        typer.echo(f"Wrote {plural(count, f'{source}-{target} pair')} to {output}")


@export_app.command("corpus")
def export_corpus(
    fmt: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Documents with their segments, languages, translations and mentions, one per line."""
    from newsalign.corpus.publish.export import export_corpus as run

    if fmt != "jsonl":
        typer.echo("Error: --format must be jsonl", err=True)
        raise typer.Exit(1)
    with (
        cli_errors(),
        output_file(output, db) as out,
        _progress(output, "documents") as on_progress,
    ):
        count = run(store.open_readonly(db), out, on_progress)
    if output:
        typer.echo(f"Wrote {plural(count, 'document')} to {output}")


def serve(
    port: Annotated[int, typer.Option("--port", help="Port.")] = 8001,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Address to bind [default: 127.0.0.1] (keep it unless you mean to share the "
            "corpus).",
        ),
    ] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="Add the review pages (/-/review): answer screens by claim in the browser. "
            "The corpus is then written to.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Browse the corpus in Datasette, read-only: claims side by side, naming stance per outlet,
    untranslated segments, alignments to review. With --review, review by claim in the
    browser at /-/review (writes answers, as `newsalign review` does). Needs
    `pip install -e '.[serve]'`."""
    from newsalign.corpus.publish.serve import serve as run

    with cli_errors():
        path = store.resolve_db_path(db)
        reviewer = None
        if review:
            from newsalign.corpus.review import claims as reviewer

            store.open_db(path).close()  # writable, and migrated, before serving
        else:
            store.open_readonly(path).close()
        mode = "for review (writable)" if review else "read-only"
        if review and host is not None and host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(
                f"Warning: --review on {host}: whoever reaches it can change the corpus.", err=True
            )
        where = host or "127.0.0.1"
        typer.echo(f"Serving {path} {mode} on http://{where}:{port}/ (Ctrl-C to stop)", err=True)
        if review:
            typer.echo(f"Review by claim: http://{where}:{port}/-/review", err=True)
        run(path, where, port, reviewer)


def report(
    stories: Annotated[
        list[int] | None,
        typer.Argument(
            help="Story ids from `newsalign stories` [default: every story of two or "
            "more documents]."
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="HTML file to write (`-` for stdout).")
    ] = Path("report.html"),
    min_sources: Annotated[
        int, typer.Option("--min-sources", min=1, help="Show claims carried by this many outlets.")
    ] = 2,
    db: DbOption = None,
) -> None:
    """Write the story report: one self-contained HTML file (opens from disk, prints) with each
    story's timeline, who reported which claim and first, the naming stance per outlet, every
    claim version by version with what differs highlighted, links left for review, and the
    corrections applied."""
    from newsalign.corpus.publish.report_html import build

    with cli_errors(), output_file(None if str(output) == "-" else output, db) as out:
        html, data = build(store.open_readonly(db), stories or None, min_sources)
        out.write(html)
    if str(output) != "-":
        claims = sum(len(s.claims) for s in data.stories)
        typer.echo(
            f"Wrote {output}: {plural(len(data.stories), 'story')}, "
            f"{plural(claims, 'shared claim')}. "
            f"Open it in a browser: {output.resolve().as_uri()}"
        )
