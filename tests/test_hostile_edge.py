"""Hostile input at the edges: links and spreadsheet formulas in what the tool writes, terminal
escapes in what it prints, databases it must not touch (newer, damaged, on a full or read-only
disk), numbers out of range, interrupts, and translation-memory files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, SEEDS, Served, dump, fetch

ROOT = Path(__file__).resolve().parents[1]
NEWSALIGN = [sys.executable, "-m", "newsalign.corpus.cli.app"]
EVIL_URL = "javascript:alert(document.domain)"


def run(*args: str, stdout=subprocess.PIPE, env: dict | None = None):
    return subprocess.run(
        [*NEWSALIGN, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result, code: int | None = None) -> str:
    """The one stderr line of a failed command (asserting that it is one line)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, result.stderr
    assert code is None or result.returncode == code, (result.returncode, result.stderr)
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "(a bug" not in result.stderr, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The examples ingested and aligned (one story), every other document's URL hostile."""
    db = tmp_path_factory.mktemp("edge") / "corpus.db"
    assert run("ingest", str(EXAMPLES), "--db", str(db)).returncode == 0
    aligned = run("align", "--db", str(db))
    assert aligned.returncode == 0, aligned.stderr
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE documents SET url = ?", [EVIL_URL])
        conn.execute("UPDATE documents SET url = 'https://example.org/a' WHERE id % 2 = 0")
    conn.close()
    return db


