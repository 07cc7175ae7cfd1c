"""`newsalign review`: answer the questions that change the alignment most, one at a time
(interactive: this drives a review/protocol.py session), or list them for a script
(`--json`)."""

from __future__ import annotations

from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors
from newsalign.corpus.plural import plural

ANSWERS = "[y]es / [n]o / [s]kip / [u]ndo / [q]uit"


def review(
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="With --json: at most this many questions."),
    ] = None,
    story: Annotated[
        int | None, typer.Option("--story", help="Only this story (id from `newsalign stories`).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Review the alignment: the questions whose answers change it most, best first (pairs
    near the threshold, a sentence that may also assert a claim, a weak member of a claim).

    Each answer is applied at once (the story is re-aligned), kept as a decision every later
    `align` honours (`claims decisions`, `claims undo`), and teaches the story's judgement:
    the probabilities of the whole story shift toward the person's answers.

    On a terminal: answer y, n, s (skip), u (undo the last answer) or q. For scripts, `--json`
    prints a JSON array of open questions (fields a, b, kind, claim, probability, texts;
    an empty array when nothing is left worth asking); answer with `newsalign claims accept
    A B` or `newsalign claims reject A B`.
    """
    from newsalign.corpus.review.questions import open_questions

    if as_json:
        with cli_errors():
            rows = open_questions(store.open_db(db), limit=limit, story=story)
        typer.echo(render.to_json(rows))
        return
    _interactive(db, story)


def _interactive(db, story: int | None) -> None:
    # Imported here, as every command does, so that `newsalign --help` stays quick.
    from newsalign.corpus.review.answers import Decisions
    from newsalign.corpus.review.protocol import Session
    from newsalign.corpus.review.questions import PairQuestions

    with cli_errors():
        database = store.open_db(db)
        source = PairQuestions(database, story)
        session = Session(source, Decisions(database, source.setup.embedders))
        question = session.question
    while question is not None:
        total = session.asked + len(session.open)
        render.echo(f"\nQuestion {session.asked + 1} of ~{total}: {question.question}")
        typer.echo(
            f"  probability {question.probability:.2f}; the answer decides "
            f"{plural(question.moves, 'sentence pair')}"
        )
        for side in question.sentences:
            _show(side)
        answer = typer.prompt(ANSWERS, default="s").strip().lower()[:1]
        with cli_errors():
            if answer == "q":
                break
            if answer == "s":
                session.skip()
            elif answer in ("y", "n"):
                done = session.mark(answer == "y")
                typer.echo(f"  decision {done.token} recorded; re-aligned.")
            elif answer == "u":
                last = session.undo()
                if last is None:
                    typer.echo("  nothing to undo in this session.")
                    continue
                typer.echo(f"  decision {last.token} withdrawn; re-aligned.")
            else:
                typer.echo(f"  answer with {ANSWERS}")
                continue
            question = session.question
    if question is None:
        typer.echo("\nNothing left worth asking.")
    typer.echo(
        f"{plural(len(session.marked), 'answer')} recorded this session; see `newsalign claims "
        "decisions` (undo one with `newsalign claims undo ID`)."
    )


def _show(side) -> None:
    date = side.published[:10] if side.published else "no date"
    render.echo(f"\n  [{side.id}] {side.outlet} ({side.lang or '?'}, {date})")
    render.echo(f"    {side.text}")
    if side.english:
        render.echo(f"    English: {side.english}")
    if side.names:
        render.echo(f"    names: {', '.join(side.names)}")
