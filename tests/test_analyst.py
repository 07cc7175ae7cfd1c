"""The analyst's view: manifests, page metadata, story timelines, corrections that last, the
HTML report (read in a real browser) and the serve home page.

A three-outlet story written for these tests: two outlets date their articles through the
manifest, one names the city Stepanakert, and two give different numbers for one claim.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, Served, fetch, headless

ARTICLES = {
    "alpha.txt": """Russia to open consulate in Khankendi

Russia plans to open a consulate general in Khankendi this year, senator Grigory Karasin said on Monday.

The consulate would employ 12 diplomats, he added.

Azerbaijan's foreign ministry declined to comment on the plan.

Karasin spoke at a meeting with a parliamentary delegation in Moscow.
""",
    "beta.txt": """Moscow wants a consulate in Stepanakert

Russia plans to open a consulate general in Stepanakert this year, senator Grigory Karasin said on Monday.

The consulate would employ 15 diplomats, he added.

The foreign ministry of Azerbaijan declined to comment on the plan.

Local residents left the city last year after the military operation.
""",
    "gamma.txt": """Consulate plan draws criticism

Russia plans to open a consulate general in Khankendi this year, Grigory Karasin said.

Azerbaijan's foreign ministry declined to comment on the plan.

Critics called the proposal a provocation aimed at the region.
""",
}
MANIFEST = (
    "file\turl\toutlet\tlanguage\tdate\n"
    "alpha.txt\thttps://alpha.example/consulate\tAlpha Wire\ten\t2024-05-27\n"
    "beta.txt\thttps://beta.example/a/1\tBeta News\t\t2024-05-28\n"
    "gamma.txt\t\tGamma Daily\t\t\n"
)
LATE = """Karasin repeats consulate plan

Russia plans to open a consulate general in Khankendi this year, senator Grigory Karasin repeated.

Observers expect talks with Baku to take months.
"""


def write_story(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "index.tsv").write_text(MANIFEST, encoding="utf-8")
    return folder / "index.tsv"


def analyst_story(folder: Path) -> list[list[str]]:
    """The three articles ingested with their manifest and aligned with the real engines."""
    return [["ingest", "--manifest", str(write_story(folder / "story"))], ["align"]]


@pytest.fixture
def story(corpus_copy, tmp_path) -> Path:
    """This test's copy of the analyst story (built once a session), and its folder."""
    write_story(tmp_path / "story")
    return corpus_copy("analyst", analyst_story)


def claim_of(db_path: Path, text: str) -> int:
    (row,) = fetch(
        db_path,
        "SELECT DISTINCT m.cluster_id FROM cluster_members m JOIN segments s "
        "ON s.id = m.segment_id WHERE s.text LIKE ?",
        [f"{text}%"],
    )
    return row[0]


def sentence(db_path: Path, outlet: str, text: str) -> int:
    (row,) = fetch(
        db_path,
        "SELECT s.id FROM text_segments s WHERE s.source = ? AND s.text LIKE ?",
        [outlet, f"{text}%"],
    )
    return row[0]


# --- Metadata in ------------------------------------------------------------------------------


def test_a_manifest_names_outlet_url_and_date_and_its_bad_rows_by_line(cli, db_path, tmp_path):
    index = write_story(tmp_path / "story")
    index.write_text(
        MANIFEST + "missing.txt\t\tNowhere\t\t2024-05-30\ngamma.txt\t\tGamma Daily\t\t2024-13-45\n",
        encoding="utf-8",
    )
    result = cli("ingest", "--manifest", str(index))
    assert result.exit_code == 1
    assert "manifest line 5" in result.output and "missing.txt" in result.output
    assert "manifest line 6" in result.output and "2024-13-45" in result.output
    rows = fetch(
        db_path,
        "SELECT source, url, published, outlet_from, published_from FROM documents ORDER BY id",
    )
    # gamma.txt is named twice, once with a bad date: it waits until the row is fixed.
    assert rows == [
        ("Alpha Wire", "https://alpha.example/consulate", "2024-05-27", "manifest", "manifest"),
        ("Beta News", "https://beta.example/a/1", "2024-05-28", "manifest", "manifest"),
    ]


