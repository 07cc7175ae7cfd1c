"""`newsalign glossary ...`: view and edit the place-name glossary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import (
    DbOption,
    JsonOption,
    cli_errors,
    group_options,
    open_for_writing,
    output_file,
)
from newsalign.corpus.plural import plural
from newsalign.corpus.store import glossary as glossary_db
from newsalign.corpus.store.mentions import count as count_mentions
from newsalign.glossary import check as checks
from newsalign.glossary import edit
from newsalign.glossary.errors import GlossaryError
from newsalign.glossary.io import FORMATS, dumps, format_for, load
from newsalign.glossary.model import ENTITY_TYPES

app = typer.Typer(
    help="View and edit the place-name glossary: entities, their names (with usage labels) and "
    "the spellings of each name. Every change bumps the glossary version and refreshes mentions.",
    no_args_is_help=True,
)


@app.callback()
def glossary(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """`--db` and `--json` may come before the command (see common.from_group)."""
    group_options(ctx, as_json)


EntityArg = Annotated[str, typer.Argument(help="Entity key, or any of its names or spellings.")]
NameArg = Annotated[str, typer.Argument(help="One of the entity's names.")]
LangOption = Annotated[
    str, typer.Option("--lang", help="Language code of the spelling (empty: any).")
]
UsageOption = Annotated[
    str, typer.Option("--usage", help='Who uses the name, e.g. "Azerbaijani official".')
]


def _apply(db: Path | None, edit_fn, description: str) -> None:
    lookalikes: list[str] = []

    def checked(entities):
        changed = edit_fn(entities)
        lookalikes[:] = checks.new_lookalikes(entities, changed)
        return changed

    with cli_errors():
        database = open_for_writing(db, create=False)
        version = glossary_db.change(database, checked, description)
        mentions = count_mentions(database)
    for warning in lookalikes:  # kept, as asked, but worth a look
        render.echo(f"warning: {warning}", err=True)
    typer.echo(
        f"Glossary version {version}: {description} ({plural(mentions, 'mention')} in the corpus)"
    )


@app.command("list")
def list_(
    type: Annotated[str | None, typer.Option("--type", help="Only entities of this type.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List entities with their canonical name and other names."""
    with cli_errors():
        entities = glossary_db.load(store.open_readonly(db))
    if type:
        entities = [e for e in entities if e.type == type]
    rows = [
        {
            "key": e.key,
            "type": e.type,
            "canonical": e.canonical.name if e.canonical else "",
            "other names": ", ".join(n.name for n in e.names if not n.canonical),
            "spellings": sum(len(n.spellings) for n in e.names),
        }
        for e in entities
    ]
    if as_json:
        typer.echo(render.to_json(rows))
    else:
        typer.echo(
            render.to_table(list(rows[0]) if rows else ["key"], [list(r.values()) for r in rows])
        )


