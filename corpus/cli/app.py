"""The `newsalign` command line, assembled: each command module registers its commands here.
Commands are thin: parse options, call one library function, render the records it returns.
Errors of the project's own types become one line on stderr and exit code 1."""

from __future__ import annotations

from typing import Annotated

import typer

from newsalign.corpus.cli import align as cli_align
from newsalign.corpus.cli import claims as cli_claims
from newsalign.corpus.cli import corpus as cli_corpus
from newsalign.corpus.cli import documents as cli_documents
from newsalign.corpus.cli import glossary as cli_glossary
from newsalign.corpus.cli import publish as cli_publish
from newsalign.corpus.cli import render
from newsalign.corpus.cli import review as cli_review
from newsalign.corpus.cli import translate as cli_translate
from newsalign.corpus.cli.common import INTERRUPTED

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
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Follow one story across outlets and languages: ingest articles, translate them offline,
    keep place names, align claims. Everything is stored in SQLite."""


for command in (
    cli_corpus.init,
    cli_corpus.ingest,
    cli_corpus.stats,
    cli_corpus.show,
    cli_corpus.search,
    cli_corpus.names,
    cli_corpus.query,
    cli_corpus.run,
):
    app.command()(command)
app.command("translate")(cli_translate.translate)
app.add_typer(cli_translate.models_app, name="models")
app.add_typer(cli_translate.tm_app, name="tm")
app.command("align")(cli_align.align)
app.add_typer(cli_align.stories_app, name="stories")
app.add_typer(cli_claims.claims_app, name="claims")
app.add_typer(cli_review.review_app, name="review")
app.add_typer(cli_documents.documents_app, name="documents")
app.add_typer(cli_publish.export_app, name="export")
app.command("report")(cli_publish.report)
app.command("serve")(cli_publish.serve)


def main(args: list[str] | None = None) -> int:
    """The `newsalign` program: the app, with every way out turned into an exit code and at
    most one error line on stderr. A usage error is the usage line and one error line (not
    click's usage block); Ctrl-C, or the end of input at a prompt (`review`), is "interrupted"
    (with what was kept); an unexpected error says so without a traceback unless
    NEWSALIGN_DEBUG=1 asks for it."""
    import errno
    import os
    import sys

    from typer.main import get_command

    command = get_command(app)
    try:
        code = command.main(args=args, prog_name="newsalign", standalone_mode=False)
        if code == 130:  # typer turns Ctrl-C into this code, silently
            typer.echo(INTERRUPTED, err=True)
        sys.stdout.flush()  # a full disk behind stdout shows here, not at exit
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:  # Ctrl-C or the end of input at a prompt (`review`): interrupted too
        typer.echo(INTERRUPTED, err=True)
        code = 130
    except KeyboardInterrupt:
        typer.echo(INTERRUPTED, err=True)
        code = 130
    except BrokenPipeError:  # `newsalign ... | head`: the reader is gone, nothing to say
        code = 1
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        typer.echo("Error: cannot write output: no space left on device", err=True)
        _drop_stdout()
        code = 1
    except typer.TyperException as exc:  # click's usage errors: a bad option, a missing argument
        code = _usage_error(exc)
    except Exception as exc:
        if os.environ.get("NEWSALIGN_DEBUG"):
            raise
        render.echo(
            f"Error: unexpected {type(exc).__name__}: {exc} (a bug: please report it; "
            "NEWSALIGN_DEBUG=1 shows the traceback)",
            err=True,
        )
        code = 70
    return code if isinstance(code, int) else 0


def _usage_error(exc: typer.TyperException) -> int:
    """Show a usage error (the usage line, then one `Error:` line pointing at `-h`, or a
    group's help when it was called without a command) and return its exit code (2)."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
    elif ctx is None:
        render.echo(f"Error: {exc.format_message()}", err=True)
    else:
        render.echo(ctx.get_usage().splitlines()[0], err=True)
        render.echo(f"Error: {exc.format_message()} (see `{ctx.command_path} -h`)", err=True)
    return getattr(exc, "exit_code", 2)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so what is still buffered for a full disk is not written
    again (and reported again, as a traceback) when Python exits."""
    import contextlib
    import os
    import sys

    # Without a real stdout (a test runner's) nothing is flushed at exit anyway.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run_main() -> None:
    """Console-script entry point."""
    import sys

    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run_main()