def test_outlet_and_date_from_the_page_itself() -> None:
    from newsalign.corpus.ingest.clean import clean_text

    page = (
        "date 2024-06-01 + ↺ − 16 px\n\nAZ\n\nConsulate plan draws criticism\n\n"
        "By Seymur Mammadov\n\nRussia's plans to open a consulate general have sparked "
        "heated debates in public forums and surprised many.\n\n"
        "© 2024 News.Az. All rights reserved.\n"
    )
    cleaned = clean_text(page)
    assert cleaned.published == "2024-06-01" and cleaned.published_from == "page"
    assert cleaned.title == "Consulate plan draws criticism"  # not the controls, not the byline
    assert cleaned.site == "News.Az" and cleaned.site_from == "page"


# --- Timeline and coverage --------------------------------------------------------------------


@pytest.mark.slow
def test_stories_show_gives_the_timeline_first_reports_and_coverage(story, cli) -> None:
    (summary,) = json.loads(cli("stories", "--json").output)
    data = json.loads(cli("stories", "show", str(summary["id"]), "--json").output)
    assert [(d["source"], d["published"]) for d in data["documents"]] == [
        ("Alpha Wire", "2024-05-27"),
        ("Beta News", "2024-05-28"),
        ("Gamma Daily", None),
    ]
    plan = next(c for c in data["claims"] if "consulate general" in c["claim"])
    assert plan["first"] == ["Alpha Wire"] and plan["first_published"] == "2024-05-27"
    assert [r["outlet"] for r in plan["reports"]] == ["Alpha Wire", "Beta News", "Gamma Daily"]
    numbers = next(c for c in data["coverage"] if c["claim"] == claim_of(story, "The consulate"))
    assert set(numbers["outlets"]) == {"Alpha Wire", "Beta News"}
    text = cli("stories", "show", str(summary["id"])).output
    assert "first: Alpha Wire (2024-05-27)" in text and "Gamma Daily" in text


# --- Corrections that last --------------------------------------------------------------------


@pytest.mark.slow
def test_corrections_are_applied_by_every_later_align_and_survive_new_articles(
    story, cli, tmp_path
):
    db = story
    plan = claim_of(db, "Russia plans to open a consulate general in Khankendi this year, senator")
    numbers = claim_of(db, "The consulate would employ 12")
    declined = claim_of(db, "Azerbaijan's foreign ministry declined")
    gamma = sentence(db, "Gamma Daily", "Russia plans")
    beta = sentence(db, "Beta News", "Russia plans")

    result = cli("claims", "split", str(plan), str(gamma), "--note", "Gamma drops the senator")
    assert result.exit_code == 0, result.output
    assert fetch(db, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [gamma]) == []
    # Claims keep their ids: untouched, or short of one member (more than half of each stays).
    assert {r[0] for r in fetch(db, "SELECT id FROM clusters")} == {plan, numbers, declined}
    assert fetch(db, "SELECT size FROM clusters WHERE id = ?", [plan]) == [(2,)]

    alpha_residents = sentence(db, "Alpha Wire", "Karasin spoke")
    beta_residents = sentence(db, "Beta News", "Local residents")
    assert cli("claims", "accept", str(alpha_residents), str(beta_residents)).exit_code == 0
    together = fetch(
        db,
        "SELECT count(DISTINCT cluster_id) FROM cluster_members WHERE segment_id IN (?, ?)",
        [alpha_residents, beta_residents],
    )
    assert together == [(1,)]
    assert (
        cli(
            "claims",
            "reject",
            str(beta),
            str(sentence(db, "Alpha Wire", "Russia plans")),
            "--no-align",
        ).exit_code
        == 0
    )

    decisions = json.loads(cli("claims", "decisions", "--json").output)
    assert [d["action"] for d in decisions] == ["split", "accept", "reject"]
    assert decisions[0]["note"] == "Gamma drops the senator"

    # A new article, then align: every decision still holds.
    (tmp_path / "story" / "delta.txt").write_text(LATE, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "story" / "delta.txt"), "--source", "Delta").exit_code == 0
    report = json.loads(cli("align", "--json").output)
    assert report["decisions"] == 1 + 1 + 2 and report["decisions_unapplied"] == 0

    def claim(segment: int) -> int | None:
        found = fetch(db, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [segment])
        return found[0][0] if found else None

    assert claim(gamma) is None or claim(gamma) != claim(beta)
    assert claim(beta) is None or claim(beta) != claim(sentence(db, "Alpha Wire", "Russia plans"))
    assert claim(alpha_residents) == claim(beta_residents) is not None
    assert claim(sentence(db, "Alpha Wire", "The consulate")) == numbers
    assert claim(sentence(db, "Alpha Wire", "Azerbaijan's foreign")) == declined

    # Withdrawn, the split no longer holds: Gamma's sentence may rejoin the claim.
    assert cli("claims", "undo", str(decisions[0]["id"])).exit_code == 0
    assert len(json.loads(cli("claims", "decisions", "--json").output)) == 2


