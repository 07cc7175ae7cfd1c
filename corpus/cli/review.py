"""`newsalign review`: answer the questions that change the alignment most, one at a time
(interactive), or list them for a script (`--json`)."""

from __future__ import annotations

from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import DbOption, JsonOption, cli_errors

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
    from newsalign.corpus.align.questions import open_questions

    if as_json:
        with cli_errors():
            rows = open_questions(store.open_db(db), limit=limit, story=story)
        typer.echo(render.to_json(rows))
        return
    _interactive(db, story)


def _interactive(db, story: int | None) -> None:
    from newsalign.corpus.align.corrections import correct, withdraw
    from newsalign.corpus.align.questions import open_questions, prepare_stories, stored_stories
    from newsalign.corpus.align.run import embedders_for, last_settings

    with cli_errors():
        database = store.open_db(db)
        embedders = embedders_for(last_settings(database))
        questions = open_questions(database, story=story, embedders=embedders)
        # The claims and vectors: answers change neither (nor which documents a story holds).
        prepared = prepare_stories(database, embedders, stored_stories(database, story))
    answered: list[int] = []  # decision ids of this session, for undo
    skipped: set[tuple[int, int]] = set()
    while questions:
        q = questions[0]
        total = len(answered) + len(skipped) + len(questions)
        render.echo(f"\nQuestion {len(answered) + len(skipped) + 1} of ~{total}: {q.question}")
        typer.echo(f"  probability {q.probability:.2f}; the answer decides {q.moves} "
                   "sentence pair(s)")  # fmt: skip
        for side in q.sentences:
            _show(side)
        answer = typer.prompt(ANSWERS, default="s").strip().lower()[:1]
        with cli_errors():
            if answer == "q":
                break
            if answer == "s":
                skipped.add((q.a, q.b))
            elif answer in ("y", "n"):
                done = correct(database, "accept" if answer == "y" else "reject", [q.a, q.b],
                               note="review", embedders=embedders)  # fmt: skip
                answered.append(done.decision)
                typer.echo(f"  decision {done.decision} recorded; re-aligned.")
            elif answer == "u":
                if not answered:
                    typer.echo("  nothing to undo in this session.")
                    continue
                last = answered.pop()
                withdraw(database, last, embedders=embedders)
                typer.echo(f"  decision {last} withdrawn; re-aligned.")
            else:
                typer.echo(f"  answer with {ANSWERS}")
                continue
            questions = open_questions(database, story=story, skip=skipped, embedders=embedders,
                                       prepared=prepared)  # fmt: skip
    if not questions:
        typer.echo("\nNothing left worth asking.")
    typer.echo(f"{len(answered)} answer(s) recorded this session; see `newsalign claims "
               "decisions` (undo one with `newsalign claims undo ID`).")  # fmt: skip


def _show(side) -> None:
    date = side.published[:10] if side.published else "no date"
    render.echo(f"\n  [{side.id}] {side.outlet} ({side.lang or '?'}, {date})")
    render.echo(f"    {side.text}")
    if side.english:
        render.echo(f"    English: {side.english}")
    if side.names:
        render.echo(f"    names: {', '.join(side.names)}")
