"""Review by claim in the browser (`newsalign serve --review`, issue 28 item 6), through
Datasette's test client (no browser): a POST without the CSRF token is refused, a bad id is a
one-line page and changes nothing, and without --review nothing is written."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

import pytest

from newsalign.corpus.errors import CorpusError
from tests.helpers import SEEDS, dump

pytestmark = pytest.mark.slow  # the corpus is aligned with the real engines

pytest.importorskip("datasette")


@dataclass(frozen=True)
class _Sentence:
    id: int
    outlet: str
    lang: str | None
    published: str | None
    text: str
    english: str | None


@dataclass(frozen=True)
class _Screen:
    kind: str
    claim: int
    story: int
    label: int
    members: tuple[int, ...]
    candidates: tuple[int, ...]
    sentences: tuple[_Sentence, ...]


@dataclass
class FakeReviewer:
    """corpus/review/claims.py's four functions over the stored claims, answers kept in
    memory: one screen per shared claim, its members and two sentences of its story's other
    claims as candidates; an answer naming a sentence not on the screen is refused."""

    answers: list[tuple[int, list[int], list[int]]] = field(default_factory=list)

    def screens(self, db, *, story=None, limit=None, skip=()):
        rows = list(db.execute(
            "SELECT k.id, k.story_id, m.segment_id, d.source, s.lang, d.published, s.text "
            "FROM clusters k JOIN cluster_members m ON m.cluster_id = k.id "
            "JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id "
            "WHERE k.sources >= 2 ORDER BY k.id, m.segment_id"
        ))  # fmt: skip
        out = []
        for claim in sorted({r[0] for r in rows}):
            mine = [r for r in rows if r[0] == claim]
            others = [r for r in rows if r[1] == mine[0][1] and r[0] != claim][:2]
            out.append(_Screen(
                "claim", claim, mine[0][1], mine[0][2], tuple(r[2] for r in mine),
                tuple(r[2] for r in others),
                tuple(_Sentence(r[2], r[3], r[4], r[5], r[6], None) for r in mine + others),
            ))  # fmt: skip
        return [s for s in out if story in (None, s.story)][:limit]

    def answer(self, db, claim, yes, no):
        screen = next((s for s in self.screens(db) if s.claim == claim), None)
        if screen is None:
            raise CorpusError(f"no screen for claim {claim}")
        shown = set(screen.members) | set(screen.candidates)
        if not set(yes) | set(no) <= shown:
            raise CorpusError(f"a sentence is not on claim {claim}'s screen")
        self.answers.append((claim, list(yes), list(no)))

    def undo(self, db, screen=None):
        if not self.answers:
            raise CorpusError("nothing to undo")
        self.answers.pop()

    def progress(self, db, story=None):
        return len(self.answers), len(self.screens(db, story=story))


@pytest.fixture
def aligned(corpus_copy):
    return corpus_copy("seeds-aligned", lambda _: [["ingest", str(SEEDS)], ["align"]])


def _client(db_path, reviewer):
    from newsalign.corpus.publish.serve import app

    return app(db_path, reviewer).client


def _token(page: str) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)


async def _screen(client, claim: int):
    """The claim's page, its CSRF token and cookie, and the sentence ids it shows."""
    page = await client.get(f"/-/review/claim/{claim}")
    assert page.status_code == 200, page.text[:300]
    shown = [int(v) for v in re.findall(r'name="shown" value="(\d+)"', page.text)]
    return page, _token(page.text), {"ds_csrftoken": page.cookies["ds_csrftoken"]}, shown


def _first_claim(reviewer, db_path) -> int:
    from newsalign.corpus import store

    return reviewer.screens(store.open_readonly(db_path))[0].claim


