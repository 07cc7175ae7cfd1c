"""Hostile input, third round (issue 26): manifests naming files outside their folder, terminal
escapes and bidi overrides, archives that lie about their sizes, an export over the real WAL,
serve's tracebacks, clusters that never answer, pages built to make the HTML cleaner slow or to
hide markup in quoted attributes, and metadata a person types wrong. Each case fails in one
line, or is neutralised, and leaves the database as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import fetch

ARTICLE = ("Rail line reopens\n\nThe railway to Khankendi reopened on Monday after thirty years, "
           "officials in Baku said.\nThe first train carried 1,200 tonnes of cement, the operator "
           "reported on Tuesday.\n")  # fmt: skip


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# --- 5. a manifest reads only files in its own folder ------------------------------------------


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
    index.write_text("file\toutlet\n../secret0.txt\tA\n" f"{secrets[1]}\tB\nlink.txt\tC\n"
                     "sub/../../secret3.txt\tD\nok.txt\tE\nsub/inner.txt\tF\n")  # fmt: skip

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