@contextmanager
def mounted(tmp_path: Path, size_kb: int) -> Iterator[Path]:
    """A small tmpfs of its own (root only; skipped where mounting is not allowed)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root")
    point = tmp_path / "disk"
    point.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


# --- 1. Only http(s) URLs become links ---------------------------------------------------


@pytest.mark.slow
def test_only_web_urls_become_links_in_the_report(corpus, tmp_path) -> None:
    from newsalign.corpus.publish.report_html import web_url

    out = tmp_path / "report.html"
    result = run("report", "-o", str(out), "--db", str(corpus))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert 'href="https://example.org/a"' in page  # a web address still links
    assert "javascript:" in page  # shown as text ...
    assert 'href="javascript' not in page.lower() and 'href="java' not in page  # ... never a link
    for url in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:x",
        "java\tscript:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
        "http:",
        "//evil.org",
    ):
        assert not web_url(url), url
    assert web_url("https://example.org/x?a=1") and web_url("HTTP://example.org")


@pytest.mark.slow
def test_only_web_urls_become_links_in_serve(corpus) -> None:
    pytest.importorskip("datasette")
    with Served(corpus) as server:
        for path in (
            "/corpus/documents?_size=100",
            "/corpus/documents_list?_size=100",
            "/corpus/timeline?story=1",
            "/corpus/documents/1",
        ):
            status, body = server.get(path)
            assert status == 200, (path, body[:300])
            assert "javascript:alert" in body, path  # the value is on the page, as text
            assert 'href="javascript' not in body.lower(), path


# --- 4. A database made by a newer newsalign -----------------------------------------------


@pytest.mark.slow
def test_a_database_from_a_newer_newsalign_is_refused_by_every_command(corpus, tmp_path) -> None:
    db = tmp_path / "newer.db"
    shutil.copy(corpus, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _newsalign_migrations VALUES ('0099_from_the_future', 'x')")
    conn.close()
    before = db.read_bytes()
    memory = tmp_path / "m.tsv"
    memory.write_text("Guten Tag.\tGood day.\n", encoding="utf-8")
    for args in (
        ["init"],
        ["stats"],
        ["show", "1"],
        ["search", "Khankendi"],
        ["names"],
        ["query", "SELECT 1"],
        ["ingest", str(EXAMPLES)],
        ["glossary", "list"],
        ["glossary", "add", "atlantis", "Atlantis"],
        ["translate"],
        ["align"],
        ["stories"],
        ["claims", "list"],
        ["tm", "import", str(memory), "--from", "de", "--to", "en"],
        ["export", "corpus"],
        ["report", "-o", str(tmp_path / "r.html")],
        ["serve", "--port", "1"],
    ):
        line = one_line_error(run(*args, "--db", str(db)))
        assert "made by a newer newsalign" in line, (args, line)
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists() or not Path(f"{db}-wal").stat().st_size


# --- 5. Messages instead of "unexpected ... (a bug)" ---------------------------------------


@pytest.mark.slow
def test_stdout_on_a_full_disk_is_one_line(corpus) -> None:
    with open("/dev/full", "w") as full:
        for args in (
            ["stats"],
            ["query", "SELECT * FROM segments"],
            ["export", "corpus"],
            ["glossary", "export"],
            ["show", "1"],
            ["claims", "list"],
        ):
            result = run(*args, "--db", str(corpus), stdout=full)
            line = one_line_error(result)
            assert "cannot write output: no space left on device" in line, (args, line)


@pytest.mark.slow
def test_numbers_out_of_range_are_one_line(corpus) -> None:
    for args in (
        ["show", "99999999999999999999999"],
        ["report", "--min-sources", "99999999999999999999", "-o", "-"],
        ["claims", "show", "99999999999999999999"],
    ):
        line = one_line_error(run(*args, "--db", str(corpus)), 1)
        assert "out of range" in line or "not in the range" in line, (args, line)


@pytest.mark.slow
def test_a_damaged_database_is_named_with_the_way_to_recover(corpus, tmp_path) -> None:
    db = tmp_path / "damaged.db"
    source = sqlite3.connect(corpus)
    target = sqlite3.connect(db)
    source.backup(target)
    source.close()
    target.execute("PRAGMA journal_mode = delete")
    target.close()
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # flip bytes in every other page
        data[offset + 8 : offset + 40] = bytes(b ^ 0xFF for b in data[offset + 8 : offset + 40])
    db.write_bytes(bytes(data))
    damaged = 0
    for args in (["stats"], ["search", "Khankendi"], ["export", "corpus"], ["claims", "list"]):
        result = run(*args, "--db", str(db))
        if result.returncode == 0:  # the flipped pages may not be the ones this command reads
            continue
        line = one_line_error(result, 1)
        assert "the database is damaged" in line and ".recover" in line, (args, line)
        damaged += 1
    assert damaged


@pytest.mark.slow
def test_disk_full_during_ingest_leaves_the_database_as_it_was(
    cli, db_path, tmp_path, monkeypatch
) -> None:
    from newsalign.corpus.store import database

    assert cli("ingest", str(SEEDS)).exit_code == 0
    before = dump(db_path)
    real = database._connect

    def nearly_full(path, readonly):  # the database may grow by two pages, no more
        conn = real(path, readonly)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return conn

    monkeypatch.setattr(database, "_connect", nearly_full)
    article = tmp_path / "long.txt"
    article.write_text("The railway to Khankendi reopened on Monday, officials said. " * 3000)
    result = cli("ingest", str(article))
    assert result.exit_code == 1, result.output
    assert "no space left on device" in result.output and "(a bug" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    monkeypatch.setattr(database, "_connect", real)
    assert dump(db_path) == before


def test_init_on_a_full_disk_leaves_no_database_behind(tmp_path) -> None:
    with mounted(tmp_path, 64) as disk:
        (disk / "filler").write_bytes(b"\0" * (60 * 1024))
        db = disk / "corpus.db"
        line = one_line_error(run("init", "--db", str(db)), 1)
        assert "no space left on device" in line, line
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]


@pytest.mark.slow
def test_disk_full_on_a_real_small_disk(tmp_path) -> None:
    with mounted(tmp_path, 2048) as disk:
        db = disk / "corpus.db"
        assert run("ingest", str(SEEDS), "--db", str(db)).returncode == 0
        before = dump(db)
        article = tmp_path / "long.txt"
        article.write_text(
            "\n\n".join(
                f"The railway to Khankendi carried {i} tonnes of cement on Monday, officials said."
                for i in range(6000)
            )
        )
        line = one_line_error(run("ingest", str(article), "--db", str(db)), 1)
        assert "no space left on device" in line, line
        assert dump(db) == before


# --- 9. A database in a folder nobody may write ----------------------------------------------


def _readers_work(db: Path) -> None:
    for args in (["stats"], ["query", "SELECT count(*) FROM documents"], ["report", "-o", "-"]):
        result = run(*args, "--db", str(db))
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.strip()


def _copy_without_wal(corpus: Path, db: Path) -> None:
    source = sqlite3.connect(corpus)
    target = sqlite3.connect(db)
    source.backup(target)
    source.close()
    target.execute("PRAGMA journal_mode = wal")
    target.close()
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


@pytest.mark.slow
def test_readers_work_in_a_read_only_folder(corpus, tmp_path) -> None:
    with mounted(tmp_path, 8192) as disk:
        _copy_without_wal(corpus, disk / "corpus.db")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        _readers_work(disk / "corpus.db")


@pytest.mark.slow
def test_readers_open_a_read_only_folder_as_immutable(corpus, tmp_path, monkeypatch) -> None:
    """The same, with the folder's permission simulated (so it runs without root too)."""
    from newsalign.corpus import store

    db = tmp_path / "ro" / "corpus.db"
    db.parent.mkdir()
    _copy_without_wal(corpus, db)
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            False if Path(p) == db.parent and mode & os.W_OK else real_access(p, mode, **kw)
        ),
    )
    database = store.open_readonly(db)
    assert database.execute("SELECT count(*) FROM documents").fetchone()[0] > 0
    database.conn.close()
    assert sorted(p.name for p in db.parent.iterdir()) == ["corpus.db"]  # no -shm was made


