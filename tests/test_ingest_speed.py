"""Issue 31: language detection at a fraction of its cost with the same answers where it is
sure, ingest streamed (folders walked lazily, results not kept), `ingest --cluster` storing
what a local ingest stores, and progress drawn only on a terminal."""

from __future__ import annotations

import io
import shutil
import sqlite3
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsalign.corpus.cli.app import app
from newsalign.corpus.cli.progress import staged
from newsalign.corpus.distributed import connect, tasks
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.ingest.inputs import discover
from newsalign.corpus.ingest.run import ingest
from newsalign.corpus.store import documents as store_documents
from newsalign.corpus.store import open_db
from newsalign.glossary import match
from newsalign.glossary.textnorm import WORD, fold
from newsalign.translate.langid import LanguageDetector, assign_languages
from tests.helpers import SEEDS, SHARED, free_port, no_children_left

STORIES = SHARED / "stories"
DE = [
    "Die russischen Friedenstruppen haben sich vor kurzem aus der Region zurückgezogen.",
    "Der Abzug begann nach Angaben des Verteidigungsministeriums bereits im April.",
    "Die Regierung in Baku bestätigte den Abschluss des Abzugs am Mittwoch.",
]
# Names only, 40 letters or more: py3langid leans German but is not sure.
NAMES = "Berlin Paris Wien Moskau Baku Rom Madrid Prag Lissabon Oslo"
EN = "This year, the Russian peacekeeping contingent has left the territory of Azerbaijan."


def run(*args: str):
    return CliRunner().invoke(app, list(args))


