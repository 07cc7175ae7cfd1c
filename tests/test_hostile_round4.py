"""Hostile input, fourth round (issue 26's closing round): variations of the third round's
attacks that got past its fixes. Each case fails in one line, or is neutralised, and leaves
the database as it was."""

from __future__ import annotations

from tests.helpers import fetch

PARAGRAPH = ("The railway to Khankendi reopened on Monday after thirty years, officials in Baku "
             "said on Tuesday morning.")  # fmt: skip


# --- 6. terminal escapes in a web page -----------------------------------------------------------


def test_a_web_page_holding_terminal_escapes_is_ingested(cli, db_path, tmp_path) -> None:
    # lxml's parser keeps a raw ESC (or &#27;) in the tree, but refuses it when the cleaner wrote
    # line breaks into the tree: the whole ingest ended "unexpected ValueError ... (a bug)".
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "raw.html").write_text(
        f"<html><body><article><p>{PARAGRAPH} \x1b]52;c;cHduZWQ=\x1b\\\x1b[2J</p>"
        "</article></body></html>")  # fmt: skip
    (folder / "ref.html").write_text(f"<p>{PARAGRAPH.replace('Monday', 'Sunday')} &#27;[8m</p>")
    result = cli("ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.count("added ") == 2, result.output
    texts = [text for (text,) in fetch(db_path, "SELECT text FROM segments WHERE kind = 'body'")]
    assert any("thirty years" in text for text in texts), texts
    shown = cli("show", "1").output
    assert "thirty years" in shown and "\x1b" not in shown, shown
