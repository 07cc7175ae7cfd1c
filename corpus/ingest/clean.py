"""Separate an article's title and body from the boilerplate around it.

Plain-text scrapes are cleaned line by line with the rules below; Markdown and HTML pages are
turned into lines first (markup.py) and cleaned by the same rules. Nothing is thrown away: every removed line is returned as a
boilerplate block with the reason it was removed, so a user can audit the cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsalign.corpus.ingest.dates import first_date
from newsalign.corpus.ingest.segment import SENTENCE_FINAL, caseless

TITLE = "title"
BODY = "body"
BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class Block:
    """One paragraph or removed line, in source order."""

    text: str
    kind: str  # title, body or boilerplate
    line: int  # 1-based line in the decoded input (0 where the extractor lost track)
    reason: str | None = None  # why a boilerplate line was removed


@dataclass(frozen=True)
class Cleaned:
    """An article split into title, body paragraphs and removed boilerplate."""

    blocks: tuple[Block, ...]
    published: str | None = None
    site: str | None = None
    published_from: str | None = None  # html (page metadata), page (its header or byline)
    site_from: str | None = None
    note: str | None = None  # what the cleaner had to do that a reader should know

    @property
    def title(self) -> str | None:
        return next((b.text for b in self.blocks if b.kind == TITLE), None)


# A heading after which the rest of a page is lists of other articles, comments or footer.
_END_MARKERS = re.compile(
    r"^(you might also like|you may also like|related( articles| posts| stories| news)?|"
    r"read (more|also)|more (from|on this|stories)|recommended( for you)?|new articles|"
    r"latest (news|articles)|most (read|popular)|useful links|leave a (reply|review|comment)|"
    r"\d* ?comments?|newsletter( signup| sign-up)?|share this( article)?|tags|news line|"
    r"siehe auch|mehr zum thema|weitere artikel|das könnte sie auch interessieren|"
    r"ähnliche artikel|lesen sie auch|kommentare|meistgelesen)\s*:?$",
    re.I,
)
# (reason, pattern, max words): lines matching are boilerplate wherever they stand.
# Every pattern runs in time linear in the line: "A.*B" is written "^(?>.*?A).*B" (the first A
# and one scan for a B after it, not one scan per A), and runs that are followed by something
# they cannot contain are possessive (`*+`, `++`). bench/adversarial.py measures it.
_RULES: list[tuple[str, re.Pattern[str], int]] = [
    ("cookie-notice", re.compile(r"^(?>.*?\bcookies?\b).*\b(use|accept|policy|consent|agree|verwenden|"
                                 r"akzeptieren|datenschutz|einverstanden)|"
                                 r"^(?>.*?\b(use|verwenden)\b).*\bcookies?\b", re.I), 60),
    ("legal", re.compile(r"privacy policy|terms of (use|service)|terms and conditions|"
                         r"by using this site|datenschutzerklärung|nutzungsbedingungen|impressum|"
                         # The label Russian law makes "foreign agents" print above their pages.
                         r"(?<!\w)(?>\w*?распространен)\w*+ иностранным агентом", re.I), 40),
    ("sign-in", re.compile(r"\b(sign (in|up)|log ?in|lost your password|forgot (your )?password|"
                           r"welcome back|create an account|anmelden|registrieren|passwort vergessen)\b", re.I), 8),
    ("social", re.compile(r"\b(follow us|share (on|this)|social (networks|media)|folgen sie uns|"
                          r"teilen auf)\b", re.I), 8),
    ("footer", re.compile(r"©|\(c\) ?\d{4}|all rights reserved|alle rechte vorbehalten|"
                          r"back to top", re.I), 30),
    ("contact", re.compile(r"^(e-?mail|tel|phone|fax|kontakt|contact)\s*:", re.I), 12),
    ("byline", re.compile(r"\b\d++\s++min(ute)?s? read\b|\b\d++\s++views\b|^(by|von)\s++\S.*\b"
                          r"(published|updated|veröffentlicht|aktualisiert)\b|"
                          r"^(by|von|автор:?)\s++[^\W\d_][\w.'’-]*+(\s++[^\W\d_][\w.'’-]*+){0,3}$",
                          re.I), 25),
    ("image-credit", re.compile(r"\b(photo|foto|фото|bild|image)\s*+:\s*+\S", re.I), 25),
    ("breadcrumb", re.compile(r"^(?>.*?\S\s++[>»›]\s++\S).*\s[>»›]\s"), 40),
    ("menu", re.compile(r"^[•·▪►*–-]\s"), 6),
    ("related", re.compile(r"^(read (in|more|also)|lesen sie|mehr dazu)\b", re.I), 8),
    ("newsletter", re.compile(r"\b(subscribe|newsletter|abonnieren)\b", re.I), 20),
    ("audio-player", re.compile(r"\b(listen to (this|the) (article|story)|this audio is (created|generated)|audio (version|player)|artikel anhören)", re.I), 12),
    ("comments", re.compile(r"your email address will not be published|"
                            r"ihre e-mail-adresse wird nicht veröffentlicht", re.I), 20),
]  # fmt: skip
# A hash-like word (all hex, a digit, then a letter with six or more characters after it) is
# checked as a whole word first and then read left to right once: nested `[0-9a-f]*` made
# "1a1a...1a_z" cubic.
_IMAGE = re.compile(
    r"\.(jpe?g|png|gif|webp|svg)\b|\b\d{2,4}x\d{2,4}\b|"
    r"\b(?=[0-9a-f]++\b)[a-f]*+[0-9][0-9]*+[a-f][0-9a-f]{6}|"
    r"\b[a-z0-9]{20,}+\b|\be\d{10,}+\b",
    re.I,
)
_SENTENCE_END = re.compile("[" + SENTENCE_FINAL + r":;][\"“”»«'’)\]]*$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalise_line(line: str) -> str:
    """Collapse runs of spaces (including no-break spaces) and trim."""
    return _SPACES.sub(" ", line).strip()


def is_prose(text: str) -> bool:
    """Looks like running text: a sentence of six or more words, or any long line."""
    words = len(text.split())
    return (words >= 6 and bool(_SENTENCE_END.search(text))) or words >= 15


def rule_reason(text: str) -> str | None:
    """The boilerplate rule a line matches, if any."""
    words = len(text.split())
    for reason, pattern, max_words in _RULES:
        if words <= max_words and pattern.search(text):
            return reason
    if not is_prose(text) and _IMAGE.search(text):
        return "image-caption"
    return None


_WORD = re.compile(r"[^\W\d_]{2,}")


def _is_heading(text: str) -> bool:
    words = len(text.split())
    return (
        3 <= words <= 25
        and not text.endswith((".", ",", ";"))
        and (not text[:1].islower() or caseless(text[0]))  # Georgian has no capitals
        and len(_WORD.findall(text)) >= 2  # not a row of controls ("+ ↺ − 16 px")
    )


def _hard_wrapped(lines: list[str]) -> bool:
    """True when every line but the last was broken only because the next word did not fit."""
    if len(lines) < 2:
        return False
    width = max(len(line) for line in lines)
    if width > 100 or width < 30:
        return False
    return all(
        len(line) + 1 + len(nxt.split(" ", 1)[0]) > width and rule_reason(line) is None
        for line, nxt in zip(lines, lines[1:], strict=False)
    )


def paragraph_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) per paragraph: hard-wrapped blocks joined, other lines kept apart."""
    result: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if _hard_wrapped([t for _, t in block]):
            result.append((block[0][0], " ".join(t for _, t in block)))
        else:
            result.extend(block)
        block.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalise_line(raw)
        if line:
            block.append((number, line))
        elif block:
            flush()
    if block:
        flush()
    return result