class Counting(LanguageDetector):
    """A detector that counts what it sends to langdetect."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.langdetect_calls: list[str] = []

    def _langdetect(self, text: str):
        self.langdetect_calls.append(text)
        return super()._langdetect(text)


# --- detection --------------------------------------------------------------------------------


def test_a_sure_first_reading_needs_no_langdetect_and_a_text_is_judged_once() -> None:
    detector = Counting()
    for _ in range(3):
        for text in [*DE, EN]:
            found = detector.detect(text)
            assert found is not None and found.lang == ("en" if text == EN else "de")
    assert detector.langdetect_calls == []
    seen = detector.glance(DE[0])
    assert seen.settled and seen.detection.prob >= 0.9
    short = detector.glance("lichaam bezetene")  # short: py3langid's answer, sure or not
    assert short.settled and short.detection.prob < 0.9
    assert detector.detect("lichaam bezetene") == short.detection
    assert detector.langdetect_calls == []


@pytest.mark.slow
def test_an_unsure_text_goes_on_to_langdetect_once() -> None:
    detector = Counting()
    text = NAMES
    assert not detector.glance(text).settled
    first = detector.detect(text)
    assert detector.detect(text) == first
    assert detector.langdetect_calls == [text]


def test_an_unsure_sentence_agreeing_with_its_paragraph_and_document_skips_langdetect() -> None:
    detector = Counting()
    unsure = NAMES
    seen = detector.glance(unsure)
    assert not seen.settled and seen.detection.lang == "de", seen
    doc, paras, sents = assign_languages(detector, [[DE[0], unsure, DE[1]], [DE[2]]])
    assert detector.langdetect_calls == []
    assert doc.lang == "de" and paras[0].lang == "de"
    assert (sents[0][1].lang, sents[0][1].method) == ("de", "paragraph")
    assert sents[0][0].method == "detected"


@pytest.mark.slow
def test_an_unsure_sentence_alone_or_against_its_document_is_judged_by_langdetect() -> None:
    detector = Counting()
    unsure = NAMES
    assign_languages(detector, [[unsure]])  # nothing settled to agree with
    assert detector.langdetect_calls == [unsure]
    detector = Counting()
    english = [EN, "The ministry said the withdrawal of the troops was completed in June."]
    assign_languages(detector, [english, [unsure]])  # its paragraph has no settled sentence,
    assert detector.langdetect_calls == [unsure]  # and the document is English


@pytest.mark.slow
def test_chinese_is_left_to_langdetect_which_tells_the_scripts_apart() -> None:
    simplified = "这是一个关于铁路重新开放的新闻报道，官员们周一表示。"
    found = LanguageDetector().detect(simplified)
    assert found is not None and found.lang == "zh-cn"


@pytest.mark.slow
def test_the_stories_keep_the_languages_langdetect_gave_them() -> None:
    """Every title and body sentence the detector settles alone, on both stories, has the
    language langdetect (completed as before) is sure of, or langdetect was not sure."""
    fast, reference = Counting(), LanguageDetector()
    differ, sure = [], 0
    for page in sorted(STORIES.glob("*/*.txt"))[::3]:
        for line in page.read_text(encoding="utf-8").splitlines():
            if sum(ch.isalpha() for ch in line) < 40:
                continue
            seen = fast.glance(line)
            if not seen.settled or seen.detection is None:
                continue
            before = reference._second_opinion(line, None)
            if before is not None and before.prob >= 0.9:
                sure += 1
                if before.lang != seen.detection.lang:
                    differ.append((line[:60], before.lang, seen.detection.lang))
    assert sure > 50
    assert len(differ) <= sure // 100, differ


# --- streaming -----------------------------------------------------------------------------


def test_folders_are_walked_in_the_order_of_their_sorted_paths(tmp_path) -> None:
    root = tmp_path / "in"
    for name in [
        "b/x.txt",
        "b.txt",
        "a.md",
        "c/d/e.html",
        "c/a.txt",
        "B.txt",
        ".hidden/z.txt",
        "c/.dot.txt",
        "c/skip.pdf",
        "b-c/y.txt",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "link").symlink_to(root / "c", target_is_directory=True)
    found = [item.path for item in discover([str(root)])]
    expected = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and ".hidden" not in p.parts
        and not p.name.startswith(".")
        and p.suffix != ".pdf"
        and "link" not in p.relative_to(root).parts
    )
    assert found == expected and len(found) == 7


def test_results_can_be_left_to_the_caller_and_progress_follows_the_inputs(tmp_path) -> None:
    db = open_db(tmp_path / "c.db", create=True)
    seen, progress = [], []
    report = ingest(
        db,
        [str(SEEDS), str(tmp_path / "missing")],
        keep_results=False,
        on_result=seen.append,
        on_progress=lambda d, t: progress.append((d, t)),
    )
    assert report.results == () and report.count("added") == 5 and report.failed == 1
    assert report.inputs == 6 == len(seen)
    assert progress == [(n, 6) for n in range(7)]


# --- folding, as fast and the same ------------------------------------------------------------

_LETTERS = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "İ": "i",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
    }
)


def reference_fold(text: str) -> str:
    """textnorm.fold as it was before it skipped the steps that change nothing."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def test_fold_gives_what_it_gave_for_every_character_and_mixed_text() -> None:
    every = "".join(map(chr, range(0x110000)))
    for start in range(0, len(every), 512):
        chunk = every[start : start + 512]
        assert fold(chunk) == reference_fold(chunk), hex(start)
    for text in [
        "Xankəndi",
        "Hacıbəyli",
        "STRASSE Straße",
        "Ǆemal ﬁle №5",
        "Łódź Ørsted",
        "Карабах, йод, Ёлка",
        "Nagorno-Karabakh",
        "S\u0327ușa",
        "ქართველი",
        "",
        "ASCII",
    ]:
        assert fold(text) == reference_fold(text)


def test_a_matcher_folds_each_word_once_and_keeps_a_bounded_number(monkeypatch) -> None:
    folded = []
    monkeypatch.setattr(match, "fold", lambda w: folded.append(w) or reference_fold(w))
    monkeypatch.setattr(match, "FOLDED_WORDS", 3)
    found = match.Matcher([match.Term("Xankəndi", 1, 1)])
    assert [m.surface for m in found.find("Xankendi und XANKƏNDI, Xankendi")] == [
        "Xankendi",
        "XANKƏNDI",
        "Xankendi",
    ]
    assert folded == ["Xankəndi", "Xankendi", "und", "XANKƏNDI"]  # the last one again: known
    assert len(found._folded) <= 3


