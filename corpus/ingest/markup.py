"""Markdown and HTML pages to cleaned articles: the markup is read (front matter, headings,
links and images; HTML through trafilatura's main-text extractor, deep nesting undone first) and
the lines are then cleaned by clean.py's rules, so every removed line is kept with its reason.

Time stays linear in the page: a page whose paragraphs hold more than PARAGRAPH_PIECES pieces
(elements and runs of text: a megabyte of links or <span>s in one <p>, ten thousand unclosed
<p>s) would cost the extractor time quadratic in them (minutes), so its lines are cleaned by the
text cleaner's rules instead, with its metadata still read, and the document says so; and the
lines the extractor dropped are found by walking both in page order, not by searching every
kept line for each.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace

from newsalign.corpus.ingest.clean import (
    BOILERPLATE,
    TITLE,
    Block,
    Cleaned,
    classify_lines,
    clean_text,
    header_date,
    normalise_line,
    paragraph_lines,
    rule_reason,
)
from newsalign.corpus.ingest.dates import first_date
from newsalign.corpus.ingest.nesting import unnest

_MD_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"^\s*+(#{1,6})\s++(.*)$")
_MD_MARKS = re.compile(r"(\*\*|__|\*|`)")
_MD_LIST = re.compile(r"^\s*([-*+]|\d+\.)\s+")


def _md_brackets(line: str, opener: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each `![text](src)` (opener "![") or `[text](url)` (opener "["),
    left to right as a regex would find them, but linear: a failed "[" makes every "[" up to its
    "]" fail too, so the scan goes on from there rather than one character on."""
    found: list[tuple[int, int, str]] = []
    pos = 0
    while (start := line.find(opener, pos)) >= 0:
        inner = start + len(opener)
        close = line.find("]", inner)
        if close < 0:
            break
        if line[close + 1 : close + 2] != "(" or (opener == "[" and close == inner):
            pos = close
            continue
        end = line.find(")", close + 2)
        if end < 0:
            break
        found.append((start, end + 1, line[inner:close]))
        pos = end + 1
    return found


def _md_replace(line: str, found: list[tuple[int, int, str]], keep_text: bool) -> str:
    parts, pos = [], 0
    for start, end, inner in found:
        parts += [line[pos:start], inner if keep_text else ""]
        pos = end
    return "".join(parts) + line[pos:]


def _md_links(line: str) -> str:
    """Links replaced by their text."""
    return _md_replace(line, _md_brackets(line, "["), keep_text=True)


def clean_markdown(text: str) -> Cleaned:
    """Clean a Markdown article: front matter, the first `#` heading as title, markup removed."""
    meta: dict[str, str] = {}
    front = _MD_FRONT.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        offset = text[: front.end()].count("\n")
        text = "\n" * offset + text[front.end() :]
    title = meta.get("title")
    lines: list[str] = []
    images: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = _md_brackets(line, "![")
        images.extend((number, line[s:e]) for s, e, _ in found)
        line = _md_replace(line, found, keep_text=False)
        heading = _MD_HEADING.match(line)
        if heading:
            # The heading's text without its closing hashes ("## Title ##").
            line = heading.group(2).rstrip().rstrip("#").rstrip()
            if title is None and len(heading.group(1)) == 1:
                title = _MD_MARKS.sub("", _md_links(line)).strip()
                line = ""
        line = _MD_LIST.sub("", line) if not line.lstrip().startswith(("- ", "* ")) else line
        lines.append(_MD_MARKS.sub("", _md_links(line)))
    paragraphs = paragraph_lines("\n".join(lines))
    blocks = classify_lines(paragraphs, title=title)
    if title:
        blocks.insert(0, Block(title, TITLE, 0))
    blocks.extend(Block(src, BOILERPLATE, number, "image") for number, src in images)
    published = meta.get("date") and first_date(meta["date"]) or meta.get("date")
    site = meta.get("source") or meta.get("outlet")
    final = published or header_date(blocks)
    return Cleaned(
        tuple(sorted(blocks, key=lambda b: b.line)),
        published=final,
        site=site,
        published_from=("front matter" if published else "page") if final else None,
        site_from="front matter" if site else None,
    )


_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "br", "tr", "section",
    "article", "header", "footer", "nav", "aside", "blockquote", "figcaption", "dt", "dd", "pre",
)  # fmt: skip


# libxml2 stops parsing HTML at depth 256 unless told otherwise, and whatever is deeper is
# silently lost: pages nested deeper than this are flattened first.
MAX_DEPTH = 200
# Pieces of text and markup the paragraphs of a page may hold for trafilatura's extractor, whose
# time grows with their square (0.2 s for 10,000, asked up to five times); a long article holds
# a few hundred to a few thousand.
PARAGRAPH_PIECES = 6000
# Kept lines on either side of where the page is, searched for a line the extractor dropped.
_NEAR = 8
_WRAPPERS = {"div", "span", "section", "article", "main", "font", "center", "table", "tbody",
             "tr", "td", "b", "i", "em", "strong"}  # fmt: skip


_WRAPPER_NAMES = "|".join(sorted(_WRAPPERS))
_TAG_RUN_OPEN = re.compile(rf"(?:<(?:{_WRAPPER_NAMES})\b[^<>]*>\s*){{100,}}", re.I)
_TAG_RUN_CLOSE = re.compile(rf"(?:</(?:{_WRAPPER_NAMES})\s*>\s*){{100,}}", re.I)


def _parse(html: str):
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        return lxml.html.fromstring(html, parser=parser)
    except (ValueError, etree.ParserError):
        return None


