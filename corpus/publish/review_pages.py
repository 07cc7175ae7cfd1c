"""The review pages of `newsalign serve`: review by claim in the browser (issue 28). `/-/review`
lists the screens the tool chose, `/-/review/claim/<id>` shows one claim's screen (its label,
its members ticked and the candidates to add, each with outlet, language, date and English) as
a form: a ticked sentence asserts the claim, an unticked one does not; Undo takes the last
screen back. Only `serve --review` can write, through the review library it is handed (the
command line passes corpus/review/claims.py: publish does not import review, a layer beside
it); without it the pages say how to turn review on and change nothing.

Each form carries Datasette's CSRF token (asgi-csrf refuses a POST without it). The work runs
in a thread on a connection of its own, one answer at a time."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs

from datasette import Response, hookimpl
from datasette.utils.asgi import BadRequest, Forbidden, NotFound
from markupsafe import Markup, escape

from newsalign.corpus import store
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.answers import claim_of
from newsalign.corpus.store.claims import show_claim
from newsalign.corpus.store.records import ClaimDetail

T = TypeVar("T")
NAME = "newsalign-review"  # the plugin's name in Datasette's plugin manager
OFF = "Review is off: this server is read-only. Start it with `newsalign serve --review`."
LIST_LIMIT = 100  # screens listed on /-/review


class Reviewer(Protocol):
    """What the pages call: corpus/review/claims.py's functions. A page that calls two of them
    resolves one `setup_for` and passes it to both, so its story is scored once."""

    def setup_for(self, db: Any) -> Any: ...

    def screens(
        self,
        db: Any,
        *,
        story: int | None = None,
        limit: int | None = None,
        skip: Iterable = (),
        setup: Any = None,
    ) -> list: ...

    def answer(self, db: Any, claim: int, yes: Sequence[int], no: Sequence[int]) -> Any: ...

    def undo(self, db: Any, screen: int | None = None) -> Any: ...

    def progress(
        self, db: Any, story: int | None = None, *, setup: Any = None
    ) -> tuple[int, int]: ...


def review_path(claim: int) -> str:
    """A claim's review page, relative to the site's root."""
    return f"/-/review/claim/{claim}"


def _ids(values: list[str], what: str) -> list[int]:
    try:
        return [int(v) for v in values if v.strip()]
    except ValueError:
        raise BadRequest(f"{what}: sentence ids are whole numbers") from None


class ReviewPages:
    """A Datasette plugin object: the review routes and the claim links, for one server."""

    __name__ = NAME  # Datasette lists its plugins by their module's name; this one has none

    def __init__(self, db_path: Path, reviewer: Reviewer | None) -> None:
        self.db_path = db_path
        self.reviewer = reviewer
        self._lock = threading.Lock()  # one answer or undo at a time, across requests

    # -- Datasette hooks

    @hookimpl
    def register_routes(self):
        return [
            (r"^/-/review$", self.index),
            (r"^/-/review/claim/(?P<claim>[0-9]{1,18})$", self.claim),
            (r"^/-/review/undo$", self.undo),
        ]

    @hookimpl
    def render_cell(self, value, column, table, database, datasette):
        """A claim id links to its review: the `claim` column of a query (the claims query's
        first), the `id` of the clusters table."""
        by_query = table is None and column == "claim"
        if not (by_query or (table == "clusters" and column == "id")):
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        href = datasette.urls.path(review_path(value))
        return Markup(f'{value} <a href="{escape(href)}">review this claim</a>')

    # -- the work, in a thread on its own connection

    async def _run(self, work: Callable[[Any], T], *, write: bool) -> T:
        def call() -> T:
            if write:
                with self._lock:
                    db = store.open_db(self.db_path)
                    try:
                        return work(db)
                    finally:
                        db.close()
            db = store.open_readonly(self.db_path)
            try:
                return work(db)
            finally:
                db.close()

        try:
            return await asyncio.to_thread(call)
        except CorpusError as exc:
            raise BadRequest(str(exc)) from None

    def _on(self) -> Reviewer:
        if self.reviewer is None:
            raise Forbidden(OFF)
        return self.reviewer

    # -- pages

    async def index(self, datasette, request):
        reviewer = self._on()
        story = _ids(request.args.getlist("story"), "story")
        story_id = story[0] if story else None

        def read(db):
            setup = reviewer.setup_for(db)
            return (
                reviewer.screens(db, story=story_id, limit=LIST_LIMIT, setup=setup),
                reviewer.progress(db, story=story_id, setup=setup),
            )

        screens, (done, total) = await self._run(read, write=False)
        rows = [
            {
                "claim": s.claim,
                "story": s.story,
                "label": _sentence(s, s.label),
                "members": len(s.members),
                "candidates": len(s.candidates),
                "href": datasette.urls.path(review_path(s.claim)),
            }
            for s in screens
        ]
        context = {"rows": rows, "done": done, "total": total, "story": story_id}
        return Response.html(
            await datasette.render_template("review.html", context, request=request)
        )

    async def claim(self, datasette, request):
        reviewer = self._on()
        claim_id = int(request.url_vars["claim"])
        if request.method == "POST":
            return await self._answer(datasette, request, reviewer, claim_id)

        def read(db) -> tuple[tuple[int, int | None], ClaimDetail, Any, Any, tuple[int, int]]:
            where = claim_of(db, claim_id)
            if where is None:
                raise NotFound(f"no claim {claim_id} (see `newsalign claims list`)")
            setup = reviewer.setup_for(db)
            found = reviewer.screens(db, story=where[0], setup=setup)
            screen = next((s for s in found if s.claim == claim_id), None)
            after = next((s.claim for s in found if s.claim != claim_id), None)
            progress = reviewer.progress(db, story=where[0], setup=setup)
            return where, show_claim(db, claim_id), screen, after, progress

        (story, label), detail, screen, after, (done, total) = await self._run(read, write=False)
        member = next((m for m in detail.members if m.segment_id == label), None)
        context = {
            "claim": detail,
            "story": story,
            "screen": _screen_rows(screen),
            # The label as the screen shows it, else as the claim holds it (no screen now).
            "label": _sentence(screen, screen.label) if screen else _as_sentence(member),
            "label_id": label,
            "done": done,
            "total": total,
            "action": datasette.urls.path(review_path(claim_id)),
            "undo": datasette.urls.path("/-/review/undo"),
            "index": datasette.urls.path("/-/review"),
            # The story's best other screen: where Submit's page, or skipping this one, leads.
            "next": datasette.urls.path(review_path(after)) if after is not None else None,
            "next_claim": after,
        }
        return Response.html(
            await datasette.render_template("review_claim.html", context, request=request)
        )

    async def _answer(self, datasette, request, reviewer: Reviewer, claim_id: int):
        form = parse_qs((await request.post_body()).decode("utf-8", "replace"))
        shown = set(_ids(form.get("shown", []), "shown"))
        yes = _ids(form.get("yes", []), "yes")
        if not set(yes) <= shown:
            raise BadRequest("a ticked sentence was not on this screen")
        no = sorted(shown - set(yes))
        answered = await self._run(lambda db: reviewer.answer(db, claim_id, yes, no), write=True)
        now = answered.claim
        datasette.add_message(
            request,
            f"Screen {answered.screen} answered ({answered.yes} yes, {answered.no} no); story "
            f"{answered.story} aligned again"
            + (f": the claim is C{now} now." if now is not None else ": no claim is left."),
            datasette.INFO,
        )
        target = review_path(now) if now is not None else "/-/review"
        return Response.redirect(datasette.urls.path(target))

    async def undo(self, datasette, request):
        reviewer = self._on()
        if request.method != "POST":
            raise BadRequest("undo is a form's button (POST)")
        form = parse_qs((await request.post_body()).decode("utf-8", "replace"))
        back = _ids(form.get("back", []), "back")
        undone = await self._run(lambda db: reviewer.undo(db), write=True)
        datasette.add_message(request, f"Screen {undone.screen} undone.", datasette.INFO)
        claim = undone.claim if undone.claim is not None else (back[0] if back else None)
        target = review_path(claim) if claim is not None else "/-/review"
        return Response.redirect(datasette.urls.path(target))


def _sentence(screen: Any, sentence_id: int) -> Any:
    return next((s for s in screen.sentences if s.id == sentence_id), None)


def _as_sentence(member: Any) -> dict[str, Any] | None:
    """A stored member shown as a screen shows a sentence."""
    if member is None:
        return None
    english = member.english if member.english_from.startswith("translation") else None
    return {
        "id": member.segment_id,
        "outlet": member.source,
        "lang": member.lang,
        "published": None,
        "text": member.original,
        "english": english,
    }


def _screen_rows(screen: Any) -> list[dict[str, Any]] | None:
    """The screen's judged sentences in order, members (ticked) first, then candidates."""
    if screen is None:
        return None
    rows = []
    for kind, ids in (("member", screen.members), ("candidate", screen.candidates)):
        for sentence_id in ids:
            rows.append({"kind": kind, "sentence": _sentence(screen, sentence_id)})
    return rows