def reference_find(self, text: str, *, cased: bool = True) -> list[match.Match]:
    """Matcher.find as it was before it walked only from words that start a spelling."""
    tokens = list(WORD.finditer(text))
    folded = [reference_fold(t.group()) for t in tokens]
    found: list[match.Match] = []
    i = 0
    while i < len(tokens):
        best = None
        node = self._root
        inflected = False
        for j in range(i, len(tokens)):
            child = node.children.get(folded[j])
            if child is None:
                child = node.inflected.get(folded[j])
                inflected = True
            if child is None:
                break
            node = child
            term = match._pick(node.terms, inflected)
            if term is not None:
                best = (j, term, inflected)
        if best is None or (cased and not match._cased_alike(tokens[i].group(), best[1].text)):
            i += 1
            continue
        last, term, inflected = best
        start, end = tokens[i].start(), tokens[last].end()
        found.append(match.Match(start, end, text[start:end], term, inflected))
        i = last + 1
    return found


def _insert_all(db, rows) -> None:
    """Segments as insert_document wrote them with sqlite-utils."""
    columns = store_documents._SEGMENT_COLUMNS
    db["segments"].insert_all(
        (dict(zip(columns, row, strict=True)) for row in rows), batch_size=500
    )


@pytest.mark.slow
def test_ingest_stores_the_bytes_it_stored_with_the_reference_fold_find_and_insert_all(
    tmp_path, monkeypatch
) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    (pages / "names.txt").write_text(
        "Xankəndi und Stepanakert\n\nDer Abzug aus Bergkarabach begann in Xankəndi, sagte "
        "Hacıbəyli in Baku. Die Straße nach Łódź blieb offen. Ǆemal sah Ørsted in Tiflis.\n"
        "Степанакерт и Карабах: российские миротворцы покинули Ханкенди в апреле.\n",
        encoding="utf-8",
    )
    # More segments than one INSERT takes: the full-text index is written per statement.
    (pages / "long.txt").write_text(
        "Long report\n\n" + " ".join(f"{s} Meldung {k}." for k in range(60) for s in DE),
        encoding="utf-8",
    )
    assert run("ingest", str(pages), "--db", str(tmp_path / "now.db")).exit_code == 0
    monkeypatch.setattr(match, "fold", reference_fold)
    monkeypatch.setattr(store_documents, "fold", reference_fold)
    monkeypatch.setattr(store_documents, "_insert_segments", _insert_all)
    monkeypatch.setattr(match.Matcher, "find", reference_find)
    assert run("ingest", str(pages), "--db", str(tmp_path / "then.db")).exit_code == 0
    now, then = _dump(tmp_path / "now.db"), _dump(tmp_path / "then.db")
    assert now.keys() == then.keys() and "segments_fts_data" in now
    for table in now:  # the full-text index's own tables too
        assert now[table] == then[table], table
    conn = sqlite3.connect(tmp_path / "now.db")
    searched = {t for (t,) in conn.execute("SELECT search_text FROM segments")}
    assert any("strasse nach lodz" in t for t in searched)
    assert any("ханкенди" in t for t in searched) and now["mentions"]
    longest = conn.execute(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM segments GROUP BY doc_id)"
    )
    assert longest.fetchone()[0] > 2 * store_documents._SEGMENTS_PER_INSERT


# --- progress on a terminal ------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.slow
def test_progress_is_drawn_on_a_terminal_and_nowhere_else(tmp_path, monkeypatch) -> None:
    from newsalign.corpus.cli.app import main

    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["ingest", str(SEEDS), "--db", str(tmp_path / "t.db")]) == 0
    drawn = out.getvalue()
    assert "Ingesting" in drawn and "5/5" in drawn and "inputs/s" in drawn
    assert "added" in drawn and "Ingested 5 inputs" in drawn
    for args in (["--json"], []):  # JSON for a script; output piped (the runner's streams)
        result = CliRunner().invoke(
            app, ["ingest", str(SEEDS), "--db", str(tmp_path / "p.db"), *args]
        )
        assert "Ingesting" not in result.output and "inputs/s" not in result.output
        assert "\x1b" not in result.output