def test_a_report_before_alignment_says_what_to_do(cli, tmp_path) -> None:
    assert cli("ingest", "--manifest", str(write_story(tmp_path / "story"))).exit_code == 0
    result = cli("report", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1 and "run `newsalign align`" in result.output
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_bad_corrections_are_one_line_and_change_nothing(story, cli) -> None:
    db = story
    before = fetch(db, "SELECT * FROM decisions")
    alpha = sentence(db, "Alpha Wire", "Russia plans")
    for args, message in [
        (("claims", "accept", str(alpha), str(alpha)), "same article"),
        (("claims", "reject", str(alpha), "99999"), "no sentence 99999"),
        (("claims", "split", "99999", str(alpha)), "no claim 99999"),
        (("claims", "merge", "1"), "two or more"),
        (("claims", "undo", "42"), "no decision 42"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert fetch(db, "SELECT * FROM decisions") == before


# --- The report -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_report_answers_who_first_which_name_and_where_numbers_disagree(story, cli, tmp_path):
    out = tmp_path / "report.html"
    result = cli("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    # Self-contained: one inline script (the filters), no stylesheets or images fetched.
    assert page.count("<script") == 1 and "<script src" not in page
    assert "<link" not in page and "<img" not in page
    assert "@media print" in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\s+", " ", text)
    assert "Where versions disagree" in text
    assert re.search(r"numbers : Alpha Wire \(1\): 12; Beta News \(2\): 15", text), text[:3000]
    assert "first Alpha Wire (2024-05-27)" in text
    assert re.search(r"Beta News Stepanakert \(Armenian\)", text)
    # The summary comes first: what happened, who was first, disagreements, naming stance.
    summary = text[text.index("Summary") : text.index("Timeline")]
    assert "What happened" in summary and "First to report : Alpha Wire" in summary
    assert "Where versions disagree" in text[: text.index("Timeline")]
    assert re.search(r"Naming stance : [^;]*Stepanakert \(Armenian\) in 1 outlet", summary)
    # Every coverage cell opens a sentence that is in the page.
    for target in re.findall(r'href="#(s-\d+)"', page):
        assert f'id="{target}"' in page


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_the_report_in_a_browser(story, cli, tmp_path) -> None:
    """What a reader sees: the report opened from disk in headless Chromium, with no network."""
    out = tmp_path / "report.html"
    assert cli("report", "-o", str(out)).exit_code == 0
    browser = headless(tmp_path / "chromium", "--window-size=1366,900", "--hide-scrollbars")
    dom = subprocess.run(
        [*browser, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert '<mark class="conflict"' in dom and ">12<" in dom and ">15<" in dom
    assert 'class="cell first"' in dom and "Stepanakert" in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [*browser, f"--screenshot={shot}", out.as_uri()], capture_output=True, timeout=120
    )
    width, height, pixels = png_summary(shot)
    assert (width, height) == (1366, 900) and pixels > 5  # drawn, not a blank page


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_the_report_filters_by_outlet_language_and_date_without_a_server(story, cli, tmp_path):
    """report.html?outlet=…: the page's own script hides the other outlets' sentences, the
    claims left with none, and their coverage rows; the count says how many are shown."""
    out = tmp_path / "report.html"
    assert cli("report", "-o", str(out)).exit_code == 0
    browser = headless(tmp_path / "chromium")

    def dom(query: str) -> str:
        return subprocess.run(
            [*browser, "--dump-dom", out.as_uri() + query],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout

    page = dom("")
    claims = len(re.findall(r'<div class="claim" id="claim-\d+"', page))
    assert claims >= 2 and 'hidden=""' not in page and 'id="filtered" class="muted"></span>' in page
    carried: dict[str, set[str]] = {}  # outlet -> the claims it carries
    for claim, body in re.findall(r'<div class="claim" id="(claim-\d+)">(.*?)</div>', page, re.S):
        for outlet in re.findall(r'<tr id="s-\d+" data-outlet="([^"]*)"', body):
            carried.setdefault(outlet, set()).add(claim)
    fewest = min(carried, key=lambda o: len(carried[o]))  # an outlet some claims lack
    beta = dom("?outlet=" + fewest.replace(" ", "%20"))
    rows = re.findall(r'<tr id="s-\d+" data-outlet="([^"]*)"[^>]*?( hidden="")?>', beta)
    assert rows and all((outlet == fewest) != bool(hidden) for outlet, hidden in rows), rows
    shown = len(re.findall(r'<div class="claim" id="claim-\d+">', beta))
    assert shown == len(carried[fewest])
    assert 0 < shown < claims and f"showing {shown} of {claims} claims" in beta
    hidden_rows = re.findall(r'<tr data-claim="(claim-\d+)" hidden="">', beta)
    assert len(hidden_rows) == claims - shown
    nothing = dom("?from=2099-01-01")  # after every date: nothing is left
    assert f"showing 0 of {claims} claims" in nothing


def png_summary(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct colours in the first rows of a PNG."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        size = struct.unpack(">I", data[at : at + 4])[0]
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + size])
        at += 12 + size
    raw = zlib.decompressobj().decompress(b"".join(chunks), 4 * width * 200)
    return width, height, len(set(raw[i : i + 3] for i in range(0, len(raw) - 3, 4)))


# --- serve ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_serve_opens_on_the_stories_and_searches_every_name(story, cli, tmp_path) -> None:
    cli_hits = json.loads(cli("search", "Stepanakert", "--json").output)
    alpha, beta = (
        sentence(story, "Alpha Wire", "Karasin spoke"),
        sentence(story, "Beta News", "Local"),
    )
    assert cli("claims", "reject", str(alpha), str(beta), "--no-align").exit_code == 0
    with Served(story) as server:
        status, home = server.get("/")
        assert status == 200
        assert "Stories" in home and "Russia to open consulate in Khankendi" in html.unescape(home)
        assert f"/{server.db}/claim_members?story=" in home
        status, found = server.get(f"/{server.db}/search.json?q=Stepanakert&_shape=array")
        rows = json.loads(found)
        # Khankendi in Alpha and Gamma, Stepanakert in Beta: the CLI's entity-aware hits too.
        assert {r["outlet"] for r in rows} == {"Alpha Wire", "Beta News", "Gamma Daily"}
        assert len(rows) == len(cli_hits)
        status, found = server.get(f"/{server.db}/corrections.json?_shape=array")
        (decided,) = json.loads(found)
        assert decided["sentence_a"].startswith("Alpha Wire: Karasin spoke")
        assert decided["decided"] == "not the same claim"
        status, claims = server.get(f"/{server.db}/claim_members?story=&claim=")
        assert status == 200 and "Alpha Wire" in claims
        assert "FROM clusters" not in claims  # the SQL is hidden unless asked
        if CHROMIUM:
            shot = tmp_path / "home.png"
            subprocess.run(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={tmp_path / 'chromium'}",
                    "--window-size=1366,900",
                    f"--screenshot={shot}",
                    server.base + "/",
                ],
                capture_output=True,
                timeout=120,
            )
            assert png_summary(shot)[:2] == (1366, 900)