# --- 2. No spreadsheet formulas in any CSV -------------------------------------------------

FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
            "-2+3", "'s-Hertogenbosch", "''=quoted")  # fmt: skip


def _cells(text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _runs_as_formula(cell: str) -> bool:
    return cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.slow
def test_glossary_csv_is_formula_safe_and_round_trips(cli, tmp_path) -> None:
    assert cli("init").exit_code == 0
    for i, text in enumerate(FORMULAS):
        label = text if not text.startswith("-") else f"Minus {i}"  # not an option to click
        assert cli("glossary", "add", f"evil{i}", label, f"--notes={text}").exit_code == 0, text
    exported = tmp_path / "glossary.csv"
    assert cli("glossary", "export", "--format", "csv", "-o", str(exported)).exit_code == 0
    cells = _cells(exported.read_text(encoding="utf-8"))
    assert not [c for c in cells if _runs_as_formula(c)]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells and "''s-Hertogenbosch" in cells
    before = cli("glossary", "list", "--json").output
    result = cli("glossary", "import", str(exported), "--replace", "--yes")
    assert result.exit_code == 0, result.output
    assert cli("glossary", "list", "--json").output == before
    again = tmp_path / "again.csv"
    assert cli("glossary", "export", "--format", "csv", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


def test_a_hand_written_leading_apostrophe_is_kept() -> None:
    from newsalign.glossary import safetext

    for text in (*FORMULAS, "'s-Hertogenbosch", "'", "''", "plain", "\tTab"):
        assert safetext.csv_unescape(safetext.csv_escape(text)) == text
    assert safetext.csv_unescape("'s-Hertogenbosch") == "'s-Hertogenbosch"
    assert safetext.csv_escape(-3) == -3 and safetext.csv_escape(None) is None


@pytest.mark.slow
def test_claims_and_query_csv_are_formula_safe(corpus, tmp_path) -> None:
    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE segments SET text = '=HYPERLINK(\"http://evil.example\")' "
            "WHERE id IN (SELECT segment_id FROM cluster_members)"
        )
    conn.close()
    claims = run("export", "claims", "--format", "csv", "--db", str(db))
    assert claims.returncode == 0, claims.stderr
    cells = _cells(claims.stdout)
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not [c for c in cells if _runs_as_formula(c)]
    query = run(
        "query",
        "SELECT '@SUM(1+1)' AS \"=x\", '+1' AS y, -3 AS n, 'ok' AS z",
        "--csv",
        "--db",
        str(db),
    )
    assert query.returncode == 0, query.stderr
    assert _cells(query.stdout) == ["'=x", "y", "n", "z", "'@SUM(1+1)", "'+1", "-3", "ok"]


# --- 3. No terminal escapes from article text ----------------------------------------------

ESCAPES = ("\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b]0;pwned\x1b\\", "\x1b[8m", "\x9b31m", "\x08\r")


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]


@pytest.mark.slow
def test_article_text_reaches_the_terminal_without_escapes(corpus, tmp_path) -> None:
    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    evil = "".join(ESCAPES)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE segments SET text = ? || text || ?", [evil, evil])
        conn.execute(
            "UPDATE documents SET text = ? || text, title = ? || title, source = ? || source",
            [evil, evil, evil],
        )
        conn.execute("UPDATE claims SET source = ? || source, english = ? || english", [evil, evil])
        conn.execute("UPDATE stories SET label = ? || label", [evil])
    conn.close()
    claim = str(fetch(db, "SELECT min(cluster_id) FROM cluster_members")[0][0])
    for args in (
        ["show", "1"],
        ["search", "Khankendi"],
        ["search", "railway"],
        ["stories"],
        ["stories", "show", "1"],
        ["claims", "list"],
        ["claims", "show", claim],
        ["claims", "diff", claim],
        ["names"],
    ):
        result = run(*args, "--db", str(db))
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.strip() and not _raw_controls(result.stdout + result.stderr), args
        assert "ZWNobyBwd25lZA" not in result.stdout and "pwned" not in result.stdout, args
    exact = run("show", "1", "--json", "--db", str(db))  # JSON keeps the text as stored
    assert evil in __import__("json").loads(exact.stdout)["text"]


