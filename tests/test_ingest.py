import json

import pytest

from tests.helpers import EXAMPLES, SEEDS, dump, fetch, seed


def test_seeds_are_four_english_and_one_german(seeded) -> None:
    langs = fetch(seeded, "SELECT lang, count(*) FROM documents GROUP BY lang ORDER BY lang")
    assert langs == [("de", 1), ("en", 4)]
    (german,) = fetch(seeded, "SELECT path FROM documents WHERE lang = 'de'")
    assert german[0].endswith(seed("002").name)


def test_seed_002_am_27_mai_sentence_is_one_segment(seeded) -> None:
    rows = fetch(
        seeded,
        "SELECT s.text, s.lang FROM segments s JOIN documents d ON d.id = s.doc_id "
        "WHERE d.path LIKE ? AND s.text LIKE 'Am 27. Mai%'",
        (f"%{seed('002').name}",),
    )
    assert len(rows) == 1
    text, lang = rows[0]
    assert text.endswith("Generalkonsulats in Khankendi zählt.")
    assert lang == "de"


def test_segment_offsets_point_into_the_cleaned_text(seeded) -> None:
    for doc_id, text in fetch(seeded, "SELECT id, text FROM documents"):
        segments = fetch(
            seeded,
            'SELECT start, "end", text FROM segments WHERE doc_id = ? AND kind != ?',
            (doc_id, "boilerplate"),
        )
        assert segments
        for start, end, segment in segments:
            assert text[start:end] == segment


def test_reingest_adds_nothing_and_says_so(seeded, cli) -> None:
    before = dump(seeded)
    result = cli("ingest", str(SEEDS))
    assert result.exit_code == 0
    assert sum(line.startswith("unchanged") for line in result.output.splitlines()) == 5
    assert "5 unchanged" in result.output
    assert dump(seeded) == before


@pytest.mark.slow
def test_changed_file_becomes_a_linked_new_version(cli, db_path, tmp_path) -> None:
    article = tmp_path / "report.txt"
    article.write_text("Railway reopens in Khankendi\n\nThe first train arrived on Monday.\n")
    assert cli("ingest", str(article)).exit_code == 0
    article.write_text("Railway reopens in Khankendi\n\nThe first train arrived on Tuesday.\n")
    result = cli("ingest", str(article))
    assert result.exit_code == 0 and "new-version" in result.output
    rows = fetch(db_path, "SELECT id, version, previous_id, is_current FROM documents ORDER BY id")
    assert rows == [(1, 1, None, 0), (2, 2, 1, 1)]


def test_bad_inputs_fail_cleanly_and_leave_the_database_as_it_was(seeded, cli, tmp_path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.txt").write_bytes(b"caf\xe9 \x81\x8d\x90 text")
    before = dump(seeded)
    for name, message in [
        ("image.png", "binary"),
        ("empty.txt", "empty"),
        ("broken.txt", "undecodable"),
        ("missing.txt", "no such file"),
    ]:
        result = cli("ingest", str(tmp_path / name))
        assert result.exit_code == 1, name
        assert message in result.output, result.output
        assert sum(line.startswith("failed") for line in result.output.splitlines()) == 1
    assert dump(seeded) == before


@pytest.mark.slow
def test_one_failing_file_does_not_stop_the_others(cli, db_path, tmp_path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = cli("ingest", str(tmp_path / "bad.txt"), str(seed("004")))
    assert result.exit_code == 1
    assert "1 added" in result.output and "1 failed" in result.output
    assert fetch(db_path, "SELECT count(*) FROM documents") == [(1,)]
    # The run row says an input failed rather than `ok` (issue 18).
    assert fetch(db_path, "SELECT command, status, error FROM runs") == [
        ("ingest", "failed", "1 of 2 inputs failed")
    ]


def test_cp1252_input_is_decoded_with_a_warning(cli, db_path, tmp_path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(
        "Grüße aus Baku\n\nDie Delegation traf sich am Montag in Baku.\n".encode("cp1252")
    )
    result = cli("ingest", str(path))
    assert result.exit_code == 0
    assert "cp1252" in result.output
    assert fetch(db_path, "SELECT encoding FROM documents") == [("cp1252",)]


def test_stdin_source_and_langs(cli, db_path) -> None:
    text = "Bahn nach Stepanakert\n\nDer erste Güterzug ist am Montag in der Stadt angekommen.\n"
    result = cli("ingest", "-", "--source", "Wire", "--langs", "de,en", input=text.encode())
    assert result.exit_code == 0, result.output
    assert fetch(db_path, "SELECT source, lang, path FROM documents") == [("Wire", "de", None)]


def test_json_output(cli) -> None:
    result = cli("ingest", str(seed("002")), "--json")
    assert result.exit_code == 0
    (record,) = json.loads(result.output)
    assert record["status"] == "added" and record["lang"] == "de"


@pytest.mark.slow
def test_run_on_the_bundled_examples(cli, db_path, argos_dir) -> None:
    result = cli("run", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert "Caspian Courier" in result.output
    assert "2 documents in 2 languages: de, en." in result.output
    assert "Not translated (de): no model for de→en" in result.output
    assert "Claims shared by two or more sources" in result.output
    names = dict(
        fetch(
            db_path,
            "SELECT d.source, group_concat(DISTINCT n.name) FROM mentions m "
            "JOIN names n ON n.id = m.name_id JOIN entities e ON e.id = m.entity_id "
            "JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id "
            "WHERE e.key = 'khankendi' GROUP BY d.source",
        )
    )
    assert names == {"Caspian Courier": "Khankendi", "kaukasus-rundschau-bahn": "Stepanakert"}
    # The railway's arrival is one claim across the two languages.
    pairs = fetch(
        db_path,
        "SELECT a.text, b.text FROM alignments l JOIN segments a ON a.id = "
        "l.a_segment_id JOIN segments b ON b.id = l.b_segment_id WHERE l.accepted = 1",
    )
    assert any("first freight train" in a and "erste Güterzug" in b for a, b in pairs)


def test_seed_001_menu_lines_take_the_document_language(seeded) -> None:
    rows = fetch(
        seeded,
        "SELECT s.kind, s.lang, s.lang_method, count(*) FROM segments s "
        "JOIN documents d ON d.id = s.doc_id WHERE d.path LIKE ? GROUP BY 1, 2, 3",
        (f"%{seed('001').name}",),
    )
    assert {lang for _, lang, _, _ in rows} == {"en"}
    assert ("boilerplate", "en", "document") in {(k, lang, m) for k, lang, m, _ in rows}


def test_ingest_accepts_any_iterable_of_paths(db_path) -> None:
    from newsalign.corpus.ingest.run import ingest
    from newsalign.corpus.store.database import open_db

    report = ingest(open_db(db_path, create=True), (str(p) for p in [seed("002")]))
    assert [r.status for r in report.results] == ["added"]