@pytest.mark.slow
def test_translate_and_export_draw_progress_on_a_terminal_only(tmp_path, monkeypatch) -> None:
    from newsalign.corpus.cli.app import main

    db = tmp_path / "c.db"
    assert run("ingest", str(SEEDS), "--db", str(db)).exit_code == 0
    german = [
        t
        for (t,) in sqlite3.connect(db).execute(
            "SELECT text FROM segments WHERE lang = 'de' AND kind != 'boilerplate'"
        )
    ]
    memory = tmp_path / "m.tsv"
    memory.write_text(
        "".join(f"{t}\tEnglish {i}.\n" for i, t in enumerate(german) if "\t" not in t),
        encoding="utf-8",
    )
    assert (
        run("tm", "import", str(memory), "--from", "de", "--to", "en", "--db", str(db)).exit_code
        == 0
    )
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert main(["translate", "--backend", "tm", "--db", str(db)]) == 0
    assert "Translating" in out.getvalue() and "segments/s" in out.getvalue()
    assert main(["export", "corpus", "-o", str(tmp_path / "c.jsonl"), "--db", str(db)]) == 0
    assert "Exporting" in out.getvalue() and "5/5" in out.getvalue()
    before = len(out.getvalue())
    assert main(["export", "corpus", "--db", str(db)]) == 0  # to the terminal: the records only
    assert "Exporting" not in out.getvalue()[before:]
    monkeypatch.undo()
    piped = run("export", "claims", "-o", str(tmp_path / "k.jsonl"), "--db", str(db))
    assert piped.exit_code == 0 and "Exporting" not in piped.output


FAKE = ["--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none"]


@pytest.mark.slow
def test_align_draws_its_stages_and_embedding_on_a_terminal_only(tmp_path, monkeypatch) -> None:
    from newsalign.corpus.cli import align as align_cli
    from newsalign.corpus.cli.app import main

    db = tmp_path / "c.db"
    assert run("ingest", str(SEEDS), "--db", str(db)).exit_code == 0
    updates = []

    @contextmanager
    def heard(*args, **kwargs):
        with staged(*args, **kwargs) as drawn:
            if drawn is None:
                yield None
                return
            update, stage = drawn
            yield lambda done, total: (updates.append((done, total)), update(done, total)), stage

    monkeypatch.setattr(align_cli, "staged", heard)
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert main(["align", *FAKE, "--db", str(db)]) == 0
    drawn = out.getvalue()
    assert "s] embedding what is missing and grouping 5 documents into stories…" in drawn
    assert "s] aligning 5 stories (part 1 of 1)…" in drawn and "newly embedded" in drawn
    assert "0/125" not in drawn  # an aligning stage shows no count of the embedding's
    assert updates and updates[-1][0] == updates[-1][1] > 0  # the embedding was followed
    for args in (["--json"], []):  # JSON for a script; output piped (the runner's streams)
        monkeypatch.setattr(sys, "stdout", sys.__stdout__)
        monkeypatch.setattr(sys, "stderr", sys.__stderr__)
        updates.clear()
        result = run("align", *FAKE, "--full", "--db", str(db), *args)
        assert result.exit_code == 0, result.output
        assert "s] " not in result.output and "Embedding" not in result.output
        assert "\x1b" not in result.output and updates == []


def test_align_on_a_cluster_is_followed_on_a_terminal_only(tmp_path, monkeypatch) -> None:
    from newsalign.corpus.cli.app import main
    from newsalign.corpus.distributed import run as distributed_run

    db = tmp_path / "c.db"
    assert run("ingest", str(SEEDS), "--db", str(db)).exit_code == 0
    heard = []

    def align_corpus(db, settings, address, *, on_progress=None, full=False):
        heard.append(on_progress)
        raise CorpusError("stopped here")

    monkeypatch.setattr(distributed_run, "align_corpus", align_corpus)
    result = run("align", "--cluster", "local:1", "--db", str(db))
    assert result.exit_code == 1 and "stopped here" in result.output and heard == [None]
    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert main(["align", "--cluster", "local:1", "--db", str(db)]) == 1
    assert len(heard) == 2 and callable(heard[1])


