"""Review by claim in the browser (`newsalign serve --review`, issue 28 item 6), through
Datasette's test client (no browser): a POST without the CSRF token is refused, a bad id is a
one-line page and changes nothing, and without --review nothing is written."""

from __future__ import annotations

import asyncio
import re

import pytest

from newsalign.corpus import store
from newsalign.corpus.review import claims as reviewer
from tests.helpers import SEEDS, dump, fetch

pytestmark = pytest.mark.slow  # the corpus is aligned with the real engines

pytest.importorskip("datasette")


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


def _first_claim(db_path) -> int:
    db = store.open_readonly(db_path)
    try:
        return reviewer.screens(db, limit=1)[0].claim
    finally:
        db.close()


def _answers(db_path) -> list[tuple]:
    return fetch(db_path, "SELECT screen_id, asserts FROM review_answers ORDER BY rowid")


def test_a_screen_answered_through_the_page_is_recorded_and_shown(aligned) -> None:
    claim = _first_claim(aligned)
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
        after = await client.get(answered.headers["location"], cookies=answered.cookies)
        return shown, after

    shown, after = asyncio.run(run())
    # one decision per sentence shown: the ticked one yes, the others no
    assert sorted(a for _, a in _answers(aligned)) == [0] * (len(shown) - 1) + [1]
    assert after.status_code == 200 and "answered (1 yes" in after.text


def test_a_post_without_the_csrf_token_is_refused(aligned) -> None:
    claim = _first_claim(aligned)
    client = _client(aligned, reviewer)

    async def run():
        _, _, cookies, shown = await _screen(client, claim)
        data = {"shown": [str(i) for i in shown], "yes": str(shown[0])}
        without = await client.post(f"/-/review/claim/{claim}", data=data, cookies=cookies)
        wrong = await client.post(
            f"/-/review/claim/{claim}", cookies=cookies, data={**data, "csrftoken": "forged"}
        )
        return without.status_code, wrong.status_code

    assert asyncio.run(run()) == (403, 403)
    assert _answers(aligned) == []


@pytest.mark.parametrize(
    ("form", "why"),
    [
        ({"shown": ["abc"]}, "whole numbers"),
        ({"shown": ["999999"], "yes": ["999999"]}, "999999"),
        ({"shown": [], "yes": ["1"]}, "not on this screen"),
    ],
)
def test_a_bad_answer_is_one_line_and_changes_nothing(aligned, form, why) -> None:
    claim = _first_claim(aligned)
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
    assert dump(aligned) == before


def test_an_unknown_claim_is_not_found(aligned) -> None:
    client = _client(aligned, reviewer)

    async def run():
        return (await client.get("/-/review/claim/999999"), await client.get("/-/review/claim/x"))

    missing, malformed = asyncio.run(run())
    assert missing.status_code == 404 and "no claim 999999" in missing.text
    assert malformed.status_code == 404


def test_without_review_the_pages_say_how_and_nothing_is_written(aligned) -> None:
    claim = _first_claim(aligned)
    client = _client(aligned, None)
    before = dump(aligned)

    async def run():
        form = await client.get("/-/messages")  # Datasette's own form: a valid CSRF token
        token = _token(form.text)
        cookies = {"ds_csrftoken": form.cookies["ds_csrftoken"]}
        page = await client.get(f"/-/review/claim/{claim}")
        post = await client.post(
            f"/-/review/claim/{claim}",
            cookies=cookies,
            data={"csrftoken": token, "shown": "1", "yes": "1"},
        )
        return page, post

    page, post = asyncio.run(run())
    assert page.status_code == 403 and "newsalign serve --review" in page.text
    assert post.status_code == 403
    assert dump(aligned) == before


def test_claims_link_to_their_review_page(aligned) -> None:
    claim = _first_claim(aligned)
    client = _client(aligned, None)

    async def run():
        return await client.get(f"/{aligned.stem}/claim_members?story=&claim={claim}")

    page = asyncio.run(run())
    assert page.status_code == 200
    assert f'href="/-/review/claim/{claim}">review this claim</a>' in page.text


def test_each_claim_of_the_report_links_to_its_review_page(aligned, tmp_path) -> None:
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "-o", str(out), "--db", str(aligned)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    claims = re.findall(r'id="claim-(\d+)"', page)
    assert claims
    for claim in claims:
        assert f'href="http://127.0.0.1:8001/-/review/claim/{claim}">review this claim' in page


def test_review_on_another_address_warns(aligned) -> None:
    import socket

    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    with socket.socket() as busy:  # the port is taken: serve stops after its opening lines
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        args = ["serve", "--port", port, "--db", str(aligned)]
        shared = CliRunner().invoke(app, [*args, "--review", "--host", "0.0.0.0"])
        local = CliRunner().invoke(app, [*args, "--review"])
    assert shared.exit_code == 1 and "Warning: --review on 0.0.0.0" in shared.output
    assert local.exit_code == 1 and "Warning" not in local.output
    assert "cannot serve on 127.0.0.1" in local.output


class _Hostile:
    """The review library, its screens' first sentence replaced by markup and a bidi override."""

    TEXT = '<script>alert("x")</script><img src=x onerror=alert(1)> invoice\u202efdp.exe'

    def __getattr__(self, name):
        return getattr(reviewer, name)

    def screens(self, db, **options):
        import dataclasses

        out = []
        for s in reviewer.screens(db, **options):
            first = dataclasses.replace(s.sentences[0], text=self.TEXT, english=self.TEXT)
            out.append(dataclasses.replace(s, sentences=(first, *s.sentences[1:])))
        return out


def test_the_review_pages_escape_what_the_articles_say(aligned) -> None:
    claim = _first_claim(aligned)
    client = _client(aligned, _Hostile())

    async def run():
        return await client.get(f"/-/review/claim/{claim}"), await client.get("/-/review")

    for page in asyncio.run(run()):
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert" in page.text
        assert "\u202e" not in page.text and "[U+202E]" in page.text
