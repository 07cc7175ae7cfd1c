"""Hostile input, third round (issue 26): manifests naming files outside their folder, terminal
escapes and bidi overrides, archives that lie about their sizes, an export over the real WAL,
serve's tracebacks, clusters that never answer, pages built to make the HTML cleaner slow or to
hide markup in quoted attributes, and metadata a person types wrong. Each case fails in one
line, or is neutralised, and leaves the database as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests import test_hostile_edge, test_review
from tests.helpers import Served, dump, fetch

# Fixtures of other modules: the examples aligned, and a story whose links are worth asking about.
corpus = test_hostile_edge.corpus
doubtful = test_review.doubtful
run = test_hostile_edge.run

ARTICLE = (
    "Rail line reopens\n\nThe railway to Khankendi reopened on Monday after thirty years, "
    "officials in Baku said.\nThe first train carried 1,200 tonnes of cement, the operator "
    "reported on Tuesday.\n"
)


# --- 5. a manifest reads only files in its own folder ------------------------------------------


@pytest.mark.slow
def test_manifest_rows_outside_its_folder_are_refused(cli, db_path, tmp_path) -> None:
    secrets = []
    for k in range(4):
        secrets.append(tmp_path / f"secret{k}.txt")
        secrets[-1].write_text(f"PRIVATE KEY {k} material that must never reach the corpus.\n" * 3)
    story = tmp_path / "story"
    (story / "sub").mkdir(parents=True)
    (story / "ok.txt").write_text(ARTICLE)
    (story / "sub" / "inner.txt").write_text(ARTICLE.replace("Monday", "Sunday"))
    (story / "link.txt").symlink_to(secrets[2])
    index = story / "index.tsv"
    index.write_text(
        "file\toutlet\n../secret0.txt\tA\n"
        f"{secrets[1]}\tB\nlink.txt\tC\n"
        "sub/../../secret3.txt\tD\nok.txt\tE\nsub/inner.txt\tF\n"
    )

    def texts() -> str:
        return " ".join(t for (t,) in fetch(db_path, "SELECT text FROM documents"))

    result = cli("ingest", "--manifest", str(index))
    assert result.exit_code == 1, result.output
    for line in (2, 3, 4, 5):
        assert f"manifest line {line}:" in result.output, result.output
    assert result.output.count("outside the manifest's folder") == 4, result.output
    assert "--follow-symlinks" in result.output
    assert "PRIVATE KEY" not in texts()
    assert sorted(o for (o,) in fetch(db_path, "SELECT source FROM documents")) == ["E", "F"]
    # Named on the command line beside the manifest, such a file is not read either.
    result = cli("ingest", "--manifest", str(index), str(secrets[1]))
    assert result.exit_code == 1 and "PRIVATE KEY" not in texts(), result.output
    # The person who means it says so.
    result = cli("ingest", "--manifest", str(index), "--follow-symlinks")
    assert result.exit_code == 0 and "manifest's folder" not in result.output, result.output
    assert all(f"PRIVATE KEY {k}" in texts() for k in range(4))


# --- 15. metadata a person types wrong ---------------------------------------------------------


def _one_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "(a bug" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.mark.slow
def test_documents_set_refuses_codes_controls_and_absurd_dates(cli, db_path, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    assert cli("ingest", str(tmp_path / "a.txt")).exit_code == 0
    before = dump(db_path)
    refused = {
        ("--lang", "xx"): "not a language code",
        ("--lang", "zz"): "not a language code",
        ("--lang", "und"): "not a language code",
        ("--outlet", "TA\nSS"): "control",
        ("--outlet", "TASS\x1b]52;c;cHduZWQ=\x07"): "control",
        ("--outlet", "TASS\x1b[2J"): "control",
        ("--outlet", "TA\u202eSS"): "control",
        ("--outlet", "TA\u0085SS"): "control",
        ("--url", "https://x.example/a\nb"): "control",
        ("--url", "https://x.example/\x1b[8m"): "control",
        ("--date", "9999-12-31"): "not a publication date",
        ("--date", "0001-01-01"): "not a publication date",
        ("--date", "2999"): "not a publication date",
        ("--date", "3000-01"): "not a publication date",
    }
    for (option, value), why in refused.items():
        line = _one_error(cli("documents", "set", "1", option, value))
        assert why in line, (option, value, line)
        assert "\x1b" not in line and "\u202e" not in line
    assert dump(db_path) == before
    # A look-alike is kept, as a person may mean it, but said out loud.
    result = cli("documents", "set", "1", "--outlet", "T\u0410SS", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "Cyrl" in result.output, result.output
    assert fetch(db_path, "SELECT source, lang FROM documents") == [("T\u0410SS", "de")]
    assert (
        "warning" not in cli("documents", "set", "1", "--outlet", "\u0422\u0410\u0421\u0421").output
    )


def test_manifest_rows_and_source_with_bad_metadata_are_refused(cli, db_path, tmp_path) -> None:
    story = tmp_path / "story"
    story.mkdir()
    for name in "abcd":
        (story / f"{name}.txt").write_text(ARTICLE.replace("Monday", f"Monday ({name})"))
    index = story / "index.tsv"
    index.write_text(
        "file\toutlet\tlanguage\tdate\turl\n"
        "a.txt\tTASS\x1b[2J\ten\t\t\nb.txt\tTASS\txx\t\t\n"
        "c.txt\tTASS\ten\t9999-12-31\t\nd.txt\tTASS\ten\t\thttp://x/\x1b[8m\n"
    )
    result = cli("ingest", "--manifest", str(index))
    assert result.exit_code == 1
    for line in (2, 3, 4, 5):
        assert f"manifest line {line}:" in result.output, result.output
    assert not db_path.exists() or not fetch(db_path, "SELECT id FROM documents")
    line = _one_error(cli("ingest", str(story / "a.txt"), "--source", "TASS\x1b]0;pwned\x07"))
    assert "control" in line and "\x1b" not in line


@pytest.mark.slow
def test_a_renamed_file_is_followed_not_called_a_duplicate(cli, db_path, tmp_path) -> None:
    story = tmp_path / "story"
    story.mkdir()
    (story / "old-name.txt").write_text(ARTICLE)
    index = story / "index.tsv"
    index.write_text("file\toutlet\nold-name.txt\tTASS\n")
    assert cli("ingest", "--manifest", str(index)).exit_code == 0
    (story / "old-name.txt").rename(story / "new-name.txt")
    index.write_text("file\toutlet\nnew-name.txt\tTASS (Russian News Agency)\n")
    result = cli("ingest", "--manifest", str(index))
    assert result.exit_code == 0, result.output
    assert "duplicate" not in result.output and "renamed from" in result.output, result.output
    assert fetch(db_path, "SELECT id, path, source FROM documents") == [
        (1, str(story / "new-name.txt"), "TASS (Russian News Agency)")
    ]
    # The document is that file now: a changed version of it is a new version of document 1.
    (story / "new-name.txt").write_text(ARTICLE + "A last sentence was added later.\n")
    result = cli("ingest", "--manifest", str(index))
    assert "new version of document 1" in result.output, result.output
    # A copy whose original is still there stays a duplicate.
    (story / "copy.txt").write_text(ARTICLE + "A last sentence was added later.\n")
    assert "duplicate" in cli("ingest", str(story / "copy.txt")).output


def test_each_input_is_one_line_whatever_its_name(cli, db_path, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = [
        "plain.txt",
        "two\nlines.txt",
        "carriage\rreturn.txt",
        "esc\x1b[2Jape.txt",
        "rtl\u202etxt.exe.txt",
    ]
    for k, name in enumerate(names):
        (folder / name).write_text(ARTICLE.replace("Monday", f"day {k}"))
    result = cli("ingest", str(folder))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum(line.startswith("added ") for line in lines) == len(names), result.output
    assert len(lines) == len(names) + 1, result.output
    assert "two\\nlines.txt" in result.output and "carriage\\rreturn.txt" in result.output
    assert "\u202e" not in result.output and "\x1b" not in result.output


# --- 6. terminal escapes and bidi overrides ------------------------------------------------------

ESC = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[8m"  # clipboard write, clear screen, conceal
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "invoice\u202efdp.exe" shows as "invoiceexe.pdf"


def _raw(text: str) -> list[str]:
    """Characters that would act on a terminal or reorder what it shows."""
    return [
        c
        for c in text
        if (ord(c) < 32 and c not in "\n\t")
        or 0x7F <= ord(c) <= 0x9F
        or "\u202a" <= c <= "\u202e"
        or "\u2066" <= c <= "\u2069"
    ]


def _poison(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE documents SET source = ? || source || ?", [ESC + RLO, RLO])
        conn.execute("UPDATE segments SET text = text || ?", [" " + RLO + "fdp.exe " + ESC])
        conn.execute("UPDATE claims SET english = coalesce(english, '') || ?", [RLO + ESC])
        conn.execute("UPDATE stories SET label = ? || label", [RLO])
    conn.close()


@pytest.mark.slow
def test_interactive_review_prints_no_escapes(doubtful, cli) -> None:
    db = doubtful
    conn = sqlite3.connect(db)
    with conn:  # outlets and English: what review shows beside the sentences it asks about
        conn.execute("UPDATE documents SET source = ? || source || ?", [ESC + RLO, RLO])
        conn.execute("UPDATE claims SET english = ? || coalesce(english, '')", [RLO + ESC])
    conn.close()
    result = cli("review", input="s\nq\n")
    assert result.exit_code == 0, result.output
    assert "Screen 1 of ~" in result.output
    assert not _raw(result.output), sorted(set(_raw(result.output)))
    assert "[U+202E]" in result.output  # marked where it was, not silently dropped


@pytest.mark.slow
def test_csv_json_and_text_output_carry_no_escapes(corpus, tmp_path) -> None:
    import csv
    import io
    import json

    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    _poison(db)
    claim = str(fetch(db, "SELECT min(cluster_id) FROM cluster_members")[0][0])
    for args in (
        ["query", "SELECT source, text FROM current_documents", "--csv"],
        ["export", "claims", "--format", "csv"],
        ["export", "claims"],
        ["export", "corpus"],
        ["show", "1"],
        ["show", "1", "--json"],
        ["claims", "show", claim],
        ["claims", "show", claim, "--json"],
        ["stories"],
        ["query", "SELECT source FROM documents", "--json"],
        ["query", "SELECT source FROM documents"],
    ):
        result = run(*args, "--db", str(db))
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.strip() and not _raw(result.stdout + result.stderr), args
    # CSV: the same cleaning in a file as on stdout; JSON: exact, the characters escaped.
    out = tmp_path / "claims.csv"
    assert (
        run("export", "claims", "--format", "csv", "-o", str(out), "--db", str(db)).returncode == 0
    )
    assert out.read_text() == run("export", "claims", "--format", "csv", "--db", str(db)).stdout
    cells = [c for row in csv.reader(io.StringIO(out.read_text())) for c in row]
    assert any("[U+202E]" in c for c in cells)
    shown = run("show", "1", "--json", "--db", str(db)).stdout
    assert "\\u202e" in shown and RLO in json.loads(shown)["source"]
    assert ESC in json.loads(shown)["source"]


@pytest.mark.slow
def test_report_and_serve_mark_bidi_overrides(corpus, tmp_path) -> None:
    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    _poison(db)
    page = tmp_path / "report.html"
    assert run("report", "-o", str(page), "--db", str(db)).returncode == 0
    html = page.read_text(encoding="utf-8")
    assert not _raw(html) and "[U+202E]" in html
    stdout = run("report", "-o", "-", "--db", str(db)).stdout
    assert not _raw(stdout)
    with Served(db) as served:
        for path in (
            f"/{served.db}",
            f"/{served.db}/documents",
            f"/{served.db}/claim_members?story=&claim=",
            f"/{served.db}/documents?_facet=source",
            "/",
        ):
            status, body = served.get(path)
            assert status == 200, (path, status)
            assert not [c for c in _raw(body) if c not in "\r"], path
        status, body = served.get(f"/{served.db}/documents")
        assert "[U+202E]" in body


# --- 7. an archive's declared sizes are not trusted ------------------------------------------------


def _lying_zip(path: Path, members: int, size: int, padding: int) -> Path:
    """An Argos-shaped archive of `members` model files of `size` zeros each (deflated to about
    a thousandth) followed by `padding` stored random bytes, whose directory declares each
    model file's compressed size as reaching to the end of the padding: declared, every member
    looks like an ordinary model (ratio under 100), and the archive as a whole too; written,
    they are `members` * `size` bytes from an archive a fraction of that."""
    import struct
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("pkg/metadata.json", b'{"from_code": "de", "to_code": "en"}')
        for k in range(members):
            z.writestr(f"pkg/model/part{k}.bin", b"\0" * size)
        z.writestr("pkg/sentencepiece.model", __import__("os").urandom(padding), zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    at = central
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len].startswith(b"pkg/model/part"):
            local = struct.unpack_from("<I", data, at + 42)[0]
            start = local + 30 + sum(struct.unpack_from("<HH", data, local + 26))
            struct.pack_into("<I", data, at + 20, central - start)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def test_an_archive_lying_about_its_sizes_is_stopped_by_what_it_writes(
    cli, argos_dir, tmp_path
) -> None:
    import re

    bomb = _lying_zip(tmp_path / "bomb.argosmodel", 6, 16 * 2**20, 256 * 2**10)
    archive = bomb.stat().st_size
    assert archive < 2**20
    result = cli("models", "install", str(bomb))
    line = _one_error(result)
    assert "expands" in line and "zip bomb" in line, line
    written = int(re.search(r"([\d,]+) bytes written", line).group(1).replace(",", ""))
    assert written <= 100 * archive + 2**20  # stopped at the limit, give or take one chunk
    assert not argos_dir.exists() or not any(argos_dir.iterdir())


def test_a_truncated_or_oddly_compressed_archive_is_one_line(cli, argos_dir, tmp_path) -> None:
    import zipfile

    whole = _lying_zip(tmp_path / "whole.argosmodel", 1, 2**20, 64 * 2**10)
    data = bytearray(whole.read_bytes())
    model_at = data.find(b"pkg/model/part0.bin") + len("pkg/model/part0.bin")
    data[model_at + 50 : model_at + 150] = b"\xff" * 100  # the deflate stream damaged
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(bytes(data))
    short = tmp_path / "short.argosmodel"  # the model's data cut short, the directory intact
    with zipfile.ZipFile(short, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("pkg/metadata.json", b"{}")
        z.writestr("pkg/model/model.bin", __import__("os").urandom(300_000))
    data = short.read_bytes()
    central = data.find(b"PK\x01\x02")
    data = data[: central - 100_000] + data[central:]
    end = data.find(b"PK\x05\x06")
    offset = __import__("struct").unpack_from("<I", data, end + 16)[0]
    short.write_bytes(
        data[: end + 16] + (offset - 100_000).to_bytes(4, "little") + data[end + 20 :]
    )
    for bad in (broken, short):
        result = cli("models", "install", str(bad))
        assert "Aborted" not in result.output, result.output
        assert "corrupt" in _one_error(result)
    lzma = tmp_path / "lzma.argosmodel"
    with zipfile.ZipFile(lzma, "w", zipfile.ZIP_LZMA) as z:
        z.writestr("pkg/metadata.json", b"{}")
        z.writestr("pkg/model/model.bin", b"\0" * 1000)
    assert "compress" in _one_error(cli("models", "install", str(lzma)))
    assert not argos_dir.exists() or not any(argos_dir.iterdir())


# --- 8. an export never writes over the WAL SQLite really uses ---------------------------------


@pytest.mark.slow
def test_export_refuses_the_real_side_files_of_a_symlinked_database(seeded, tmp_path) -> None:
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    real = seeded  # tmp_path/corpus.db
    sqlite3.connect(real).execute("PRAGMA journal_mode=WAL").close()
    elsewhere = tmp_path / "links"
    elsewhere.mkdir()
    link = elsewhere / "link.db"
    link.symlink_to(real)
    chain = elsewhere / "chain.db"
    chain.symlink_to(link)  # a link to the link
    before = dump(real)
    for db in (link, chain):
        for side in ("-wal", "-shm", "-journal"):
            for writer in (["export", "corpus"], ["export", "claims"], ["report"]):
                result = CliRunner().invoke(app, [*writer, "-o", f"{real}{side}", "--db", str(db)])
                line = _one_error(result)
                assert "refusing to write" in line and "corpus database" in line, (db, side, line)
    assert dump(real) == before
    assert not (elsewhere / "link.db-wal").exists()


# --- 9. serve: one line per rejected request ----------------------------------------------------


@pytest.mark.slow
def test_serve_says_one_line_per_rejected_query(corpus, tmp_path) -> None:
    from urllib.parse import quote

    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    rejected = [
        "UPDATE documents SET title = 'x'",
        "SELECT * FROM nosuch",
        "SELECT \x1b[2J 1",
        "ATTACH 'x.db' AS x",
        "PRAGMA writable_schema = 1",
        "SELECT 1; DROP TABLE x",
    ]
    with Served(db) as served:
        for sql in rejected:
            status, body = served.get(f"/{served.db}?sql={quote(sql)}")
            assert status == 400, (sql, status)
        assert (
            served.get(f"/{served.db}/claim_members")[0] == 400
        )  # a canned query missing its values
        assert served.get(f"/{served.db}.json?sql={quote(rejected[0])}")[0] == 400
        assert served.get(f"/{served.db}?sql=SELECT+count(*)+FROM+documents")[0] == 200
    out = served.stdout() + served.stderr()
    lines = [line for line in out.splitlines() if line.strip() and not line.startswith("Serving")]
    assert "Traceback" not in out and "locals" not in out, out[:3000]
    assert len(lines) <= len(rejected) + 2, out[:3000]
    assert not _raw(out), sorted(set(_raw(out)))


# --- 10. a cluster address that never answers, or cannot be one -----------------------------------

FAKE_EMBEDDER = ("--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")


class _Silent:
    """A local port that accepts connections and never says a word (or, `http=True`, an HTTP
    server, which waits for a request line Dask never sends); stopped on exit."""

    def __init__(self, http: bool = False) -> None:
        import socket
        import threading

        self.http = http
        if http:
            from http.server import HTTPServer, SimpleHTTPRequestHandler

            self.server = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
            self.port = self.server.server_address[1]
            self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        else:
            self.sock = socket.socket()
            self.sock.bind(("127.0.0.1", 0))
            self.sock.listen(16)
            self.port = self.sock.getsockname()[1]
            self.accepted: list = []
            self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                self.accepted.append(self.sock.accept()[0])
            except OSError:
                return

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc) -> None:
        if self.http:
            self.server.shutdown()
            self.server.server_close()
        else:
            self.sock.close()
            for conn in self.accepted:
                conn.close()
        self.thread.join(timeout=5)


@pytest.mark.slow
def test_a_scheduler_that_never_answers_is_one_line_in_seconds(seeded) -> None:
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, "NEWSALIGN_CLUSTER_TIMEOUT": "2"}
    before = dump(seeded)
    for http in (False, True):
        with _Silent(http=http) as silent:
            for command in (["align", *FAKE_EMBEDDER], ["translate", "--from", "de"]):
                start = time.monotonic()
                try:
                    done = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "newsalign.corpus.cli.app",
                            *command,
                            "--cluster",
                            f"tcp://127.0.0.1:{silent.port}",
                            "--db",
                            str(seeded),
                        ],
                        capture_output=True,
                        text=True,
                        timeout=60,
                        env=env,
                        cwd=Path(__file__).resolve().parents[1],
                    )
                except subprocess.TimeoutExpired:
                    raise AssertionError(f"{command} still waiting after 60 s") from None
                took = time.monotonic() - start
                lines = [line for line in done.stderr.splitlines() if line.strip()]
                assert done.returncode == 1 and len(lines) == 1, done.stderr
                assert "did not answer" in lines[0] and "2 s" in lines[0], lines[0]
                assert took < 20, (command, http, took)
    assert dump(seeded) == before


@pytest.mark.slow
def test_malformed_cluster_addresses_are_refused_even_with_nothing_to_do(seeded) -> None:
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    def run_with(*args: str):
        return CliRunner().invoke(app, [*args, "--db", str(seeded)])

    assert run_with("align", *FAKE_EMBEDDER).exit_code == 0  # now nothing is left to do
    before = dump(seeded)
    for address in (
        "inproc://x",
        "tls://127.0.0.1:8786",
        "ucx://127.0.0.1:8786",
        "tcp://user:pw@127.0.0.1:8786",
        "tcp://[::1",
        "tcp://h:notaport",
        "tcp://h:0",
        "tcp://h:70000",
        "tcp://h",
        "tcp://",
        "tcp://h:8786/path",
        "tcp://h:8786\x1b[2J",
        "tcp://[not-an-ip]:8786",
        "ws://h:1",
    ):
        for command in (["align", *FAKE_EMBEDDER], ["translate", "--from", "de"]):
            result = run_with(*command, "--cluster", address)
            assert result.exit_code == 2, (address, command, result.output)  # a usage error
            (line,) = [x for x in result.output.splitlines() if x.startswith("Error:")]
            assert "--cluster" in line and "\x1b" not in line, (address, line)
    assert dump(seeded) == before


# --- 13. un-nesting reads tags as a browser does ----------------------------------------------------

BODY = (
    "<p>The railway to Khankendi reopened on Monday after thirty years, officials said.</p>"
    "<p>The first freight train carried 1,200 tonnes of cement, the operator reported.</p>"
)
NESTED_TRICKS = {
    "title holding a tag": ('<div title="<div>">', "</div>", 3000),
    "single quotes": ("<div title='<div><span>'>", "</div>", 3000),
    "class holding >": ('<div class="a>b">', "</div>", 3000),
    "spaced =": ('<section data-x = "</section>" >', "</section>", 2500),
    "svg groups": ("<svg><g>", "</g></svg>", 150),
    "svg groups, deep": ("<svg><g>", "</g></svg>", 4000),
}


def _kept(html: str) -> tuple[list[str], list[str], str | None]:
    from newsalign.corpus.ingest.clean import BOILERPLATE
    from newsalign.corpus.ingest.markup import clean_html

    cleaned = clean_html(html)
    body = [b.text for b in cleaned.blocks if b.kind != BOILERPLATE]
    removed = [b.text for b in cleaned.blocks if b.kind == BOILERPLATE]
    return body, removed, cleaned.note


def test_unnesting_reads_quoted_attributes_and_foreign_content() -> None:
    for name, (opening, closing, depth) in NESTED_TRICKS.items():
        page = (
            f"<html><head><title>Rail line reopens</title></head><body>{opening * depth}"
            f"{BODY}{closing * depth}</body></html>"
        )
        body, removed, note = _kept(page)
        text = " ".join(body)
        assert "1,200 tonnes of cement" in text and "reopened on Monday" in text, (name, body)
        assert not [line for line in body + removed if '">' in line or "'>" in line], name
        assert note is None or "levels deep" in note, (name, note)


def test_markup_in_comments_and_scripts_is_not_nesting() -> None:
    page = (
        "<html><head><title>Rail line reopens</title><script>var s = '"
        + "<div>" * 3000
        + "';</script></head><body><!-- "
        + "<div>" * 3000
        + " -->"
        + BODY
        + "<!-- unclosed <div><div>"
    )
    body, _, note = _kept(page)
    assert "1,200 tonnes of cement" in " ".join(body) and note is None, (body, note)


@pytest.mark.slow
def test_a_nested_page_with_quoted_tags_keeps_its_text_through_ingest(
    cli, db_path, tmp_path
) -> None:
    page = tmp_path / "quoted.html"
    page.write_text(
        "<html><head><title>Rail line reopens</title></head><body>"
        + '<div title="<div>">' * 3000
        + BODY
        + "</div>" * 3000
        + "</body></html>"
    )
    result = cli("ingest", str(page))
    assert result.exit_code == 0 and "levels deep" in result.output, result.output
    texts = [t for (t,) in fetch(db_path, "SELECT text FROM segments WHERE kind = 'body'")]
    assert any("1,200 tonnes of cement" in t for t in texts), texts


# --- 12. HTML cleaning in time linear in the page --------------------------------------------------


@pytest.mark.slow
def test_a_page_too_dense_for_the_extractor_is_cleaned_line_by_line() -> None:
    import time

    from newsalign.corpus.ingest.markup import clean_html

    head = (
        '<html><head><title>Rail line reopens</title><meta property="og:site_name" '
        'content="Caspian Courier"></head><body><article><h1>Rail line reopens</h1>'
    )
    words = ["The", "railway", "to", "Khankendi", "reopened", "on", "Monday", "after", "thirty"]
    dense = "<p>" + " ".join(f"<span>{words[k % len(words)]}</span>" for k in range(7000))
    page = head + dense + "</p>" + BODY + "</article></body></html>"
    cleaned = clean_html(page)
    assert cleaned.note and "too dense" in cleaned.note, cleaned.note
    text = " ".join(b.text for b in cleaned.blocks if b.kind == "body")
    assert "1,200 tonnes of cement" in text and "Khankendi reopened" in text
    assert cleaned.site == "Caspian Courier" and cleaned.site_from == "html"
    # A megabyte of them (minutes before: the extractor's time grew with their square).
    big = head + "<p>" + "<span>word</span> " * 55_000 + "</p>" + BODY + "</article></body></html>"
    start = time.process_time()
    cleaned = clean_html(big)
    assert time.process_time() - start < 60 and "1,200 tonnes" in " ".join(
        b.text for b in cleaned.blocks
    )
    # An ordinary article is not affected.
    plain = clean_html(head + BODY * 20 + "</article></body></html>")
    assert plain.note is None and sum(b.kind == "body" for b in plain.blocks) >= 2


def test_glossary_exports_carry_no_raw_escapes_and_read_back(cli, db_path, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    assert cli("init").exit_code == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE names SET name = name || ? WHERE id = (SELECT min(id) FROM names)",
            [ESC + RLO + "\x9b31m"],
        )
    conn.close()
    runner = CliRunner()
    for fmt in ("tsv", "json"):
        out = tmp_path / f"g.{fmt}"
        assert cli("glossary", "export", "--format", fmt, "-o", str(out)).exit_code == 0
        assert not _raw(out.read_text(encoding="utf-8")), fmt
        other = tmp_path / f"other-{fmt}.db"
        assert runner.invoke(app, ["init", "--db", str(other)]).exit_code == 0
        result = runner.invoke(
            app, ["glossary", "import", str(out), "--replace", "--yes", "--db", str(other)]
        )
        assert result.exit_code == 0, result.output
        again = tmp_path / f"again.{fmt}"
        assert (
            runner.invoke(
                app, ["glossary", "export", "--format", fmt, "-o", str(again), "--db", str(other)]
            ).exit_code
            == 0
        )
        assert again.read_bytes() == out.read_bytes(), fmt
    entities = json.loads((tmp_path / "g.json").read_text())["entities"]
    assert any(ESC + RLO in n["name"] for e in entities for n in e["names"])


def test_data_sent_to_a_terminal_is_cleaned_and_to_a_pipe_is_exact(db_path, monkeypatch) -> None:
    import io
    import sys

    from newsalign.corpus.cli.common import output_file

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expected in (
        (io.StringIO(), "a" + ESC + RLO + "b\n"),
        (Terminal(), "a[U+202E]b\n"),
    ):
        monkeypatch.setattr(sys, "stdout", stream)
        with output_file(None, db_path) as out:
            out.write("a" + ESC + RLO + "b\n")
        assert stream.getvalue() == expected


def test_tmx_writes_bidi_overrides_as_character_references(corpus, tmp_path) -> None:
    import xml.etree.ElementTree as ET

    db = tmp_path / "c.db"
    shutil.copy(corpus, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE segments SET text = text || ?", [" " + RLO + "fdp.exe"])
    conn.close()
    out = tmp_path / "pairs.tmx"
    assert run("export", "tmx", "-o", str(out), "--db", str(db)).returncode == 0
    xml = out.read_text(encoding="utf-8")
    assert "&#x202E;" in xml and not _raw(xml)
    segs = [seg.text for seg in ET.parse(out).getroot().iter("seg")]
    assert segs and all(seg.endswith(RLO + "fdp.exe") for seg in segs)