def classify_lines(lines: list[tuple[int, str]], title: str | None = None) -> list[Block]:
    """Label paragraphs as title, body or boilerplate.

    Without a known title, the title is the last heading-like line before the first paragraph of
    prose, and everything above it is page header. After an end marker ("You Might Also Like",
    "Siehe auch", "Leave a Reply"...) everything is boilerplate.
    """
    reasons = [rule_reason(text) for _, text in lines]
    first_prose = next(
        (i for i, (_, t) in enumerate(lines) if reasons[i] is None and is_prose(t)), len(lines)
    )
    title_index = None
    if title is None:
        for i in range(first_prose - 1, -1, -1):
            if (
                reasons[i] is None
                and _is_heading(lines[i][1])
                and not _END_MARKERS.match(lines[i][1])
            ):
                title_index = i
                break
        if (
            title_index is None
            and first_prose + 1 < len(lines)
            and _is_heading(lines[first_prose][1].rstrip(".…" if first_prose == 0 else ""))
            and (first_prose == 0 or not lines[first_prose][1].endswith((":", "…", "...")))
            and len(lines[first_prose][1].split()) <= 20
        ):
            # A headline ending in "?", "!" or (first on the page) "..." reads like prose: title.
            title_index = first_prose
    else:
        first_prose = 0
    start = first_prose if title_index is None else title_index
    last_prose = max(
        (i for i, (_, t) in enumerate(lines) if reasons[i] is None and is_prose(t)), default=-1
    )
    blocks: list[Block] = []
    ended = False
    for i, (number, text) in enumerate(lines):
        if i == title_index:
            blocks.append(Block(text, TITLE, number))
            continue
        if i < start:
            blocks.append(Block(text, BOILERPLATE, number, reasons[i] or "page-header"))
            continue
        if not ended and _END_MARKERS.match(text):
            ended = True
        if ended:
            blocks.append(Block(text, BOILERPLATE, number, "related-or-footer"))
        elif reasons[i]:
            blocks.append(Block(text, BOILERPLATE, number, reasons[i]))
        elif i > last_prose and not is_prose(text):
            blocks.append(Block(text, BOILERPLATE, number, "page-footer"))
        elif is_prose(text) or len(text.split()) >= 4:
            blocks.append(Block(text, BODY, number))
        else:
            blocks.append(Block(text, BOILERPLATE, number, "fragment"))
    if not any(b.kind in (TITLE, BODY) for b in blocks):
        # A brief of one short sentence has no "prose" by the rules above; keep every line that
        # no rule flagged and that has a few words, rather than refuse the article.
        blocks = [
            Block(b.text, BODY, b.line)
            if rule_reason(b.text) is None
            and len(b.text.split()) >= 3
            and b.reason != "related-or-footer"
            else b
            for b in blocks
        ]
    return blocks


