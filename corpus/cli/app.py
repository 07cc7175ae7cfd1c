"""The `newsalign` command line, assembled: each command module registers its commands here.
Commands are thin: parse options, call one library function, render the records it returns.
Errors of the project's own types become one line on stderr and exit code 1."""

from __future__ import annotations

from typing import Annotated

import typer

from newsalign.corpus.cli import align as cli_align
from newsalign.corpus.cli import corpus as cli_corpus
from newsalign.corpus.cli import glossary as cli_glossary
from newsalign.corpus.cli import publish as cli_publish
from newsalign.corpus.cli import translate as cli_translate

app = typer.Typer(
    name="newsalign",
    help="Follow one story across outlets and languages: ingest articles, translate them "
    "offline, keep place names, align claims. Everything is stored in SQLite.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    # Subcommands inherit these from the root context, so `-h` works everywhere.
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cli_glossary.app, name="glossary")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"newsalign {version('newsalign')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Follow one story across outlets and languages: ingest articles, translate them offline,
    keep place names, align claims. Everything is stored in SQLite."""


for command in (cli_corpus.init, cli_corpus.ingest, cli_corpus.stats, cli_corpus.show,
                cli_corpus.search, cli_corpus.names, cli_corpus.query, cli_corpus.run):  # fmt: skip
    app.command()(command)
app.command("translate")(cli_translate.translate)
app.add_typer(cli_translate.models_app, name="models")
app.add_typer(cli_translate.tm_app, name="tm")
app.command("align")(cli_align.align)
app.command("stories")(cli_align.stories)
app.add_typer(cli_align.claims_app, name="claims")
app.add_typer(cli_publish.export_app, name="export")
app.command("serve")(cli_publish.serve)


if __name__ == "__main__":  # pragma: no cover
    app()
