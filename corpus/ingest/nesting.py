"""How deep a page's markup nests, and unnesting it before any parser sees it.

libxml2 (under lxml and trafilatura) stops at a few hundred levels and silently drops what is
deeper: an article inside 3,000 nested `<blockquote>`, `<ul><li>`, `<section><p>` or
`<div><span><q>` came out as its title alone. This module reads the tags in one linear pass
(no parser, no recursion), and if they nest deeper than a bound, leaves out the tags below it:
their text stays where it was, and block tags left out become line breaks so paragraphs stay
apart. The cleaner records that it did so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Elements that never have content, and those whose end tag may be left out: a new <li> ends
# the open <li>, and so on (enough of HTML's rules to count depth the way a browser would).
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)  # fmt: skip
_SELF_ENDING = frozenset(["li", "p", "dt", "dd", "tr", "td", "th", "option"])
_RAW_TEXT = frozenset(("script", "style", "textarea", "title"))
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
# `[^<>]` rather than `[^>]`: a stray "<" ends the tag, so "<a<a<a..." is read in one pass.
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*+)([^<>]*+)>")


@dataclass(frozen=True)
class Unnested:
    """A page with its nesting bounded, and the depth it had (0 when it was left as it was)."""

    html: str
    depth: int


class _Writer:
    """The page's pieces; a run of left-out block tags (with only spaces between) becomes one
    line break rather than thousands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.after_break = False

    def text(self, text: str) -> None:
        self.parts.append(text)
        self.after_break = self.after_break and not text.strip()

    def tag(self, tag: str) -> None:
        self.parts.append(tag)
        self.after_break = False

    def left_out(self, name: str) -> None:
        if name in _BLOCK and not self.after_break:
            self.parts.append("<br>")
            self.after_break = True


def unnest(html: str, limit: int, keep: int) -> Unnested:
    """`html` as is when its elements nest at most `limit` deep, else with every tag below
    depth `keep` left out (text kept; block tags become `<br>`)."""
    depth = _max_depth(html)
    if depth <= limit:
        return Unnested(html, 0)
    out = _Writer()
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    open_count: dict[str, int] = {}
    kept_depth = 0
    pos = 0
    for start, end, closing, name, self_closed in _tags(html):
        out.text(html[pos:start])
        pos = end
        tag = html[start:end]
        if closing:
            if not open_count.get(name):
                out.tag(tag)  # a stray end tag: the parser's business
                continue
            kept = True
            while stack:
                top, kept = stack.pop()
                open_count[top] -= 1
                kept_depth -= kept
                if top == name:
                    break
            if kept:
                out.tag(tag)
            else:
                out.left_out(name)
            continue
        if self_closed or name in _VOID:
            out.tag(tag)
            continue
        if name in _SELF_ENDING and stack and stack[-1][0] == name:
            _, kept = stack.pop()
            open_count[name] -= 1
            kept_depth -= kept
        kept = kept_depth < keep
        stack.append((name, kept))
        open_count[name] = open_count.get(name, 0) + 1
        kept_depth += kept
        if kept:
            out.tag(tag)
        else:
            out.left_out(name)
    out.text(html[pos:])
    return Unnested("".join(out.parts), depth)


def _max_depth(html: str) -> int:
    deepest = 0
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for _, _, closing, name, self_closed in _tags(html):
        if closing:
            if open_count.get(name):
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
        elif not (self_closed or name in _VOID):
            if name in _SELF_ENDING and stack and stack[-1] == name:
                stack.pop()
                open_count[name] -= 1
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            deepest = max(deepest, len(stack))
    return deepest


def _tags(html: str):
    """(start, end, closing, lower-case name, self-closed) of each tag, skipping the content of
    script, style, textarea and title (which may hold "<div>" as text)."""
    pos = 0
    while (m := _TAG.search(html, pos)) is not None:
        name = m.group(2).lower()
        closing = bool(m.group(1))
        yield m.start(), m.end(), closing, name, m.group(3).rstrip().endswith("/")
        pos = m.end()
        if not closing and name in _RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            pos = close.start() if close else len(html)
