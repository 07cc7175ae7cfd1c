"""The command line's rules (docs/reference/exit-codes.md), held in every command: usage
errors, interruptions, a language without a model, options before or after a subcommand, and
messages that say what is true in plain words."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsalign.corpus.cli.app import INTERRUPTED, main

GERMAN = (
    "Parlament billigt Bahngesetz\n\nDas Parlament hat am Montag das neue Bahngesetz "
    "gebilligt, sagte die Sprecherin Nino Beridze.\n"
)


def _err_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "--no-such-option"],
        ["align", "--cluster", "local:0"],
        ["align", "--cluster", "foo"],  # refused though there is nothing to align
        ["translate", "--cluster", "tcp://h"],
        ["ingest", "--cluster", "local:999", "nosuchfolder"],
        ["claims", "show", "notanumber"],
    ],
)
def test_usage_errors_print_the_usage_line_and_exit_2(args, tmp_path, capsys) -> None:
    db = tmp_path / "corpus.db"
    assert main([*args, "--db", str(db)]) == 2
    lines = _err_lines(capsys)
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"Usage: newsalign {args[0]}"), lines
    assert lines[1].startswith("Error: ") and f"(see `newsalign {args[0]}" in lines[1], lines
    assert not db.exists()  # nothing was opened, let alone created


def _one_screen() -> SimpleNamespace:
    """One claim screen with one candidate: the prompt is where the input ends."""
    said = SimpleNamespace(
        id=7, outlet="TASS", lang="ru", published="2024-05-27", text="Said.", english=None
    )
    return SimpleNamespace(
        claim=3, story=1, label=7, confirmed=(), judged=(8,), members=(), sentence=lambda sid: said
    )


class _CtrlC(io.StringIO):
    def readline(self, *args) -> str:
        raise KeyboardInterrupt


@pytest.mark.parametrize("stdin", [io.StringIO(""), _CtrlC()], ids=["end of input", "ctrl-c"])
def test_review_at_a_prompt_is_interrupted_with_130(stdin, tmp_path, capsys, monkeypatch) -> None:
    from newsalign.corpus.review import claims

    db = tmp_path / "corpus.db"
    assert main(["init", "--db", str(db)]) == 0
    monkeypatch.setattr(claims, "setup_for", lambda db: None)
    monkeypatch.setattr(claims, "progress", lambda db, story, setup=None: (0, 1))
    monkeypatch.setattr(claims, "screens", lambda db, **kw: [_one_screen()])
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["review", "--db", str(db)]) == 130
    captured = capsys.readouterr()
    assert "Screen 1 of ~1: claim 3" in captured.out
    assert "Aborted" not in captured.err + captured.out
    assert INTERRUPTED in captured.err.splitlines()


def test_translate_without_a_model_says_so_and_exits_0_as_run_does(
    cli, tmp_path, argos_dir
) -> None:
    article = tmp_path / "bahn.txt"
    article.write_text(GERMAN, encoding="utf-8")
    assert cli("ingest", str(article)).exit_code == 0
    result = cli("translate")
    assert result.exit_code == 0, result.output
    assert "Translated nothing: no model or memory entry for de." in result.output
    assert "Not translated (de): no model for de→en" in result.output
    assert "Error" not in result.output


@pytest.mark.slow
def test_no_progress_is_counted_for_a_language_no_model_covers(
    cli, db_path, tmp_path, argos_dir
) -> None:
    from newsalign.corpus import store
    from newsalign.corpus.mt.run import Options, translate_corpus

    article = tmp_path / "bahn.txt"
    article.write_text(GERMAN, encoding="utf-8")
    assert cli("ingest", str(article)).exit_code == 0
    seen: list[tuple[int, int]] = []
    report = translate_corpus(
        store.open_db(db_path), Options(), on_progress=lambda d, t: seen.append((d, t))
    )
    assert report.translated == 0 and "de" in report.missing_models
    assert seen == []


def test_no_message_counts_in_parenthesised_plurals() -> None:
    """ "1 answer(s)", "2 pair(s)": every count is said with corpus/plural.py (the translate and
    glossary packages, which may not import it, say it themselves)."""
    import re
    import tokenize

    from tests.helpers import ROOT

    found = []
    for folder in ("corpus", "translate", "glossary"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            with path.open("rb") as fh:
                for token in tokenize.tokenize(fh.readline):
                    if token.type == tokenize.STRING and re.search(
                        r"[a-z]\(s\)(?<!http\(s\))(?![})\w])",
                        token.string,  # not code in {}
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert found == []


GROUP_COMMANDS = [
    ["claims", "list"],
    ["stories"],
    ["stories", "show", "1"],
    ["documents", "corrections"],
    ["export", "corpus"],
    ["glossary", "list"],
    ["tm", "import", "memory.tsv", "--from", "de", "--to", "en"],
    ["models", "list"],
]


@pytest.mark.parametrize("args", GROUP_COMMANDS, ids=" ".join)
def test_group_options_come_before_or_after_the_command(
    args, tmp_path, monkeypatch, capsys, argos_dir
) -> None:
    """`claims --db X list` works as `claims list --db X` does, in every group; the database
    named before the command is the one used (none is in the working folder)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "memory.tsv").write_text("Guten Tag\tGood day\n", encoding="utf-8")
    first, second = str(tmp_path / "a" / "corpus.db"), str(tmp_path / "b" / "corpus.db")
    for db in (first, second):
        Path(db).parent.mkdir()
        assert main(["init", "--db", db]) == 0
    capsys.readouterr()
    after = main([*args, "--db", first]), capsys.readouterr()
    before = main([args[0], "--db", second, *args[1:]]), capsys.readouterr()
    assert before[0] == after[0], (before, after)
    assert before[1].out == after[1].out and before[1].err == after[1].err
    assert "No such option" not in before[1].err
    assert not (tmp_path / "newsalign.db").exists()


