"""`newsalign claims ...`: claims shared across sources, read and corrected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors, group_options
from newsalign.corpus.plural import plural

claims_app = typer.Typer(
    help="Claims shared across sources: list, show side by side, diff.", no_args_is_help=True
)


@claims_app.callback()
def claims(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """`--db` and `--json` may come before the command (see common.from_group)."""
    group_options(ctx, as_json)


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
        typer.echo(render.to_json(rows))
    elif not rows:
        typer.echo("No shared claims. Run `newsalign align` after ingesting several outlets.")
    else:
        typer.echo(
            render.to_table(
                ["id", "sources", "size", "languages", "score", "claim"],
                [[r.id, r.sources, r.size, r.languages, r.score, r.claim] for r in rows],
                max_width=90,
            )
        )


ClaimArg = Annotated[int, typer.Argument(help="Claim (cluster) id from `newsalign claims list`.")]


ExplainOption = Annotated[
    bool,
    typer.Option(
        "--explain", help="Also show what each link's probability rests on, feature by feature."
    ),
]
# What each feature of a link's judgement is (align/pairs.py), for `--explain`.
FEATURES = {
    "z_e5": "similarity in the multilingual e5 embedding, standardised within the story",
    "z_use": "the same in the multilingual USE embedding",
    "gap": "how far the pair falls short of each sentence's best match in the other article",
    "same_lang": "both sentences in one language",
    "bridge": "German-English word evidence through the Ding dictionary",
    "bias": "the starting point before any evidence",
}


@claims_app.command("show")
def claims_show(
    claim: ClaimArg,
    explain: ExplainOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A claim side by side: outlet, language, original sentence, English, names used, and how
    likely each link is the same claim (`--explain`: what that rests on)."""
    from newsalign.corpus.views.claims import show_claim

    with cli_errors():
        data = show_claim(store.open_readonly(db), claim)
    if as_json:
        typer.echo(render.to_json(data))
        return
    render.echo(
        f"Claim {data.id}: {plural(data.sources, 'source')}, "
        f"{plural(data.size, 'sentence')}, "
        f"languages {data.languages}, mean probability of its links {data.score}"
    )
    label = next((m for m in data.members if m.segment_id == data.label), None)
    if label is not None:
        render.echo(f"Label [{label.segment_id}] {label.source}: {label.english or label.original}")
    for m in data.members:
        repeat = f" (repeats [{m.repeat_of}])" if m.is_repeat else ""
        headline = " headline" if m.headline else ""
        also = f" (also in claim {', '.join(map(str, m.also_in))})" if m.also_in else ""
        render.echo(f"\n[{m.segment_id}] {m.source} ({m.lang}){headline}{repeat}{also}")
        render.echo(f"  original: {m.original}")
        if m.english and m.english != m.original:
            late = (
                " (translated after the last align, which did not use it)"
                if (m.english_from.startswith("translation ("))
                else ""
            )
            render.echo(f"  English:  {m.english}{late}")
        elif not m.english:
            typer.echo("  English:  (no translation)")
        if m.names:
            used = ", ".join(
                f"{n.surface} = {n.name}" + (f" ({n.usage})" if n.usage else "") for n in m.names
            )
            render.echo(f"  names:    {used}")
    if not data.alignments:
        return
    if not explain:
        typer.echo("\nHow likely each pair is the same claim (`--explain`: what it rests on):")
        for link in data.alignments:
            typer.echo(f"  [{link.a_segment_id}] and [{link.b_segment_id}]: {link.score:.0%}")
        return
    typer.echo(
        "\nLinks: the probability of the same claim, and each feature's share of its "
        "log-odds (positive: for, negative: against):"
    )
    for link in data.alignments:
        parts = ", ".join(f"{k} {_signed(v)}" for k, v in link.contributions.items())
        typer.echo(f"  [{link.a_segment_id}]~[{link.b_segment_id}] p {link.score:.2f}: {parts}")
    shown = dict.fromkeys(k for link in data.alignments for k in link.contributions)
    for name in shown:
        typer.echo(f"  {name}: {FEATURES.get(name, 'a feature of a plug-in judgement')}")


def _signed(value: float) -> str:
    """+1.23, -0.45, and 0.00 for what rounds to nothing (not "-0.00")."""
    return "0.00" if abs(value) < 0.005 else f"{value:+.2f}"


