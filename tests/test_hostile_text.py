"""Hostile text: lines that made cleaning and sentence splitting quadratic or worse, pages nested
thousands of levels deep, Unicode that looks like one spelling and is another, and glossary
values that do not survive an export. Time guards here are generous and only on the specific
inputs that hung; bench/adversarial.py measures that time per byte stays flat."""

from __future__ import annotations

import time
import unicodedata

import pytest

from newsalign.corpus.align.features import fact_spans
from newsalign.corpus.ingest.clean import clean_markdown, clean_text
from newsalign.corpus.ingest.segment import split_sentences
from tests.helpers import fetch

# (name, line): each took from 7 s to hours before (issue 18).
ADVERSARIAL = [
    ("hex word", "1a" * 10_000 + "_z"),  # 4 KB: 114 s in the image-file-name rule
    ("cookie banner glued", "cookie." * 15_000),  # 100 KB: 76 s
    ("Xx. Xx.", "Xx. " * 25_000),  # 32 KB: 7.6 s in the splitter
    ("dots", "." * 100_000),
    ("quotes", '"' * 100_000),
    ("ordinals", "1. " * 33_000),
    ("abbreviations", "Dr. " * 25_000),
    ("e-mail-like", "a.b@c" * 20_000),
    ("capitals", "Aa" * 50_000),
    ("markdown images", "![" * 50_000),
    ("foreign-agent label", "распространен" * 8_000),
]


@pytest.mark.parametrize(("name", "line"), ADVERSARIAL, ids=[n for n, _ in ADVERSARIAL])
def test_adversarial_line_is_cleaned_and_split_in_seconds(name: str, line: str) -> None:
    for step in (clean_text, clean_markdown, split_sentences, lambda t: fact_spans(t, "en")):
        start = time.perf_counter()
        step(line)
        assert time.perf_counter() - start < 20, (name, step)


def test_long_paragraph_splits_as_its_sentences() -> None:
    sentence = "The convoy left Lachin at dawn, Dr. Aliyev said on 17. April 2024. "
    text = sentence * 5_000  # 330 KB on one line: minutes before
    start = time.perf_counter()
    spans = split_sentences(text)
    assert time.perf_counter() - start < 20
    assert len(spans) == 5_000
    assert text[spans[1][0] : spans[1][1]] == sentence.strip()


NESTINGS = {
    "blockquote": ("<blockquote>", "</blockquote>"),
    "ul-li": ("<ul><li>", "</li></ul>"),
    "section-p": ("<section><p>", "</p></section>"),
    "div-span-q": ("<div><span><q>", "</q></span></div>"),
}


@pytest.mark.parametrize("kind", list(NESTINGS))
def test_deeply_nested_article_keeps_its_body_and_says_so(cli, db_path, tmp_path, kind) -> None:
    opening, closing = NESTINGS[kind]
    body = ("<p>The railway to Khankendi reopened on Monday after thirty years, officials said.</p>"
            "<p>The first freight train carried 1,200 tonnes of cement, the operator reported.</p>")  # fmt: skip
    page = tmp_path / f"{kind}.html"
    page.write_text(f"<html><head><title>Rail line reopens</title></head><body>"
                    f"{opening * 3000}{body}{closing * 3000}</body></html>")  # fmt: skip
    result = cli("ingest", str(page))
    assert result.exit_code == 0, result.output
    assert "levels deep" in result.output
    texts = [t for (t,) in fetch(db_path, "SELECT text FROM segments WHERE kind = 'body'")]
    assert any("1,200 tonnes of cement" in t for t in texts), texts
    assert any("reopened on Monday" in t for t in texts), texts
    (warning,) = fetch(db_path, "SELECT encoding_warning FROM documents")[0]
    assert "levels deep" in warning


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_decomposed_spelling_is_the_same_spelling(cli) -> None:
    assert _nfd("Şuşa") != "Şuşa"
    assert cli("init").exit_code == 0
    result = cli("glossary", "add", "shusha2", _nfd("Şuşa"))
    assert result.exit_code == 1 and "conflict" in result.output


def test_decomposed_article_finds_its_mentions(cli, db_path, tmp_path) -> None:
    article = tmp_path / "nfd.txt"
    article.write_text(_nfd(
        "Convoy reaches Şuşa\n\nThe convoy reached Şuşa on Monday morning, officials in Baku said.\n"
        "Residents of Şuşa and Xankəndi watched it pass, a reporter in the town wrote.\n"
    ), encoding="utf-8")  # fmt: skip
    assert cli("ingest", str(article)).exit_code == 0
    mentions = fetch(db_path, "SELECT surface FROM mentions")
    assert sum(surface == "Şuşa" for (surface,) in mentions) >= 2, mentions
    (text,) = fetch(db_path, "SELECT text FROM segments WHERE text LIKE 'The convoy%'")[0]
    assert text == unicodedata.normalize("NFC", text)
    found = cli("search", _nfd("Şuşa"))
    assert found.exit_code == 0 and "convoy" in found.output


def test_lookalike_and_invisible_spellings_are_kept_with_a_warning(cli) -> None:
    assert cli("init").exit_code == 0
    homoglyph = cli("glossary", "add", "lookalike", "\u0405husha")  # Cyrillic DZE for "S"
    assert homoglyph.exit_code == 0
    assert (
        "warning: lookalike: spelling" in homoglyph.output and "Cyrl and Latn" in homoglyph.output
    )
    joiner = cli("glossary", "add", "joined", "Agh\u200ddam")
    assert joiner.exit_code == 0 and "zero-width joiner (U+200D)" in joiner.output
    plain = cli("glossary", "add", "plain", "Agdam Town")
    assert plain.exit_code == 0 and "warning" not in plain.output


def test_memory_and_names_queries_are_composed(tmp_path) -> None:
    from newsalign.glossary.edit import find_entity
    from newsalign.glossary.model import Entity, Name, Spelling
    from newsalign.translate.memory_formats import normalize, parse_tsv

    (unit,) = parse_tsv(_nfd("Şuşa ist alt\tŞuşa is old") + "\n", "de", "en")
    assert unit.source == "Şuşa ist alt" and unit.target == "Şuşa is old"
    assert normalize(_nfd("Şuşa  ist")) == "Şuşa ist"
    entity = Entity(
        "shusha", "place", "Shusha", names=(Name("Şuşa", spellings=(Spelling("Şuşa"),)),)
    )
    assert find_entity([entity], _nfd("Şuşa")).key == "shusha"
