import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlite_utils
from typer.testing import CliRunner

from newsalign.corpus import store
from newsalign.corpus.cli.app import app
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import migrations


def test_blank_database_migrates_to_the_full_schema(db_path) -> None:
    db = store.open_db(db_path, create=True)
    assert migrations.applied(db) == [name for name, _ in migrations.MIGRATIONS]
    assert {
        "runs",
        "documents",
        "paragraphs",
        "segments",
        "segments_fts",
        "entities",
        "names",
        "spellings",
        "mentions",
        "glossary_versions",
    } <= set(db.table_names())
    assert {"surface", "start", "end", "glossary_version", "name_id"} <= set(
        db["mentions"].columns_dict
    )
    assert {"lang", "lang_prob", "lang_method", "kind", "start", "end", "reason"} <= set(
        db["segments"].columns_dict
    )
    assert {"sha256", "raw_chars", "clean_chars", "previous_id", "version", "published"} <= set(
        db["documents"].columns_dict
    )
    assert "remove_diacritics 2" in db["segments_fts"].schema
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Migrating again is a no-op.
    assert migrations.migrate(db) == []


def test_missing_database_is_reported(tmp_path) -> None:
    with pytest.raises(CorpusError, match="no newsalign database"):
        store.open_readonly(tmp_path / "nope.db")
    with pytest.raises(CorpusError, match="no newsalign database"):
        store.open_db(tmp_path / "nope.db")


def test_foreign_files_are_refused(tmp_path) -> None:
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["things"].insert({"a": 1})
    with pytest.raises(CorpusError, match="not a newsalign corpus"):
        store.open_db(other)
    text = tmp_path / "notes.db"
    text.write_text("this is not a database at all, just some text " * 20)
    with pytest.raises(CorpusError, match="not a SQLite database"):
        store.open_readonly(text)


def test_read_only_connection_refuses_writes(db_path) -> None:
    store.open_db(db_path, create=True).close()
    db = store.open_readonly(db_path)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("DELETE FROM documents")


@pytest.mark.slow
def test_database_locked_by_another_process(db_path, cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSALIGN_LOCK_WAIT", "1")
    store.open_db(db_path, create=True).close()
    article = tmp_path / "a.txt"
    article.write_text("A headline about Khankendi\n\nThe consulate will open in 2024, he said.\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sqlite3, sys, time
            conn = sqlite3.connect({str(db_path)!r}, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = cli("ingest", str(article))
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=10)
    assert result.exit_code == 1
    assert "locked by another process (waited 1 s)" in result.output
    db = store.open_readonly(db_path)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_a_directory_is_not_a_database(tmp_path, cli) -> None:
    for command in (["stats"], ["ingest", str(tmp_path)]):
        result = CliRunner().invoke(app, [*command, "--db", str(tmp_path)])
        assert result.exit_code == 1
        assert "is a directory" in result.output


def test_schema_has_the_views_and_the_cache_keys(db_path) -> None:
    db = store.open_db(db_path, create=True)
    views = set(db.view_names())
    assert {"current_documents", "text_segments", "original_mentions"} <= views
    assert "input_hash" in db["translations"].columns_dict
    assert {"text_hash", "model", "vector"} <= set(db["sentence_vectors"].columns_dict)
    assert "embeddings" not in db.table_names()


def test_migration_5_keeps_stored_vectors_under_their_text_hash(db_path) -> None:
    import numpy as np

    from newsalign.corpus.store.records import text_hash

    db = sqlite_utils.Database(db_path)
    for name, func in migrations.MIGRATIONS[:4]:
        with db.atomic():
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {migrations.MIGRATIONS_TABLE} "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            func(db)
            db.execute(f"INSERT INTO {migrations.MIGRATIONS_TABLE} VALUES (?, 'then')", [name])
    db.execute(
        "INSERT INTO documents (id, doc_key, version, source, format, encoding, sha256, "
        "raw_chars, clean_chars, boilerplate_chars, text, ingested_at) "
        "VALUES (1, 'k', 1, 's', 'text', 'utf-8', 'x', 1, 1, 0, 't', 'now')"
    )
    db.execute(
        "INSERT INTO segments (id, doc_id, idx, kind, text, search_text) "
        "VALUES (7, 1, 0, 'body', 'A sentence.', 'a sentence.')"
    )
    vector = np.arange(4, dtype=np.float32)
    db.execute("INSERT INTO embeddings VALUES (7, 'm', 4, ?, 'now')", [vector.tobytes()])
    db.conn.commit()
    db.close()
    migrated = store.open_db(db_path)
    row = migrated.execute("SELECT text_hash, model, vector FROM sentence_vectors").fetchall()
    assert row == [(text_hash("A sentence."), "m", vector.tobytes())]