def header_date(blocks: list[Block]) -> str | None:
    """Publication date from the title area or a byline, never from the article's own claims."""
    for block in blocks:
        if block.kind == BODY:
            break
        if block.kind == BOILERPLATE and block.reason in ("page-header", "byline", "fragment"):
            found = first_date(block.text)
            if found:
                return found
    for block in blocks:
        if block.reason == "byline":
            return first_date(block.text)
    return None


# Scrapes that begin "date 2024-04-17 " (a scraper's header fused with the first line).
_SCRAPE_DATE = re.compile(r"\A\s*date:?\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*", re.I)
# A site's own line starts with the sign; "Quelle: Sputnik © Name" credits a photo.
_COPYRIGHT = re.compile(
    r"^\s*(?:copyright\s*)?©\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?([A-Z][\w.&'’ ]{1,40}?)\s*"
    r"(?:[–—|,-]|\.?\s+(?:all rights|alle rechte|все права)|\.\s|\.?$)",
    re.I,
)
_DOMAIN = re.compile(r"^(?:www\.)?([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.[A-Za-z]{2,6})$")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@([\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,6})")


def site_name(blocks: list[Block]) -> str | None:
    """The page's own name from its furniture: a copyright line, the first step of a
    breadcrumb, a line that is only a domain ("AzVision.az"), else an e-mail domain."""
    furniture = [b.text for b in blocks if b.kind == BOILERPLATE]
    for text in furniture:
        found = _COPYRIGHT.match(text)
        if found and found.group(1).strip():
            return found.group(1).strip()
    for text in furniture:
        if re.search(r"\s[>»›]\s", text):
            first = re.split(r"\s[>»›]\s", text)[0].strip()
            if 2 <= len(first) <= 40 and first[:1].isupper():
                return first
    domain = next((m.group(1) for t in furniture if (m := _DOMAIN.match(t.strip()))), None)
    domain = domain or next((m.group(1).lower() for t in furniture if (m := _EMAIL.search(t))),
                            None)  # fmt: skip
    if domain is None:
        return None
    # The name as the page writes it, when it spells the domain: "Caucasus Watch" for
    # caucasuswatch.de.
    label = domain.lower().removeprefix("www.").split(".")[0]
    for text in furniture:
        words = re.findall(r"[A-Z][\w'’-]*", text)
        for i in range(len(words)):
            for j in range(i + 1, min(i + 4, len(words)) + 1):
                if "".join(words[i:j]).lower() == label and j - i > 1:
                    return " ".join(words[i:j])
    return domain


def clean_text(text: str) -> Cleaned:
    """Clean a plain-text article or raw text scrape."""
    scraped = _SCRAPE_DATE.match(text)
    if scraped:
        text = text[scraped.end() :]
    blocks = classify_lines(paragraph_lines(text))
    site = site_name(blocks)
    published = scraped.group(1) if scraped else header_date(blocks)
    return Cleaned(tuple(blocks), published=published, site=site,
                   published_from="page" if published else None,
                   site_from="page" if site else None)  # fmt: skip