def test_a_staged_bar_prints_each_stage_above_it_and_follows_each_pass(monkeypatch) -> None:
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", Terminal())
    with staged("Embedding", "texts") as drawn:
        assert drawn is not None
        update, stage = drawn
        stage("first stage")
        update(4, 8)
        update(8, 8)
        stage("second stage")
        update(1, 3)  # another pass: the bar starts again
    shown = out.getvalue()
    assert "] first stage…\n" in shown and "] second stage…\n" in shown
    assert shown.index("first stage") < shown.index("second stage")
    assert "Embedding" in shown and "1/3" in shown and "texts/s" in shown  # the last frame
    with staged("Embedding", "texts", quiet=True) as drawn:
        assert drawn is None
    monkeypatch.undo()
    with staged("Embedding", "texts") as drawn:  # the runner's streams are no terminal
        assert drawn is None


# --- the cluster -------------------------------------------------------------------------------


@pytest.fixture
def no_cluster_left():
    tasks.reset()
    yield
    no_children_left()


def _dump(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows but the times and process ids that differ between two runs."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        dump = {}
        for table in tables:
            columns = [
                c[1]
                for c in conn.execute(f"PRAGMA table_info('{table}')")
                if not c[1].endswith("_at") and c[1] not in ("pid", "host")
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            dump[table] = sorted(conn.execute(f'SELECT {listed} FROM "{table}"'), key=repr)
        return dump
    finally:
        conn.close()


@pytest.mark.slow
def test_ingest_on_local_2_stores_what_a_local_ingest_stores(tmp_path, no_cluster_left) -> None:
    folder = tmp_path / "in"
    shutil.copytree(STORIES / "consulate", folder / "consulate")
    shutil.copytree(SEEDS, folder / "seeds")
    shutil.copy(SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0], folder / "again.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    manifest = STORIES / "withdrawal" / "index.tsv"
    outputs = {}
    for label, extra in (("local", []), ("remote", ["--cluster", "local:2"])):
        db = tmp_path / f"{label}.db"
        first = run("ingest", str(folder), "--db", str(db), *extra)
        assert first.exit_code == 1, first.output  # the empty and binary files fail
        again = run(
            "ingest",
            "--manifest",
            str(manifest),
            str(folder / "seeds"),
            "--db",
            str(db),
            "--source",
            "Seeds",
            *extra,
        )
        assert again.exit_code == 0, again.output
        outputs[label] = first.output + again.output
    assert outputs["remote"] == outputs["local"]
    assert "duplicate" in outputs["local"] and "updated" in outputs["local"]
    local, remote = _dump(tmp_path / "local.db"), _dump(tmp_path / "remote.db")
    assert local["segments"] and local["documents"] and local["runs"]
    assert remote == local


@pytest.mark.slow
def test_an_unreachable_cluster_is_one_line_and_writes_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(connect, "CONNECT_TIMEOUT", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    fresh = tmp_path / "fresh.db"
    result = run("ingest", str(SEEDS), "--db", str(fresh), "--cluster", address)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    # Refused or silent, it is one line naming the scheduler (connect.py words each case).
    assert len(lines) == 1 and f"the scheduler at {address}" in lines[0], result.output
    assert not fresh.exists()
    existing = tmp_path / "existing.db"
    assert (
        run(
            "ingest", str(SEEDS / sorted(p.name for p in SEEDS.glob("*"))[0]), "--db", str(existing)
        ).exit_code
        == 0
    )
    before = _dump(existing)
    result = run("ingest", str(SEEDS), "--db", str(existing), "--cluster", address)
    assert result.exit_code == 1 and "cannot reach the scheduler" in result.output
    assert _dump(existing) == before