def test_a_snippet_never_cuts_an_escape_sequence() -> None:
    from newsalign.corpus.store.search import highlight

    payload = "\x1b]52;c;" + " ".join(["QUJD"] * 40) + "\x07"
    text = f"Before {payload} the railway to Khankendi reopened {payload} after"
    for width in (2, 4, 8, 12):
        snippet = highlight(text, "Khankendi", width=width)
        assert "[Khankendi]" in snippet and not _raw_controls(snippet) and "QUJD" not in snippet


# --- 6. and 7. Time limits and Ctrl-C ------------------------------------------------------


@pytest.mark.slow
def test_the_time_limit_holds_inside_one_long_function_call(corpus) -> None:
    import time

    started = time.monotonic()
    result = run(
        "query",
        "SELECT length(printf('%.*c', 900000000, 'x'))",
        "--time-limit",
        "1",
        "--db",
        str(corpus),
    )
    assert "stopped after 1 s" in one_line_error(result, 1)
    assert time.monotonic() - started < 20  # the call alone runs for half a minute or more
    big = run("query", "SELECT hex(zeroblob(100000000))", "--db", str(corpus))
    assert "too big" in one_line_error(big, 1)


def _interrupt_when(process: subprocess.Popen, ready: str) -> tuple[str, str]:
    import signal

    seen = ""
    while ready not in seen:
        line = process.stdout.readline()
        assert line, process.stderr.read()
        seen += line
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return seen + out, err


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*NEWSALIGN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.slow
def test_ctrl_c_during_a_query_says_interrupted(corpus) -> None:
    endless = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    )
    process = _start(
        "query",
        f"SELECT 'started' UNION ALL SELECT * FROM ({endless})",
        "--time-limit",
        "60",
        "--db",
        str(corpus),
    )
    # The query prints nothing before it ends: interrupt it once it has surely started.
    import signal
    import time

    time.sleep(6)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == [err.strip()] and "interrupted" in err
    assert "stopped after" not in err


@pytest.mark.slow
def test_ctrl_c_during_ingest_is_one_line_and_recorded(tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.txt").write_text(
            f"Article {i}. The railway to Khankendi carried {i} "
            "tonnes of cement, officials said on Monday.\n"
        )
    db = tmp_path / "c.db"
    out, err = _interrupt_when(_start("ingest", str(folder), "--db", str(db)), "added")
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [lines[0]] and "interrupted" in lines[0] and "kept" in lines[0], err
    ((status, counts, error),) = fetch(db, "SELECT status, counts, error FROM runs")
    assert status == "interrupted" and "Ctrl-C" in error
    added = __import__("json").loads(counts)["added"]
    assert 1 <= added < 400 and added == fetch(db, "SELECT count(*) FROM documents")[0][0]