def flatten_deep_html(html: str) -> str:
    """`html` as is, or, if nested deeper than MAX_DEPTH, with the wrapper elements below depth
    MAX_DEPTH * 3/4 unwrapped (their text and children kept), so no parser loses the article.
    Runs of a hundred or more wrapper tags in a row, deeper than even a huge tree parses, go
    first: they carry nothing."""
    import lxml.html

    html = _TAG_RUN_OPEN.sub("<div>", html)
    html = _TAG_RUN_CLOSE.sub("</div>", html)
    tree = _parse(html)
    if tree is None:
        return html
    depth = {tree: 0}
    deep = []
    for element in tree.iter():
        parent = element.getparent()
        level = depth.get(parent, 0) + 1 if parent is not None else 0
        depth[element] = level
        if level > MAX_DEPTH * 3 // 4 and isinstance(element.tag, str) and element.tag in _WRAPPERS:
            deep.append(element)
    if max(depth.values(), default=0) <= MAX_DEPTH:
        return html
    for element in reversed(deep):
        element.drop_tag()
    return lxml.html.tostring(tree, encoding="unicode")


def _all_html_lines(html: str) -> list[str]:
    tree = _parse(html)
    if tree is None:
        return []
    for element in tree.iter("script", "style", "noscript", "template"):
        element.drop_tree()
    # Read, not written into the tree: lxml refuses to set text holding a control character
    # (an ESC the parser itself kept), which made one such page stop the whole ingest.
    blocks = set(_BLOCK_TAGS)
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(tree, False)]
    while stack:
        element, leaving = stack.pop()
        block = isinstance(element.tag, str) and element.tag in blocks
        if leaving:
            parts.append("\n" if block else "")
            parts.append(element.tail or "" if element is not tree else "")
            continue
        if not isinstance(element.tag, str):  # a comment or processing instruction: its tail
            parts.append(element.tail or "")
            continue
        parts.append("\n" if block else "")
        parts.append(element.text or "")
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    lines = [normalise_line(line) for line in "".join(parts).splitlines()]
    return [line for line in lines if line]


def _dropped(lines: list[str], kept: list[str], title: str | None) -> list[str]:
    """The page's lines the extractor did not keep: neither in the title, nor a kept line, nor
    part of a kept line near where the page is (both run in page order: _NEAR kept lines ahead
    of it, then behind), found in time linear in the page."""
    where: dict[str, list[int]] = {}
    for k, text in enumerate(kept):
        where.setdefault(text, []).append(k)
    dropped = []
    at = 0  # the kept line the page has reached; it only moves on
    for line in lines:
        if title and line in title:
            continue
        if line in where:
            places = where[line]
            at = max(at, places[min(bisect.bisect_left(places, at), len(places) - 1)])
            continue
        ahead = range(at, min(at + _NEAR, len(kept)))
        behind = range(at - 1, max(at - _NEAR, 0) - 1, -1)
        near = next((k for k in itertools.chain(ahead, behind) if line in kept[k]), None)
        if near is None:
            dropped.append(line)
        else:
            at = max(at, near)
    return dropped


def _dense(html: str, pieces: int, note: str | None) -> Cleaned:
    """A page too dense for the extractor: its lines cleaned by the text cleaner's rules, its
    metadata (site, date) read as the extractor reads it, and a note saying so."""
    import trafilatura

    said = (
        f"page too dense for the HTML extractor ({pieces:,} pieces of text and markup in its "
        f"paragraphs, over {PARAGRAPH_PIECES:,}): cleaned line by line"
    )
    cleaned = clean_text("\n".join(_all_html_lines(html)))
    meta = trafilatura.extract_metadata(html)
    date, site = (meta.date, meta.sitename) if meta else (None, None)
    return replace(
        cleaned,
        published=date or cleaned.published,
        site=site or cleaned.site,
        published_from="html" if date else cleaned.published_from,
        site_from="html" if site else cleaned.site_from,
        note="; ".join(n for n in (note, said) if n),
    )


def clean_html(html: str) -> Cleaned:
    """Clean a saved web page with trafilatura; lines it dropped are kept as boilerplate."""
    import trafilatura

    unnested = unnest(html, MAX_DEPTH, MAX_DEPTH * 3 // 4)
    note = (
        f"page nested {unnested.depth:,} levels deep: markup below level {MAX_DEPTH * 3 // 4} "
        "was left out, its text kept"
        if unnested.depth
        else None
    )
    # A paragraph of thousands of links or <span>s costs the extractor time quadratic in them.
    html = flatten_deep_html(unnested.html)
    if unnested.paragraph_pieces > PARAGRAPH_PIECES:
        return _dense(html, unnested.paragraph_pieces, note)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    if doc is None or not (doc.text or "").strip():
        # Not a page trafilatura recognises (a fragment, say): treat its text as a text scrape.
        return replace(clean_text("\n".join(_all_html_lines(html))), note=note)
    body_lines = [normalise_line(line) for line in doc.text.splitlines()]
    body_lines = [line for line in body_lines if line]
    title = normalise_line(doc.title or "") or None
    if title and body_lines and body_lines[0] == title:
        body_lines = body_lines[1:]
    blocks = classify_lines([(0, line) for line in body_lines], title=title or "")
    kept = [b.text for b in blocks]
    removed = [
        Block(line, BOILERPLATE, 0, rule_reason(line) or "html-boilerplate")
        for line in _dropped(_all_html_lines(html), kept, title)
    ]
    head = [Block(title, TITLE, 0)] if title else []
    return Cleaned(
        tuple(head + removed + blocks),
        published=doc.date,
        site=doc.sitename,
        published_from="html" if doc.date else None,
        site_from="html" if doc.sitename else None,
        note=note,
    )
