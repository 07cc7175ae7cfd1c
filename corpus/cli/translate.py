"""`newsalign models`, `newsalign tm` and `newsalign translate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import (
    ClusterOption,
    DbOption,
    JsonOption,
    cli_errors,
    group_options,
    open_for_writing,
)
from newsalign.corpus.cli.progress import progress
from newsalign.corpus.plural import plural
from newsalign.translate import packages
from newsalign.translate.engine import Settings
from newsalign.translate.errors import TranslateError

models_app = typer.Typer(
    help="Offline translation models: Argos Translate packages in Argos's own package folder "
    "($ARGOS_PACKAGES_DIR, else ~/.local/share/argos-translate/packages).",
    no_args_is_help=True,
)
tm_app = typer.Typer(
    help="Translation memory: human or earlier translations, used before the model.",
    no_args_is_help=True,
)


# Every command takes --db (the docs say so); models live outside the database.
UnusedDb = Annotated[
    Path | None,
    typer.Option("--db", help="Accepted like everywhere, unused: models are not in the corpus."),
]


@models_app.callback()
def models(ctx: typer.Context, db: UnusedDb = None, as_json: JsonOption = False) -> None:
    """`--db` and `--json` may come before the command (see common.from_group)."""
    group_options(ctx, as_json)


@tm_app.callback()
def tm(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """`--db` and `--json` may come before the command (see common.from_group)."""
    group_options(ctx, as_json)


@models_app.command("list")
def models_list(as_json: JsonOption = False, db: UnusedDb = None) -> None:
    """Installed packages: languages, version, size, path."""
    with cli_errors():
        installed = packages.installed()
    rows = [
        {
            "code": p.code,
            "version": p.version,
            "size_mb": round(p.size / 1e6, 1),
            "path": str(p.path),
        }
        for p in installed
    ]
    if as_json:
        typer.echo(render.to_json(rows))
    elif not rows:
        typer.echo(
            f"No packages in {packages.packages_dir()}. Install one with `newsalign models install`."
        )
    else:
        typer.echo(render.to_table(list(rows[0]), [list(r.values()) for r in rows], max_width=90))


@models_app.command("install")
def models_install(
    source: Annotated[
        str,
        typer.Argument(
            help="An .argosmodel file, or a pair such as de:en to "
            "download from the Argos index (needs network)."
        ),
    ],
    db: UnusedDb = None,
) -> None:
    """Install a package after checking it: a zip with one folder, metadata.json, a model/ that
    CTranslate2 loads and a SentencePiece model; no paths outside the package folder."""
    with cli_errors():
        path = Path(source)
        package = (
            packages.install_file(path)
            if path.exists() or source.endswith(".argosmodel")
            else packages.install_from_index(source)
        )
    typer.echo(f"Installed {package.code} {package.version} in {package.path}")


@models_app.command("remove")
def models_remove(
    code: Annotated[str, typer.Argument(help="A pair (de:en) or a package folder name.")],
    db: UnusedDb = None,
) -> None:
    """Remove an installed package."""
    with cli_errors():
        removed = packages.remove(code)
    for package in removed:
        typer.echo(f"Removed {package.code} {package.version} ({package.path})")


@tm_app.command("import")
def tm_import(
    file: Annotated[Path, typer.Argument(help="TSV (source<TAB>target per line) or TMX 1.4.")],
    source: Annotated[
        str | None, typer.Option("--from", help="Source language (TSV; TMX: header).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--to", help="Target language (TSV; TMX: every other).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="tsv | tmx [default: from the file name]")
    ] = None,
    db: DbOption = None,
) -> None:
    """Import a translation memory; a malformed file is refused whole, naming the line."""
    from newsalign.corpus.store.memory import conflicts, import_units
    from newsalign.translate.memory_formats import read_file

    with cli_errors():
        units = read_file(file, fmt, source, target)
        if not units:
            raise TranslateError(f"{file.name} holds no translation units for these languages")
        database = open_for_writing(db)
        new, replaced = import_units(database, units, file.name)
    typer.echo(
        f"Imported {plural(len(units), 'unit')} from {file.name}: {new} new, {replaced} replaced"
    )
    clashes = conflicts(units)
    if clashes:
        first, targets = clashes[0]
        render.echo(
            f"warning: {plural(len(clashes), 'source sentence')} "
            f"{'appears' if len(clashes) == 1 else 'appear'} with different targets; the "
            f"last one was kept (e.g. {first[:60]!r}: {' | '.join(t[:40] for t in targets)})",
            err=True,
        )


def translate(
    to: Annotated[str, typer.Option("--to", help="Target language.")] = "en",
    source: Annotated[
        str | None, typer.Option("--from", help="Only segments in this language.")
    ] = None,
    beam_size: Annotated[int, typer.Option("--beam-size", min=1, help="Beam width.")] = 2,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size",
            min=1,
            help="Sentences per engine batch. 1 (default): a sentence always gives the same "
            "text; more is faster, but a sentence's text then depends on its batch neighbours.",
        ),
    ] = 1,
    threads: Annotated[
        int,
        typer.Option(
            "--threads",
            min=0,
            help="CPU threads (0: one per CPU, at most 8).",
        ),
    ] = 0,
    max_length: Annotated[
        int, typer.Option("--max-decoding-length", min=1, help="Longest output, in tokens.")
    ] = 256,
    min_length: Annotated[
        int,
        typer.Option(
            "--min-decoding-length", min=1, help="Shortest output, in tokens (benchmarks fix both)."
        ),
    ] = 1,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most N segments this run.")
    ] = None,
    backend: Annotated[
        str,
        typer.Option(
            "--backend",
            help="auto (memory, then model) | argos | tm | a translator plug-in's name",
        ),
    ] = "auto",
    names: Annotated[
        str,
        typer.Option(
            "--names",
            help="Glossary names in the output: source (the outlet's own name) | canonical",
        ),
    ] = "source",
    pivot: Annotated[
        str | None,
        typer.Option(
            "--pivot", help="Allow going through this language when no direct model exists."
        ),
    ] = None,
    protect: Annotated[
        bool,
        typer.Option(
            "--protect/--no-protect",
            help="Retranslate in fragments when numbers, quotes, URLs or e-mails did not survive.",
        ),
    ] = True,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="List translations that miss an expected glossary name, and translate nothing.",
        ),
    ] = False,
    cluster: ClusterOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Translate every non-English title and body segment, sentence by sentence, offline.

    Translation memory first, then the installed Argos model (CTranslate2, int8). Only segments
    without a translation for this target, model, glossary version and names mode are done;
    a killed run resumes where it stopped.
    """
    from newsalign.corpus.mt.run import Options, translate_corpus
    from newsalign.corpus.store.translations import term_misses

    if report:
        with cli_errors():
            misses = term_misses(store.open_readonly(db), to)
        if as_json:
            typer.echo(render.to_json(misses))
        elif not misses:
            typer.echo("Every translation contains its expected glossary names.")
        else:
            typer.echo(
                render.to_table(
                    ["translation", "source", "missing", "original", "translation_text"],
                    [
                        [
                            m.translation,
                            m.source,
                            ", ".join(m.missing),
                            m.original,
                            m.translation_text,
                        ]
                        for m in misses
                    ],
                    max_width=60,
                )
            )
        return
    settings = Settings(
        beam_size=beam_size,
        batch_size=batch_size,
        threads=threads,
        max_decoding_length=max_length,
        min_decoding_length=min_length,
    )
    opts = Options(
        target=to,
        source=source,
        backend=backend,
        names=names,
        pivot=pivot,
        limit=limit,
        protect=protect,
        settings=settings,
    )
    with cli_errors(), progress("Translating", "segments", quiet=as_json) as on_progress:
        database = store.open_db(db)
        if cluster:
            from newsalign.corpus.distributed.run import translate_corpus as on_cluster

            result = on_cluster(database, opts, cluster, on_progress=on_progress)
        else:
            result = translate_corpus(database, opts, on_progress=on_progress)
    if as_json:
        typer.echo(render.to_json(result))
    else:
        for lang, path in result.routes.items():
            typer.echo(f"{lang}: {path}" + (" (pivot)" if path.count(">") > 1 else ""))
        if result.translated == 0 and not result.missing_models:
            typer.echo(
                f"Nothing to translate: every segment already has a translation into {to} "
                "for this model, glossary version and names mode."
            )
        elif not result.translated:
            typer.echo(
                f"Translated nothing: no model or memory entry for "
                f"{', '.join(result.missing_models)}."
            )
        else:
            typer.echo(
                f"Translated {plural(result.translated, 'segment')} ({result.from_memory} from memory, "
                f"{result.from_model} by model) in {result.seconds:.1f} s; "
                f"{plural(result.terms_missing, 'expected glossary name')} missing (see --report); "
                f"{result.fragment_retries} retranslated in fragments."
            )
            typer.echo(
                "`newsalign claims show` and the report show the new translations now; "
                "the alignment uses them from the next `newsalign align`."
            )
        # A language no model covers is not a failure (as in `run`): the alignment works on
        # the original text; the line says how to install a model.
        for lang, reason in result.missing_models.items():
            render.echo(f"Not translated ({lang}): {reason}.")