@pytest.mark.slow
def test_an_interrupted_ingest_and_translate_are_recorded_as_such(
    cli, db_path, tmp_path, monkeypatch, capsys
) -> None:
    import json

    from newsalign.corpus.cli.app import main
    from newsalign.corpus.ingest import run as ingest_run
    from newsalign.corpus.mt import run as mt_run

    real_one, calls = ingest_run._ingest_one, []

    def stopped_at_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_one(*args, **kwargs)

    monkeypatch.setattr(ingest_run, "_ingest_one", stopped_at_the_third)
    assert main(["ingest", str(SEEDS), "--db", str(db_path)]) == 130
    assert "interrupted" in capsys.readouterr().err
    monkeypatch.setattr(ingest_run, "_ingest_one", real_one)
    assert fetch(db_path, "SELECT status, json_extract(counts, '$.added') FROM runs") == [
        ("interrupted", 2)
    ]
    assert cli("ingest", str(SEEDS)).exit_code == 0
    german = [t for (t,) in fetch(db_path, "SELECT text FROM segments WHERE lang = 'de'")]
    memory = tmp_path / "m.tsv"
    memory.write_text(
        "".join(f"{t}\tEnglish {i}.\n" for i, t in enumerate(german) if "\t" not in t),
        encoding="utf-8",
    )
    assert cli("tm", "import", str(memory), "--from", "de", "--to", "en").exit_code == 0
    real_store = mt_run._store

    def stored_then_stopped(*args, **kwargs):
        real_store(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(mt_run, "_store", stored_then_stopped)
    assert main(["translate", "--backend", "tm", "--db", str(db_path)]) == 130
    ((status, counts),) = fetch(
        db_path, "SELECT status, counts FROM runs WHERE command = 'translate'"
    )
    assert status == "interrupted" and json.loads(counts)["from_memory"] > 0


@pytest.mark.slow
def test_run_fails_when_another_writer_held_the_lock_for_alignment(cli, monkeypatch) -> None:
    from newsalign.corpus.align.job import run as align_run
    from newsalign.corpus.store.database import locked_error

    def held(db, *args, **kwargs):
        raise locked_error("corpus.db")

    monkeypatch.setattr(align_run, "run_alignment", held)
    result = cli("run", str(EXAMPLES))
    assert result.exit_code == 1, result.output
    assert "alignment did not run" in result.output and "locked" in result.output


# --- 8. Translation-memory files -------------------------------------------------------------


@pytest.mark.slow
def test_export_tmx_with_control_characters_is_xml_and_imports_back(corpus, tmp_path) -> None:
    import xml.etree.ElementTree as ET

    from newsalign.translate.memory_formats import normalize

    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE segments SET text = ? || text || ?", ["\x1b[8m", "\x08\x00\x7f\x9b"])
    conn.close()
    out = tmp_path / "pairs.tmx"
    exported = run("export", "tmx", "-o", str(out), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    units = ET.parse(out).getroot().findall("body/tu")  # well-formed XML 1.0
    assert units
    other = tmp_path / "other.db"
    imported = run("tm", "import", str(out), "--db", str(other))
    assert imported.returncode == 0, imported.stderr
    sources = {s for (s,) in fetch(other, "SELECT source FROM tm")}
    texts = fetch(db, "SELECT text FROM segments WHERE lang = 'de'")
    assert len(sources) == len(units) and sources <= {normalize(t) for (t,) in texts}
    assert not any("\x1b" in s or "\x08" in s for s in sources)


def _tmx(prolog: str = "", lang: str = "de") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<tmx version="1.4"><header '
        f'srclang="{lang}"/><body><tu><tuv xml:lang="{lang}"><seg>Guten Tag.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Good day.</seg></tuv></tu></body></tmx>\n'
    )


@pytest.mark.slow
def test_tmx_entities_anywhere_in_the_prolog_are_refused_whole(tmp_path) -> None:
    db = tmp_path / "c.db"
    padded = tmp_path / "padded.tmx"
    padded.write_text(
        _tmx("<!-- " + "x" * 70_000 + ' -->\n<!DOCTYPE tmx [<!ENTITY greeting "Guten Tag.">]>\n')
    )
    line = one_line_error(run("tm", "import", str(padded), "--db", str(db)), 1)
    assert "entities" in line and not db.exists()
    plain = tmp_path / "plain.tmx"
    plain.write_text(_tmx("<!-- " + "x" * 70_000 + " -->\n"))
    assert run("tm", "import", str(plain), "--db", str(db)).returncode == 0
    assert fetch(db, "SELECT source, target FROM tm") == [("Guten Tag.", "Good day.")]


def test_tmx_over_the_size_limit_is_refused_before_parsing(tmp_path) -> None:
    big = tmp_path / "big.tmx"
    big.write_text(_tmx("<!-- " + "x" * 30_000 + " -->\n"))
    result = run(
        "tm",
        "import",
        str(big),
        "--db",
        str(tmp_path / "c.db"),
        env={"NEWSALIGN_MAX_TMX_MB": "0.01"},
    )
    assert "over the limit" in one_line_error(result, 1)


@pytest.mark.slow
def test_memory_languages_must_be_language_codes(tmp_path) -> None:
    from newsalign.translate.memory_formats import language

    db = tmp_path / "c.db"
    tsv = tmp_path / "m.tsv"
    tsv.write_text("Guten Tag.\tGood day.\n", encoding="utf-8")
    for args in (["--from", "de;drop", "--to", "en"], ["--from", "de", "--to", "en'--"]):
        line = one_line_error(run("tm", "import", str(tsv), *args, "--db", str(db)), 1)
        assert "not a language code" in line, line
    odd = tmp_path / "odd.tmx"
    odd.write_text(_tmx(lang="de;drop"))
    assert "not a language code" in one_line_error(run("tm", "import", str(odd), "--db", str(db)))
    assert not db.exists()
    assert [language(c) for c in ("de", "DE-at", "pt_BR", "gsw")] == ["de", "de", "pt", "gsw"]
