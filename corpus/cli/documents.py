"""`newsalign documents ...`: correct one document's metadata, and list the corrections made."""

from __future__ import annotations

from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors, group_options

documents_app = typer.Typer(
    help="Documents' metadata: correct an outlet, date, URL or language, and list corrections.",
    no_args_is_help=True,
)


@documents_app.callback()
def documents(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """`--db` and `--json` may come before the command (see common.from_group)."""
    group_options(ctx, as_json)


@documents_app.command("set")
def documents_set(
    doc: Annotated[int, typer.Argument(help="Document id (see `newsalign stories show`).")],
    outlet: Annotated[str | None, typer.Option("--outlet", help="The outlet's name.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="The article's address.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="The document's language code, e.g. de.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct one document's outlet, date, URL or language. Its text, segments, translations
    and claims stay; the correction is recorded and holds for later versions of the file, later
    `align` runs and re-ingests (`newsalign documents corrections` lists them). Stories' date
    ranges and claim counts follow at the next `newsalign align`."""
    from newsalign.corpus.store.metadata import describe, set_metadata
    from newsalign.glossary.check import suspicious

    with cli_errors():
        found = set_metadata(
            store.open_db(db), doc, {"outlet": outlet, "date": date, "url": url, "language": lang}
        )
    for change in found:  # kept, as asked, but worth a look: "TАSS" with a Cyrillic А
        if change.field == "outlet" and (why := suspicious(change.new)):
            render.echo(f"warning: outlet {change.new!r} {why}", err=True)
    if as_json:
        typer.echo(render.to_json(found))
    elif not found:
        typer.echo(f"Document {doc}: nothing changed (it already says so).")
    else:
        render.echo(
            f"Document {doc}: {describe(found)}. Recorded; `newsalign align` refreshes "
            "the stories' date ranges."
        )


@documents_app.command("corrections")
def documents_corrections(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every metadata correction recorded: by `documents set` (correction), or a re-ingest with
    an edited manifest (manifest) or --source (option); the latest value of a field wins."""
    from newsalign.corpus.store.metadata import list_corrections

    with cli_errors():
        rows = list_corrections(store.open_readonly(db))
    if as_json:
        typer.echo(render.to_json(rows))
    elif not rows:
        typer.echo("No corrections. See `newsalign documents set --help`.")
    else:
        typer.echo(
            render.to_table(
                ["id", "doc", "field", "from", "to", "how", "when"],
                [
                    [
                        c.id,
                        c.doc_id if c.doc_id is not None else "-",
                        c.field,
                        c.previous or "-",
                        c.value or "-",
                        c.how,
                        c.created_at,
                    ]
                    for c in rows
                ],
                max_width=50,
            )
        )
