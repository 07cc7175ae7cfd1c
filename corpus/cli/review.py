"""`newsalign review`: review by claim (issue 28). One claim per screen: its label, its members
to keep or remove and candidates to add, numbered; the person toggles numbers and confirms
(interactive), or a script reads the screens (`--json`) and answers one (`review answer`).
Thin: every step is one call of corpus/review/claims.py."""

from __future__ import annotations

from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import INTERRUPTED, DbOption, JsonOption, cli_errors
from newsalign.corpus.plural import plural

HELP = "numbers to toggle, Enter to confirm, [u]ndo last screen, [s]kip, [q]uit"
review_app = typer.Typer(
    help="Review the alignment claim by claim (`newsalign review`), or answer and undo a "
    "screen from a script.",
    no_args_is_help=False,
)


@review_app.callback(invoke_without_command=True)
def review(
    ctx: typer.Context,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="With --json: at most this many screens."),
    ] = None,
    story: Annotated[
        int | None, typer.Option("--story", help="Only this story (id from `newsalign stories`).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Review the alignment by claim: one claim per screen, the screens that fix the most
    sentence pairs first, chosen by the tool.

    A screen shows the claim's label (the sentence that states it), the members a person
    confirmed, and up to 12 numbered sentences to judge: members ([x], kept unless toggled)
    and candidates from other articles ([ ], added only if toggled). Type numbers to toggle
    (e.g. `2 5`), Enter to confirm, `u` to undo the last screen, `s` to skip, `q` to quit.
    Each sentence judged is one answer of the person, applied at once (the story is aligned
    again), honoured by every later `align`, listed by `review answers` and undone per screen
    (`review undo`).

    For scripts, `--json` prints a JSON array of screens, each {"kind": "claim", "claim",
    "story", "label", "members", "candidates", "sentences": [{"id", "outlet", "lang",
    "published", "text", "english"}], ...}; answer one with `newsalign review answer --claim C
    --yes ID... --no ID...`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsalign.corpus.review import claims

    if as_json:
        with cli_errors():
            found = claims.screens(store.open_db(db), story=story, limit=limit)
        typer.echo(render.to_json([s.as_json() for s in found]))
        return
    _interactive(db, story)


def _interactive(db, story: int | None) -> None:
    from newsalign.corpus.errors import NewsalignError
    from newsalign.corpus.review import claims

    with cli_errors():
        database = store.open_db(db)
        setup = claims.setup_for(database)
        # "Screen N of ~M": M fixed when the session starts (claims.progress), N counted here.
        done, total = claims.progress(database, story, setup=setup)
    skipped: set[int] = set()
    answered = 0
    try:
        while True:
            with cli_errors():
                shown = claims.screens(database, story=story, limit=1, skip=skipped, setup=setup)
            if not shown:
                typer.echo("\nNothing left worth reviewing.")
                break
            screen = shown[0]
            said = _screen(screen, done + 1, max(total, done + 1))
            if said == "q":
                break
            if said == "s":
                skipped.add(screen.claim)
                continue
            try:
                if said == "u":
                    undone = claims.undo(database, setup=setup)
                    done = max(done - 1, 0)
                    typer.echo(
                        f"  screen {undone.screen} withdrawn; story {undone.story} re-aligned."
                    )
                    continue
                yes, no = said
                result = claims.answer(database, screen.claim, yes, no, setup=setup)
                answered += 1
                done += 1
                typer.echo(
                    f"  screen {result.screen} recorded ({result.yes} yes, {result.no} no); "
                    f"story {result.story} re-aligned."
                )
            except NewsalignError as exc:  # moved under us, or locked: say so, keep going
                render.echo(f"  not recorded: {exc}")
    except (typer.Abort, KeyboardInterrupt):  # end of input or Ctrl-C at a prompt
        typer.echo("")  # the prompt's line ends here
        typer.echo(INTERRUPTED, err=True)  # every screen confirmed so far is committed
        raise typer.Exit(130) from None
    typer.echo(
        f"{plural(answered, 'screen')} answered this session; see `newsalign review answers` "
        "(undo one with `newsalign review undo --screen N`)."
    )


def _screen(screen, number: int, total: int):
    """Show one screen and read the person's toggles until Enter, u, s or q. Returns the
    (yes, no) lists, or the letter."""
    render.echo(f"\nScreen {number} of ~{total}: claim {screen.claim} (story {screen.story})")
    label = screen.sentence(screen.label)
    render.echo("  Claim:")
    _sentence("    ", label)
    for sid in screen.confirmed:
        _sentence("    = ", screen.sentence(sid))
    judged = list(screen.judged)
    ticked = {sid: sid in screen.members for sid in judged}
    while True:
        typer.echo("  Does each sentence assert this claim? [x] yes, [ ] no:")
        for k, sid in enumerate(judged, 1):
            role = "member" if sid in screen.members else "candidate"
            mark = "x" if ticked[sid] else " "
            _sentence(f"  {k:>2}. [{mark}] ({role}) ", screen.sentence(sid))
        line = typer.prompt(HELP, default="", show_default=False).strip().lower()
        if line in ("u", "s", "q"):
            return line
        if not line:
            return [s for s in judged if ticked[s]], [s for s in judged if not ticked[s]]
        numbers = line.replace(",", " ").split()
        if not all(n.isdigit() and 1 <= int(n) <= len(judged) for n in numbers):
            typer.echo(f"  type numbers from 1 to {len(judged)}, or {HELP}")
            continue
        for n in numbers:
            sid = judged[int(n) - 1]
            ticked[sid] = not ticked[sid]


def _sentence(prefix: str, s) -> None:
    date = s.published[:10] if s.published else "no date"
    render.echo(f"{prefix}[{s.id}] {s.outlet} ({s.lang or '?'}, {date}): {s.text}")
    if s.english:
        render.echo(f"{' ' * len(prefix)}English: {s.english}")


@review_app.command(
    "answer",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    options_metavar="--claim C [--yes ID...] [--no ID...] [OPTIONS]",
)
def answer(
    ctx: typer.Context,
    claim: Annotated[int, typer.Option("--claim", help="The claim (id from `review --json`).")],
    db: DbOption = None,
) -> None:
    """Answer one claim's current screen: `--yes ID...` the sentences that assert the claim
    (keep or add them), `--no ID...` those that do not (remove them, or not a candidate).
    Prints one line. A sentence not on the claim's screen, or a bad id: one line, exit 1,
    nothing changed."""
    from newsalign.corpus.review import claims

    yes, no = _judged(ctx.args)
    with cli_errors():
        done = claims.answer(store.open_db(db), claim, yes, no)
    after = f"claim {done.claim}" if done.claim is not None else "no claim of two articles"
    typer.echo(
        f"Screen {done.screen} recorded: {done.yes} yes, {done.no} no about claim {claim}; "
        f"story {done.story} re-aligned ({after} now; undo: `newsalign review undo --screen "
        f"{done.screen}`)."
    )


def _judged(args: list[str]) -> tuple[list[int], list[int]]:
    """`--yes ID... --no ID...` (also `--yes=1,2`) from the extra arguments."""
    out: dict[str, list[int]] = {"--yes": [], "--no": []}
    into: list[int] | None = None
    for arg in args:
        flag, _, rest = arg.partition("=")
        if flag in out:
            into = out[flag]
            if not rest:
                continue
            arg = rest
        if into is None:
            raise typer.BadParameter(f"unexpected {arg!r}: give --yes ID... and/or --no ID...")
        for part in arg.split(","):
            if not part.strip().isdigit():
                raise typer.BadParameter(f"not a sentence id: {part!r}")
            into.append(int(part))
    return out["--yes"], out["--no"]


@review_app.command("undo")
def undo(
    screen: Annotated[
        int | None, typer.Option("--screen", help="This screen (default: the last answered).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Withdraw an answered screen as a whole (every sentence judged on it) and re-align."""
    from newsalign.corpus.review import claims

    with cli_errors():
        done = claims.undo(store.open_db(db), screen)
    typer.echo(f"Screen {done.screen} withdrawn; story {done.story} re-aligned.")


@review_app.command("answers")
def answers(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The screens a person answered (live and undone), with their yes/no counts."""
    from newsalign.corpus.review import claims

    with cli_errors():
        rows = claims.answered(store.open_db(db))
    if as_json:
        typer.echo(render.to_json(rows))
        return
    if not rows:
        typer.echo("No screens answered yet (`newsalign review`).")
        return
    for r in rows:
        state = f"undone {r.undone}" if r.undone else "live"
        render.echo(
            f"screen {r.id}: claim {r.claim} (story {r.story}), {r.yes} yes, {r.no} no, "
            f"{r.created} [{state}]"
        )
