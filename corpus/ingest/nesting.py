"""How deep a page's markup nests, and bounding it before any parser sees it.

libxml2 (under lxml and trafilatura) stops at a few hundred levels and silently drops what is
deeper: an article inside 3,000 nested `<blockquote>`, `<ul><li>`, `<section><p>` or
`<div><span><q>` came out as its title alone. This module reads the tags in one linear pass
(no parser, no recursion), and if they nest deeper than a bound, leaves out the tags below it:
their text stays where it was, and block tags left out become line breaks so paragraphs stay
apart. The cleaner records that it did so.

Tags are read as HTML's tokenizer (and libxml2 2.14's) reads them, not by a pattern: a quoted
attribute value may hold `<` and `>` (`<div title="<div>">` is one tag, `class="a>b"` does not end
it), comments, `<!...>` and `<?...>` hold no tags, script, style and the other raw-text elements
hold none until their end tag, and an attribute quote never closed swallows the rest of the page,
as it does in the parser. Every tag is read once, left to right, so a page built to make a
tokenizer backtrack (`<a<a<a...`, a quote opened in every tag) is still read in linear time.

SVG and MathML: a browser ends an `<svg>` or `<math>` at the first HTML block or phrase tag
inside it (`<p>`, `<div>`, `<b>`...) and shows that text as the page's; libxml2 keeps it inside,
where the extractor drops it with the drawing. The same pass closes them there too, so an article
written inside `<svg><g>...` (a hundred levels deep or one) keeps its text.

The same pass counts the pieces (elements and runs of text) inside <p> elements: trafilatura's
extractor asks libxml2 for `//p//text()`, whose time grows with the square of that number
(measured: 10,000 pieces 0.2 s, 20,000 0.7 s, 40,000 11.5 s, asked up to five times a page), so
the cleaner does not hand it a page with too many (see markup.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Elements that never have content, and those whose end tag may be left out: a new <li> ends
# the open <li>, and so on (enough of HTML's rules to count depth the way a browser would).
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)  # fmt: skip
_SELF_ENDING = frozenset(["li", "p", "dt", "dd", "tr", "td", "th", "option"])
# Start tags that end an open <p> (libxml2's rule, HTML 4's block elements).
_ENDS_P = frozenset(
    ["address", "blockquote", "center", "dir", "div", "dl", "fieldset", "form", "h1", "h2", "h3",
     "h4", "h5", "h6", "hr", "li", "menu", "ol", "p", "pre", "table", "ul"]
)  # fmt: skip
# Elements whose content is text until their own end tag; <plaintext> has no end.
_RAW_TEXT = frozenset(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"])  # fmt: skip
_FOREIGN = frozenset(["svg", "math"])
# Inside SVG or MathML, where HTML comes back (and so a <p> there is a paragraph in it).
_INTEGRATION = frozenset(["foreignobject", "desc", "title", "annotation-xml", "mi", "mo", "mn", "ms", "mtext"])  # fmt: skip
# HTML tags that end SVG and MathML content in a browser (HTML's "breakout" tags).
_BREAKOUT = frozenset(
    ["b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
     "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu",
     "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub",
     "sup", "table", "tt", "u", "ul", "var"]
)  # fmt: skip
_BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p",
     "pre", "section", "table", "td", "th", "tr", "ul"]
)  # fmt: skip

# A tag's name runs to whitespace, "/" or ">"; its attributes to the first ">" outside a quoted
# value. A quote opens a value only after "=": elsewhere it is an ordinary character. Each
# alternative consumes at least one character and none can backtrack into another.
_NAME = re.compile(r"[^\s/>]*+")
_ATTRIBUTES = re.compile(r"""(?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|=\s*+(?!["'])|["'])*+""")
_COMMENT_END = re.compile(r"--!?>")


@dataclass(frozen=True)
class Unnested:
    """A page with its nesting bounded, the depth it had (0 when it was not too deep; the page
    may still have been rewritten, to end SVG and MathML where a browser ends them), and the
    pieces (elements and runs of text) its <p> elements hold."""

    html: str
    depth: int
    paragraph_pieces: int = 0


def _tags(html: str) -> Iterator[tuple[int, int, bool, str, bool]]:
    """(start, end, closing, lower-case name, self-closed) of each tag, left to right, as
    HTML's tokenizer reads them (see the module docstring)."""
    pos = 0
    size = len(html)
    while (start := html.find("<", pos)) >= 0:
        after = html[start + 1 : start + 2]
        closing = after == "/"
        first = html[start + 1 + closing : start + 2 + closing]
        if first.isascii() and first.isalpha():
            name_at = start + 1 + closing
            name_end = _NAME.match(html, name_at).end()
            attrs_end = _ATTRIBUTES.match(html, name_end).end()
            if attrs_end >= size or html[attrs_end] != ">":
                return  # a tag never ended, or a quote never closed: the rest is inside the tag
            name = html[name_at:name_end].lower()
            yield (
                start,
                attrs_end + 1,
                closing,
                name,
                not closing and _self_closed(html[name_end:attrs_end]),
            )
            pos = attrs_end + 1
            if not closing and name in _RAW_TEXT:
                found = re.compile(rf"</{re.escape(name)}[\s/>]", re.I).search(html, pos)
                if found is None:
                    return
                pos = found.start()
            elif not closing and name == "plaintext":
                return
        elif html.startswith("<!--", start):
            if html.startswith(">", start + 4) or html.startswith("->", start + 4):
                pos = html.index(">", start + 4) + 1  # <!--> and <!---> are empty comments
                continue
            found = _COMMENT_END.search(html, start + 4)
            if found is None:
                return
            pos = found.end()
        elif after in ("!", "?", "/"):  # <!DOCTYPE>, <![CDATA[...]>, <?...>, </3>: no tags
            end = html.find(">", start + 2)
            if end < 0:
                return
            pos = end + 1
        else:
            pos = start + 1


def _self_closed(attributes: str) -> bool:
    """Whether a tag ends with "/>" of its own (`<br/>`, `<div title="x"/>`) rather than with a
    value ending in "/" (`<a href=/x/>`)."""
    if not attributes.endswith("/"):
        return False
    before = attributes[:-1]
    if not before or before[-1].isspace() or before[-1] in "\"'":
        return True
    word = before[max(before.rfind(c) for c in " \t\n\r\f") + 1 :]
    return "=" not in word


class _Open:
    """The open elements, as the parser would hold them: void and self-closed tags open
    nothing, an end tag closes up to the element it names (nothing when none is open), a new
    <li>, <p>... closes the open one of its kind, a block start tag closes an open <p>, and an
    HTML breakout tag closes open SVG or MathML. Each entry is (name, kept, foreign)."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool, bool]] = []
        self.count: dict[str, int] = {}
        self.kept = 0

    def _pop(self) -> tuple[str, bool, bool]:
        entry = self.stack.pop()
        self.count[entry[0]] -= 1
        self.kept -= entry[1]
        return entry

    def end(self, name: str) -> list[tuple[str, bool, bool]] | None:
        """The elements `</name>` closes, innermost first; None when no `name` is open."""
        if not self.count.get(name):
            return None
        closed = []
        while self.stack:
            closed.append(self._pop())
            if closed[-1][0] == name:
                break
        return closed

    def start(self, name: str, keep: int) -> tuple[list[tuple[str, bool, bool]], bool, bool]:
        """(the elements a start tag closes first, innermost first; whether it is kept, that
        is opened at most `keep` deep; whether it is foreign content)."""
        closed = []
        top = self.stack[-1] if self.stack else None
        if top and top[2] and name in _BREAKOUT and top[0] not in _INTEGRATION:
            while self.stack and self.stack[-1][2]:
                closed.append(self._pop())
        elif top and (name in _SELF_ENDING and top[0] == name or top[0] == "p" and name in _ENDS_P):
            closed.append(self._pop())
        top = self.stack[-1] if self.stack else None
        foreign = name in _FOREIGN or bool(top and top[2] and top[0] not in _INTEGRATION)
        kept = self.kept < keep
        self.stack.append((name, kept, foreign))
        self.count[name] = self.count.get(name, 0) + 1
        self.kept += kept
        return closed, kept, foreign


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
    """`html` as is when its elements nest at most `limit` deep and no SVG or MathML holds an
    HTML block or phrase tag, else with every tag below depth `keep` left out (text kept; block
    tags become `<br>`) and SVG and MathML ended where a browser ends them."""
    depth, breaks_out, pieces = _measure(html)
    if depth <= limit and not breaks_out:
        return Unnested(html, 0, pieces)
    if depth <= limit:
        keep = depth + 1
    out = _Writer()
    open_ = _Open()
    pos = 0
    for start, end, closing, name, self_closed in _tags(html):
        out.text(html[pos:start])
        pos = end
        tag = html[start:end]
        if closing:
            closed = open_.end(name)
            if closed is None:
                out.tag(tag)  # a stray end tag: the parser's business
            elif closed[-1][1]:
                out.tag(tag)
            else:
                out.left_out(name)
            continue
        if self_closed or name in _VOID:
            out.tag(tag)
            continue
        closed, kept, _ = open_.start(name, keep)
        for shut, was_kept, foreign in closed:
            if foreign and was_kept:  # a browser ends SVG and MathML here: so does the parser
                out.tag(f"</{shut}>")
        if kept:
            out.tag(tag)
        else:
            out.left_out(name)
    out.text(html[pos:])
    return Unnested("".join(out.parts), depth if depth > limit else 0, pieces)


def _measure(html: str) -> tuple[int, bool, int]:
    """How deep the elements nest, whether an HTML tag ends SVG or MathML content, and how many
    pieces (elements, runs of text) <p> elements hold."""
    deepest = pieces = 0
    breaks_out = False
    open_ = _Open()
    pos = 0
    for start, end, closing, name, self_closed in _tags(html):
        if open_.count.get("p"):
            pieces += (start > pos) + (not closing)
        pos = end
        if closing:
            open_.end(name)
        elif not (self_closed or name in _VOID):
            closed, _, _ = open_.start(name, 0)
            breaks_out = breaks_out or any(foreign for _, _, foreign in closed)
            deepest = max(deepest, len(open_.stack))
    return deepest, breaks_out, pieces