@app.command()
def show(entity: EntityArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one entity: ids, notes, names with usage and dates, and every spelling."""
    with cli_errors():
        found = edit.find_entity(glossary_db.load(store.open_readonly(db)), entity)
    if as_json:
        typer.echo(dumps([found], "json"))
        return
    render.echo(f"{found.key} ({found.type}): {found.label}")
    for label, value in (
        ("GeoNames", found.geonames_id),
        ("Wikidata", found.wikidata_id),
        ("notes", found.notes),
    ):
        if value:
            render.echo(f"  {label}: {value}")
    for n in found.names:
        dates = (
            f" [{n.valid_from or '…'}–{n.valid_to or '…'}]" if n.valid_from or n.valid_to else ""
        )
        marker = " (canonical)" if n.canonical else ""
        render.echo(f"\n  {n.name}{marker}: {n.usage or 'no usage label'}{dates}")
        for s in n.spellings:
            render.echo(f"    {s.text}  {s.lang or '*'} {s.script}")


@app.command()
def add(
    key: Annotated[str, typer.Argument(help="New entity key: lowercase, e.g. gyumri.")],
    label: Annotated[str, typer.Argument(help="Label, also the first (canonical) name.")],
    type: Annotated[
        str, typer.Option("--type", help=f"One of {', '.join(ENTITY_TYPES)}.")
    ] = "place",
    usage: UsageOption = "",
    lang: LangOption = "",
    geonames: Annotated[str, typer.Option("--geonames", help="GeoNames id.")] = "",
    wikidata: Annotated[str, typer.Option("--wikidata", help="Wikidata id, e.g. Q1234.")] = "",
    notes: Annotated[str, typer.Option("--notes", help="Free text.")] = "",
    db: DbOption = None,
) -> None:
    """Add an entity; its label becomes its canonical name and first spelling."""
    _apply(
        db,
        lambda es: edit.add_entity(
            es,
            key,
            label,
            type=type,
            usage=usage,
            lang=lang,
            geonames_id=geonames,
            wikidata_id=wikidata,
            notes=notes,
        ),
        f"add entity {key}",
    )


@app.command("add-name")
def add_name(
    entity: EntityArg,
    name: Annotated[str, typer.Argument(help="The new name; also its first spelling.")],
    usage: UsageOption = "",
    lang: LangOption = "",
    canonical: Annotated[
        bool, typer.Option("--canonical", help="Make it the canonical name.")
    ] = False,
    valid_from: Annotated[str, typer.Option("--valid-from", help="YYYY[-MM[-DD]]")] = "",
    valid_to: Annotated[str, typer.Option("--valid-to", help="YYYY[-MM[-DD]]")] = "",
    db: DbOption = None,
) -> None:
    """Add a name to an entity (a name of its own, never merged with the others)."""
    _apply(
        db,
        lambda es: edit.add_name(
            es,
            entity,
            name,
            usage=usage,
            lang=lang,
            canonical=canonical,
            valid_from=valid_from,
            valid_to=valid_to,
        ),
        f"add name {name!r} to {entity}",
    )


@app.command("add-spelling")
def add_spelling(
    entity: EntityArg,
    name: NameArg,
    spelling: Annotated[str, typer.Argument(help="The written form, e.g. Xankəndi.")],
    lang: LangOption = "",
    script: Annotated[str, typer.Option("--script", help="ISO 15924 [default: detected]")] = "",
    db: DbOption = None,
) -> None:
    """Add a spelling to a name. Refused if the spelling belongs to another entity."""
    _apply(
        db,
        lambda es: edit.add_spelling(es, entity, name, spelling, lang=lang, script=script),
        f"add spelling {spelling!r} to {name!r}",
    )


@app.command()
def remove(
    entity: EntityArg,
    name: Annotated[str | None, typer.Argument(help="Remove only this name.")] = None,
    spelling: Annotated[
        str | None, typer.Option("--spelling", help="Remove only this spelling of NAME.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Remove an entity, one of its names, or (with --spelling) one spelling."""
    if spelling and not name:
        typer.echo("Error: --spelling needs NAME", err=True)
        raise typer.Exit(1)
    what = (
        f"spelling {spelling!r} of {name!r}"
        if spelling
        else (f"name {name!r}" if name else "entity")
    )
    _apply(db, lambda es: edit.remove(es, entity, name, spelling), f"remove {what} of {entity}")


@app.command("set-canonical")
def set_canonical(entity: EntityArg, name: NameArg, db: DbOption = None) -> None:
    """Make NAME the entity's canonical name."""
    _apply(db, lambda es: edit.set_canonical(es, entity, name), f"canonical {name!r} for {entity}")


FormatOption = Annotated[
    str | None,
    typer.Option("--format", help=f"{' | '.join(FORMATS)} [default: from the file name, or tsv]"),
]


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A glossary file (TSV, CSV or JSON).")],
    fmt: FormatOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the whole glossary instead of adding to it.")
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", help="With --replace: allow a file with no entities (an empty glossary)."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import a glossary file. A malformed row or a conflict refuses the whole file; replacing
    the glossary with an empty one needs --yes."""
    with cli_errors():
        incoming = load(file, fmt)
        if replace and not incoming and not yes:
            raise GlossaryError(
                f"{file.name} has no entities: --replace would empty the glossary "
                "(add --yes if that is what you want)"
            )
    merge = (
        (lambda es: edit.merge([], incoming)) if replace else (lambda es: edit.merge(es, incoming))
    )
    _apply(
        db,
        merge,
        f"import {file.name} ({plural(len(incoming), 'entity')}{', replacing' if replace else ''})",
    )


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help=" | ".join(FORMATS))] = "tsv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file [default: stdout]")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export the glossary (sorted, so the same glossary always gives the same bytes)."""
    with cli_errors():
        text = dumps(glossary_db.load(store.open_readonly(db)), format_for("", fmt))
        with output_file(output, db) as out:
            out.write(text)


@app.command("check")
def check_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Check the glossary: conflicts (exit 1), names without spellings, other warnings."""
    with cli_errors():
        database = store.open_readonly(db)
        entities = glossary_db.load(database)
        version = glossary_db.version(database)
    conflicts = [str(c) for c in checks.conflicts(entities)]
    problems = [f"{e.key}: no canonical name" for e in entities if e.canonical is None]
    problems += [
        f"{e.key}: name {n.name!r} has no spelling"
        for e in entities
        for n in e.names
        if not n.spellings
    ]
    warnings = checks.warnings(entities)
    if as_json:
        typer.echo(
            render.to_json(
                {
                    "version": version,
                    "entities": len(entities),
                    "conflicts": conflicts,
                    "problems": problems,
                    "warnings": warnings,
                }
            )
        )
    else:
        spellings = sum(len(n.spellings) for e in entities for n in e.names)
        typer.echo(
            f"Glossary version {version}: {plural(len(entities), 'entity')}, "
            f"{plural(spellings, 'spelling')}"
        )
        for label, items in (("conflict", conflicts), ("problem", problems), ("warning", warnings)):
            for item in items:
                render.echo(f"{label}: {item}")
        if not (conflicts or problems or warnings):
            typer.echo("No conflicts or problems.")
    if conflicts or problems:
        raise typer.Exit(1)