def test_a_screen_answered_through_the_page_reaches_the_library(aligned) -> None:
    reviewer = FakeReviewer()
    claim = _first_claim(reviewer, aligned)
    client = _client(aligned, reviewer)

    async def run():
        page, token, cookies, shown = await _screen(client, claim)
        assert 'type="checkbox"' in page.text and "screen 1 of ~" in page.text
        answered = await client.post(
            f"/-/review/claim/{claim}",
            data={"csrftoken": token, "shown": [str(i) for i in shown], "yes": str(shown[-1])},
            cookies=cookies,
        )
        assert answered.status_code == 302, answered.text[:300]
        return shown

    shown = asyncio.run(run())
    assert reviewer.answers == [(claim, [shown[-1]], sorted(shown[:-1]))]


def test_a_post_without_the_csrf_token_is_refused(aligned) -> None:
    reviewer = FakeReviewer()
    claim = _first_claim(reviewer, aligned)
    client = _client(aligned, reviewer)

    async def run():
        _, _, cookies, shown = await _screen(client, claim)
        data = {"shown": [str(i) for i in shown], "yes": str(shown[0])}
        without = await client.post(f"/-/review/claim/{claim}", data=data, cookies=cookies)
        wrong = await client.post(f"/-/review/claim/{claim}", cookies=cookies,
                                  data={**data, "csrftoken": "forged"})  # fmt: skip
        return without.status_code, wrong.status_code

    assert asyncio.run(run()) == (403, 403)
    assert reviewer.answers == []


@pytest.mark.parametrize(
    ("form", "why"),
    [
        ({"shown": ["abc"]}, "whole numbers"),
        ({"shown": ["999999"], "yes": ["999999"]}, "not on claim"),
        ({"shown": [], "yes": ["1"]}, "not on this screen"),
    ],
)
def test_a_bad_answer_is_one_line_and_changes_nothing(aligned, form, why) -> None:
    reviewer = FakeReviewer()
    claim = _first_claim(reviewer, aligned)
    client = _client(aligned, reviewer)
    before = dump(aligned)

    async def run():
        _, token, cookies, _ = await _screen(client, claim)
        return await client.post(
            f"/-/review/claim/{claim}", data={"csrftoken": token, **form}, cookies=cookies
        )

    response = asyncio.run(run())
    assert response.status_code == 400 and why in response.text
    assert "Traceback" not in response.text
    assert reviewer.answers == [] and dump(aligned) == before


def test_an_unknown_claim_is_not_found(aligned) -> None:
    client = _client(aligned, FakeReviewer())

    async def run():
        return (await client.get("/-/review/claim/999999"), await client.get("/-/review/claim/x"))

    missing, malformed = asyncio.run(run())
    assert missing.status_code == 404 and "no claim 999999" in missing.text
    assert malformed.status_code == 404


def test_without_review_the_pages_say_how_and_nothing_is_written(aligned) -> None:
    claim = _first_claim(FakeReviewer(), aligned)
    client = _client(aligned, None)
    before = dump(aligned)

    async def run():
        form = await client.get("/-/messages")  # Datasette's own form: a valid CSRF token
        token = _token(form.text)
        cookies = {"ds_csrftoken": form.cookies["ds_csrftoken"]}
        page = await client.get(f"/-/review/claim/{claim}")
        post = await client.post(f"/-/review/claim/{claim}", cookies=cookies,
                                 data={"csrftoken": token, "shown": "1", "yes": "1"})  # fmt: skip
        return page, post

    page, post = asyncio.run(run())
    assert page.status_code == 403 and "newsalign serve --review" in page.text
    assert post.status_code == 403
    assert dump(aligned) == before


def test_claims_link_to_their_review_page(aligned) -> None:
    claim = _first_claim(FakeReviewer(), aligned)
    client = _client(aligned, None)

    async def run():
        return await client.get(f"/{aligned.stem}/claims?story=&claim={claim}")

    page = asyncio.run(run())
    assert page.status_code == 200
    assert f'href="/-/review/claim/{claim}">review this claim</a>' in page.text
