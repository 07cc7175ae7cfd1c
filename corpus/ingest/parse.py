"""From raw bytes to a document ready to store: decode, clean, split into paragraphs and
sentences, detect languages. Pure: no database."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.clean import BODY, BOILERPLATE, TITLE, Cleaned, clean_text
from newsalign.corpus.ingest.decode import decode_bytes
from newsalign.corpus.ingest.markup import clean_html, clean_markdown
from newsalign.corpus.ingest.segment import split_sentences
from newsalign.glossary.textnorm import nfc
from newsalign.translate.langid import LanguageDetector, assign_languages

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html"}  # fmt: skip
# Real article pages are well under 5 MB even with their scripts; lxml and trafilatura need
# some 30 times a page's size in memory (a 10 MB page: 700 MB), whatever --max-mb allows.
MAX_HTML_BYTES = 20 * 2**20
_HTML_SNIFF = re.compile(r"<(!doctype html|html|head|body|article|p|div)\b", re.I)


@dataclass(frozen=True)
class ParsedSegment:
    """A segment of a parsed document, before it has an id."""

    kind: str
    text: str
    line: int
    reason: str | None = None
    paragraph: int | None = None
    sentence: int | None = None
    start: int | None = None
    end: int | None = None
    lang: str | None = None
    lang_prob: float | None = None
    lang_method: str | None = None


@dataclass(frozen=True)
class ParsedDocument:
    """A document ready to store: cleaned text, paragraphs, segments and metadata."""

    text: str
    title: str | None
    site: str | None
    published: str | None
    site_from: str | None
    published_from: str | None
    format: str
    encoding: str
    encoding_warning: str | None
    encoding_confidence: float
    raw_chars: int
    lang: str | None
    lang_prob: float | None
    paragraphs: tuple[tuple[int, int, str | None, float | None, str], ...]
    segments: tuple[ParsedSegment, ...] = field(repr=False)

    @property
    def boilerplate_chars(self) -> int:
        return sum(len(s.text) for s in self.segments if s.kind == BOILERPLATE)


def detect_format(name: str, text: str) -> str:
    """The input format from the file name, or by sniffing the text."""
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    return "html" if _HTML_SNIFF.search(text[:4096]) else "text"


def _clean(fmt: str, text: str) -> Cleaned:
    if fmt != "html":
        return {"markdown": clean_markdown}.get(fmt, clean_text)(text)
    from lxml import etree

    try:
        return clean_html(text)
    except (etree.LxmlError, RecursionError, MemoryError) as exc:
        # A page the HTML parser or trafilatura cannot handle fails alone, as any bad input.
        raise InputError(f"cannot parse this HTML ({type(exc).__name__}: {exc})") from None


def parse_document(data: bytes, name: str, detector: LanguageDetector) -> ParsedDocument:
    """Decode, clean, segment and detect languages; raises InputError for unusable input."""
    decoded = decode_bytes(data)
    # Composed (NFC), as glossary spellings are: decomposed "Şuşa" would not match its spelling.
    text = nfc(decoded.text)
    fmt = detect_format(name, text)
    if fmt == "html" and len(data) > MAX_HTML_BYTES:
        raise InputError(
            f"an HTML page of {len(data) / 2**20:.0f} MB: pages over "
            f"{MAX_HTML_BYTES // 2**20} MB are not parsed (the HTML parser needs some "
            "30 times the page in memory); save the article's text as .txt"
        )
    cleaned = _clean(fmt, text)
    kept = [b for b in cleaned.blocks if b.kind in (TITLE, BODY)]
    if not kept:
        raise InputError("no article text found: every line looks like boilerplate")
    text_parts: list[str] = []
    offset = 0
    para_spans: list[tuple[int, int]] = []
    para_sentences: list[list[tuple[int, int]]] = []
    for block in kept:
        if text_parts:
            offset += 2
        para_spans.append((offset, offset + len(block.text)))
        spans = [(0, len(block.text))] if block.kind == TITLE else split_sentences(block.text)
        para_sentences.append([(offset + s, offset + e) for s, e in spans])
        text_parts.append(block.text)
        offset += len(block.text)
    text = "\n\n".join(text_parts)
    doc_lang, para_langs, sent_langs = assign_languages(
        detector, [[text[s:e] for s, e in spans] for spans in para_sentences]
    )
    segments: list[ParsedSegment] = []
    para_index = 0
    for block in cleaned.blocks:
        if block.kind == BOILERPLATE:
            segments.append(
                ParsedSegment(
                    BOILERPLATE,
                    block.text,
                    block.line,
                    reason=block.reason,
                    lang=doc_lang.lang,
                    lang_method="document",
                )
            )
            continue
        for n, (s, e) in enumerate(para_sentences[para_index]):
            lang = sent_langs[para_index][n]
            segments.append(
                ParsedSegment(
                    block.kind,
                    text[s:e],
                    block.line,
                    paragraph=para_index,
                    sentence=n,
                    start=s,
                    end=e,
                    lang=lang.lang,
                    lang_prob=lang.prob,
                    lang_method=lang.method,
                )
            )
        para_index += 1
    paragraphs = tuple(
        (s, e, pl.lang, pl.prob, pl.method)
        for (s, e), pl in zip(para_spans, para_langs, strict=True)
    )
    return ParsedDocument(
        text=text,
        title=cleaned.title,
        site=cleaned.site,
        published=cleaned.published,
        site_from=cleaned.site_from,
        published_from=cleaned.published_from,
        format=fmt,
        encoding=decoded.encoding,
        # The cleaner's note (a page unnested, say) is shown and stored with the decoding's.
        encoding_warning="; ".join(w for w in (decoded.warning, cleaned.note) if w) or None,
        encoding_confidence=decoded.confidence,
        raw_chars=len(decoded.text),
        lang=doc_lang.lang,
        lang_prob=doc_lang.prob,
        paragraphs=paragraphs,
        segments=tuple(segments),
    )


def parse_many(
    inputs: Iterable[tuple[str, bytes]], detector: LanguageDetector
) -> list[ParsedDocument | InputError]:
    """`parse_document` for each (name, bytes); an input that cannot be parsed gives its
    InputError instead of raising, so it fails alone."""
    parsed: list[ParsedDocument | InputError] = []
    for name, data in inputs:
        try:
            parsed.append(parse_document(data, name, detector))
        except InputError as exc:
            parsed.append(exc)
    return parsed