def test_every_group_takes_db_and_json() -> None:
    from typer.main import get_command

    from newsalign.corpus.cli.app import app

    root = get_command(app)
    groups = {name: c for name, c in root.commands.items() if hasattr(c, "commands")}
    assert {"claims", "stories", "documents", "export", "glossary", "tm", "models"} <= set(groups)
    for name, group in groups.items():
        assert {"db", "as_json"} <= {p.name for p in group.params}, name


def test_json_before_a_command_without_json_is_a_usage_error(tmp_path, capsys) -> None:
    db = str(tmp_path / "corpus.db")
    assert main(["init", "--db", db]) == 0
    assert main(["export", "--json", "corpus", "--db", db]) == 2
    assert "has no JSON output" in capsys.readouterr().err
    assert main(["claims", "--json", "--db", db, "list"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


FAKE_EMBEDDER = ("--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")


@pytest.mark.slow
def test_a_metadata_correction_is_a_change_for_the_next_align(cli) -> None:
    from tests.helpers import SEEDS

    assert cli("ingest", str(SEEDS)).exit_code == 0
    assert cli("align", *FAKE_EMBEDDER).exit_code == 0
    story = next(s for s in json.loads(cli("stories", "--json").output) if s["first_published"])
    doc = json.loads(cli("stories", "show", str(story["id"]), "--json").output)["documents"][0]
    corrected = cli("documents", "set", str(doc["id"]), "--date", "2020-01-02")
    assert corrected.exit_code == 0 and "`newsalign align` refreshes" in corrected.output
    aligned = cli("align", *FAKE_EMBEDDER)
    assert aligned.exit_code == 0 and "Nothing changed" not in aligned.output, aligned.output
    assert "1 story changed and aligned again" in aligned.output
    after = {s["id"]: s for s in json.loads(cli("stories", "--json").output)}
    assert after[story["id"]]["first_published"] == "2020-01-02"
    assert "Nothing changed" in cli("align", *FAKE_EMBEDDER).output  # and then nothing more


def test_models_install_offline_is_one_line_saying_how_to_install_a_file(
    cli, argos_dir, tmp_path, monkeypatch
) -> None:
    import socket
    import urllib.error
    import urllib.request

    import argostranslate.settings as argos_settings

    def offline(*args, **kwargs):
        raise urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    monkeypatch.setattr(argos_settings, "local_package_index", tmp_path / "index.json")
    result = cli("models", "install", "de:en")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot reach"), lines
    assert "URLError" not in lines[0] and "Name or service not known" in lines[0]
    assert "newsalign models install FILE.argosmodel" in lines[0]


# --- plain words by default, the evidence behind --explain -------------------------------------


@pytest.mark.slow
def test_align_counts_candidate_sentences_and_claims_apart(cli) -> None:
    import re

    from tests.helpers import EXAMPLES

    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    first = cli("align", *FAKE_EMBEDDER).output
    assert re.search(r"^\d+ candidate sentences in 2 stories .* form \d+ claims?, ", first), first
    again = cli("align", *FAKE_EMBEDDER).output
    assert "Nothing changed" in again and "candidate" not in again
    for text in (first, again):  # "191 claims … form 47 claims": one word for two things
        assert not re.search(r"\d+ claims? in \d+ stor", text.split("form")[0]), text


def test_claims_show_gives_plain_probabilities_and_explains_on_request(cli, monkeypatch) -> None:
    from newsalign.corpus.views import claims as views_claims

    member = SimpleNamespace(
        segment_id=25,
        source="Caspian Courier",
        lang="en",
        headline=False,
        is_repeat=False,
        repeat_of=None,
        also_in=(),
        original="A train.",
        english="A train.",
        english_from="original",
        names=(),
    )
    link = SimpleNamespace(
        a_segment_id=25,
        b_segment_id=33,
        score=0.7287,
        contributions={"z_e5": 2.78, "z_use": 1.68, "gap": -0.001, "bias": -3.47},
    )
    shown = SimpleNamespace(
        id=1,
        sources=2,
        size=2,
        languages="de,en",
        score=0.7287,
        label=25,
        members=[member],
        alignments=[link],
    )
    monkeypatch.setattr(views_claims, "show_claim", lambda db, claim: shown)
    assert cli("init").exit_code == 0
    plain = cli("claims", "show", "1")
    assert plain.exit_code == 0, plain.output
    assert "[25] and [33]: 73%" in plain.output
    assert "z_e5" not in plain.output and "bias" not in plain.output
    explained = cli("claims", "show", "1", "--explain").output
    assert "[25]~[33] p 0.73: z_e5 +2.78, z_use +1.68, gap 0.00, bias -3.47" in explained
    assert "-0.00" not in explained and "z_e5: similarity in the multilingual e5" in explained


@pytest.mark.slow
def test_the_report_opens_in_plain_words(cli, tmp_path) -> None:
    from tests.helpers import EXAMPLES

    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    assert cli("align", *FAKE_EMBEDDER).exit_code == 0
    page = tmp_path / "report.html"
    assert cli("report", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    header = html[html.index("<header>") : html.index("</header>")]
    assert "calibrated:" not in header and "T0" not in header.split("aligned", 1)[1][:16]
    assert " UTC (the sentences of a claim are, on average, at least 50% likely" in header
    footer = html[html.index("<footer>") :]
    assert "Alignment method: calibrated:" in footer  # the evidence stays, at the end


# --- serve: every table reachable ---------------------------------------------------------------


@pytest.mark.slow
def test_every_table_and_canned_query_of_serve_is_reachable(cli, db_path) -> None:
    """A canned query named like a table shadows it (the `claims` table answered HTTP 400 for
    want of :story); through Datasette's own test client, no server started."""
    import asyncio
    import sqlite3

    pytest.importorskip("datasette")
    from newsalign.corpus.publish import serve
    from tests.helpers import EXAMPLES

    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    assert cli("align", *FAKE_EMBEDDER).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    queries = serve.metadata(db_path.stem)["databases"][db_path.stem]["queries"]
    assert not set(queries) & set(tables)
    assert "claims" in tables and "claim_members" in queries
    ds = serve.app(db_path)

    async def statuses() -> dict[str, int]:
        out = {}
        for table in tables:
            out[table] = (await ds.client.get(f"/{db_path.stem}/{table}.json?_size=1")).status_code
        home = await ds.client.get(f"/{db_path.stem}/claim_members?story=&claim=")
        out["claim_members"] = home.status_code
        return out

    found = asyncio.run(statuses())
    assert {name: code for name, code in found.items() if code != 200} == {}


# --- the report: headers, naming stance, corrections --------------------------------------------


def test_coverage_headers_are_short_names_never_cut_mid_word() -> None:
    from newsalign.corpus.publish.report_html import short_outlets

    outlets = [
        "az24saat (German edition)",
        "Caucasian Knot (Kavkazsky Uzel)",
        "TASS",
        "Turan",
        "Turan (English)",
        "The Extraordinarily Long Name Of A Daily",
    ]
    short = short_outlets(outlets)
    assert short["az24saat (German edition)"] == "az24saat"
    assert short["Caucasian Knot (Kavkazsky Uzel)"] == "Caucasian Knot"
    assert short["TASS"] == "TASS"
    assert len(set(short.values())) == len(outlets)  # two columns never look alike
    assert short["Turan (English)"] == "Turan (English)"
    long = short["The Extraordinarily Long Name Of A Daily"]
    assert long.endswith("…") and len(long) <= 24
    assert set(long.rstrip("…").split()) <= set(outlets[-1].split())  # whole words only


def test_the_naming_stance_lists_places_whose_names_say_who_uses_them() -> None:
    from newsalign.corpus.publish.report_html import stance_places

    def use(entity, name, usage, source="A"):
        return SimpleNamespace(
            entity=entity, name=name, usage=usage, source=source, mentions=1, label=entity
        )

    view = SimpleNamespace(
        naming=(
            use("russia", "Russia", ""),
            use("russia", "Russian Federation", "official", "B"),
            use("khankendi", "Khankendi", "Azerbaijani official"),
            use("khankendi", "Stepanakert", "Armenian", "B"),
        ),
        contested=("khankendi", "russia"),
    )
    assert stance_places(view) == ["khankendi"]


@pytest.mark.slow
def test_the_report_names_corrections_by_their_sentences(cli, db_path, tmp_path) -> None:
    from tests.helpers import fetch

    for name, text in (
        (
            "a.txt",
            "Parliament backs rail law\n\nThe parliament approved the new "
            "rail law on Monday, speaker Nino Beridze said.\n\nThe law "
            "opens the line to freight trains next year.\n",
        ),
        (
            "b.txt",
            "Rail law passes\n\nThe parliament approved the new rail law "
            "on Monday, said speaker Nino Beridze.\n\nFreight trains may "
            "use the line from next year under the law.\n",
        ),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).exit_code == 0
    assert cli("align", *FAKE_EMBEDDER).exit_code == 0
    (a, b) = fetch(
        db_path,
        "SELECT min(c.segment_id) FROM claims c JOIN segments s "
        "ON s.id = c.segment_id GROUP BY s.doc_id ORDER BY s.doc_id",
    )
    assert len(json.loads(cli("stories", "--json").output)) == 1  # one story of both
    assert cli("claims", "reject", str(a[0]), str(b[0]), "--no-align").exit_code == 0
    page = tmp_path / "report.html"
    assert cli("report", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    corrections = html[html.index("<h3>Corrections applied</h3>") :]
    assert "is not the same claim as" in corrections and "&ne;" not in corrections
    for (segment,) in (a, b):
        ((text,),) = fetch(db_path, "SELECT text FROM segments WHERE id = ?", [segment])
        assert f"“{text}”" in corrections
    assert f"[{a[0]}]</a>" in corrections


@pytest.mark.slow
def test_the_report_carries_its_filters_and_lets_only_its_own_script_run(cli, tmp_path) -> None:
    import base64
    import hashlib
    import re

    for name, text in (
        (
            "a.txt",
            "Parliament backs rail law\n\nThe parliament approved the new "
            "rail law on Monday, speaker Nino Beridze said.\n\nThe law "
            "opens the line to freight trains next year.\n",
        ),
        (
            "b.txt",
            "Rail law passes\n\nThe parliament approved the new rail law "
            "on Monday, said speaker Nino Beridze.\n\nFreight trains may "
            "use the line from next year under the law.\n",
        ),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).exit_code == 0
    assert cli("align", *FAKE_EMBEDDER).exit_code == 0
    page = tmp_path / "report.html"
    assert cli("report", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    form = html[html.index('<form id="filters"') : html.index("</form>")]
    assert 'name="outlet"' in form and 'name="lang"' in form and 'name="from"' in form
    assert '<option value="en">en</option>' in form
    assert len(re.findall(r'<tr data-outlet="[^"]+" data-lang="en" data-date="', html)) == 2
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