@claims_app.command("diff")
def claims_diff(claim: ClaimArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """What differs between the versions of a claim: numbers, dates, durations, where it
    happened, names, speakers; DISAGREE marks a real conflict between versions the model
    links surely (a claim with weak links is marked unsure and claims none)."""
    from newsalign.corpus.views.claims import diff_claim

    with cli_errors():
        data = diff_claim(store.open_readonly(db), claim)
    if as_json:
        typer.echo(render.to_json(data))
        return
    if data.unsure:
        typer.echo(
            f"Claim {claim}: unsure (its links are weak on average): differences are "
            "shown; only where it happened, between versions linked surely, is called "
            "a disagreement."
        )
    if not data.differences:
        typer.echo(
            f"Claim {claim}: the {data.versions} versions agree on numbers, dates, "
            "names and speakers."
        )
        return
    for field, values in data.differences.items():
        render.echo(f"{field}:{'  DISAGREE' if field in data.conflicts else ''}")
        for who, items in values.items():
            render.echo(f"  {who}: {json.dumps(items, ensure_ascii=False) if items else '-'}")


NoteOption = Annotated[str, typer.Option("--note", help="Why: kept with the decision.")]
AlignFlag = Annotated[
    bool,
    typer.Option(
        "--align/--no-align",
        help="Re-align at once with the last align's settings (--no-align: record only, e.g. "
        "to make several decisions first).",
    ),
]
SentenceArg = Annotated[int, typer.Argument(help="Sentence id (the [n] in `claims show`).")]


def _correct(
    action: str,
    ids: list[int],
    claim: int | None,
    note: str,
    realign: bool,
    db: Path | None,
    as_json: bool,
) -> None:
    from newsalign.corpus.align.job.corrections import correct

    with cli_errors():
        done = correct(store.open_db(db), action, ids, claim=claim, note=note, realign=realign)
    if as_json:
        typer.echo(render.to_json(done))
        return
    typer.echo(
        f"Decision {done.decision} recorded ({action}, {plural(done.pairs, 'sentence pair')}); "
        "every later `newsalign align` applies it."
    )
    if done.aligned is None:
        typer.echo("Not re-aligned yet: run `newsalign align` to see its effect.")
        return
    typer.echo(
        f"Re-aligned: {plural(done.aligned.clusters, 'claim')}, {done.aligned.shared} shared."
    )
    for sentence, claims in done.placed:
        where = ", ".join(f"claim {c}" for c in claims) if claims else "in no claim"
        typer.echo(f"  sentence {sentence}: {where}")


@claims_app.command("reject")
def claims_reject(
    a: SentenceArg,
    b: SentenceArg,
    note: NoteOption = "",
    realign: AlignFlag = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Say two sentences are NOT the same claim: no later alignment puts them in one claim."""
    _correct("reject", [a, b], None, note, realign, db, as_json)


@claims_app.command("accept")
def claims_accept(
    a: SentenceArg,
    b: SentenceArg,
    note: NoteOption = "",
    realign: AlignFlag = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a link the machine missed: the two sentences (of different articles) report one
    claim, whatever their scores. A asserts B's claim too: it joins that claim and keeps any
    claim it is in already; B in no claim joins A's claim."""
    _correct("accept", [a, b], None, note, realign, db, as_json)


@claims_app.command("split")
def claims_split(
    claim: ClaimArg,
    sentences: Annotated[
        list[int], typer.Argument(help="Sentences that leave the claim (together, if several).")
    ],
    note: NoteOption = "",
    realign: AlignFlag = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take sentences out of a claim: they will not be one claim with those that stay (several
    named sentences stay together as a claim of their own)."""
    _correct("split", sentences, claim, note, realign, db, as_json)


@claims_app.command("merge")
def claims_merge(
    claims: Annotated[list[int], typer.Argument(help="Two or more claim ids.")],
    note: NoteOption = "",
    realign: AlignFlag = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make several claims one (two sentences of one article in it: the later is marked as a
    repeat)."""
    _correct("merge", claims, None, note, realign, db, as_json)


@claims_app.command("detach")
def claims_detach(
    sentence: SentenceArg,
    note: NoteOption = "",
    realign: AlignFlag = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a sentence out of every claim: no later alignment puts it in one (until a later
    `claims accept` names it, or `claims undo` withdraws this)."""
    _correct("detach", [sentence], None, note, realign, db, as_json)


@claims_app.command("decisions")
def claims_decisions(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every correction made, with the sentences it names (and whether they are still in the
    corpus). `newsalign claims undo ID` withdraws one."""
    from newsalign.corpus.store.decisions import list_decisions

    with cli_errors():
        rows = list_decisions(store.open_readonly(db))
    if as_json:
        typer.echo(render.to_json(rows))
        return
    if not rows:
        typer.echo("No decisions. See `newsalign claims reject --help`.")
    for d in rows:
        note = f": {d.note}" if d.note else ""
        render.echo(f"[{d.id}] {d.action} ({d.created_at}){note}")
        for link, x, y in d.pairs:
            if link == "detach":
                render.echo(f"    {_sentence(x)}  in no claim")
                continue
            verb = "same claim as" if link == "must" else "not the same claim as"
            render.echo(f"    {_sentence(x)}  {verb}  {_sentence(y)}")


def _sentence(s) -> str:
    if s.segment_id is None:
        return "(a sentence no longer in the corpus)"
    return f"[{s.segment_id}] {s.source}: {render.cut(s.text, 50)}"


@claims_app.command("undo")
def claims_undo(
    decision: Annotated[int, typer.Argument(help="Decision id from `claims decisions`.")],
    realign: AlignFlag = True,
    db: DbOption = None,
) -> None:
    """Withdraw a decision (and re-align without it)."""
    from newsalign.corpus.align.job.corrections import withdraw

    with cli_errors():
        report = withdraw(store.open_db(db), decision, realign=realign)
    typer.echo(
        f"Decision {decision} withdrawn."
        + (f" Re-aligned: {plural(report.clusters, 'claim')}." if report else "")
    )
