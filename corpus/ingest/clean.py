"""Separate an article's title and body from the boilerplate around it.

Plain-text scrapes are cleaned line by line with the rules below; Markdown and HTML pages are
turned into lines first (markup.py) and cleaned by the same rules. Nothing is thrown away: every removed line is returned as a
boilerplate block with the reason it was removed, so a user can audit the cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsalign.corpus.ingest.dates import MONTH_NUMBERS, first_date
from newsalign.corpus.ingest.segment import SENTENCE_FINAL, caseless, split_sentences

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
    ("image-credit", re.compile(r"\b(photo|foto|фото|bild|image)\s*+:\s*+\S|"
                                r"^(image source|photo credit|bildquelle|источник изображения|"
                                r"fuente de la imagen)\b|"
                                r"\b(archive photo|file photo|архивное фото|archivfoto|archivbild|"
                                r"foto de archivo)\.?$", re.I), 25),
    ("breadcrumb", re.compile(r"^(?>.*?\S\s++[>»›]\s++\S).*\s[>»›]\s"), 40),
    ("menu", re.compile(r"^[•·▪►*–-]\s"), 6),
    ("related", re.compile(r"^(read (in|more|also)|lesen sie|mehr dazu|weiterlesen|"
                           r"lee (también|más)|leer más|ver también|más información|"
                           r"lire aussi|voir aussi|en savoir plus|читайте (также|тоже)|"
                           r"смотрите также|см\. также|подробнее|ещё по теме|читайте також|"
                           r"детальніше|ayrıca (bakınız|okuyun)|devamı|ətraflı|həmçinin oxuyun)\b",
                           re.I), 8),
    ("newsletter", re.compile(r"\b(subscribe|newsletter|abonnieren|подписывайтесь|подпишитесь|"
                              r"підписуйтесь|suscríbete|suscríbase|abonnez-vous|abone ol|"
                              r"abunə ol)", re.I), 20),
    # A site asking for money, a browser check, a video player without JavaScript, an advert.
    ("appeal", re.compile(r"\b(support us|become (our|a) (patron|member|supporter)|donate now|"
                          r"unterstützen sie uns|поддержите нас|apóyanos)\b", re.I), 10),
    ("access-check", re.compile(r"please wait while we|checking your browser|bitte warten sie,? "
                                r"während|подождите,? пока|espere mientras", re.I), 15),
    ("video-player", re.compile(r"enable javascript|javascript (aktivieren|einschalten)|"
                                r"aktivieren sie (bitte )?javascript|html5[- ]video|"
                                r"to view this video|um dieses video anzusehen|"
                                r"включите javascript|habilite javascript", re.I), 20),
    ("advert", re.compile(r"^(advertisement|anzeige|werbung|реклама|publicidad|reklam)\s*:?$",
                          re.I), 2),
    ("source-link", re.compile(r"^(source link|quellenlink|enlace de origen|lien source|"
                               r"ссылка на источник|kaynak bağlantısı|mənbə linki)$|"
                               r"^(comments?|kommentare?|comentarios?|комментари\w*|"
                               r"yorum\w*|şərh\w*)\s*\(\d+\)$", re.I), 4),
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


_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_BULLET = re.compile(r"^[•·▪►*–-]\s")


def _dated_byline(text: str) -> bool:
    """A short line giving a date or time and little else ("30 мая 2024, 02:07", "17 April 2024
    Read: 1183", "Anna Protz, Wednesday, 17 April 2024, 13:14"): not a headline."""
    if is_prose(text) or len(text.split()) > 12:
        return False
    letters = [w for w in _WORD.findall(text) if w.lower() not in MONTH_NUMBERS]
    return bool(_TIME.search(text)) or (first_date(text) is not None and len(letters) <= 3)


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())


def _line_reasons(lines: list[tuple[int, str]]) -> list[str | None]:
    """Each line's boilerplate rule, and what only its neighbours tell: a caption repeated
    before its credit line, a list of three or more bulleted headlines (links to other
    articles), a dated byline."""
    reasons = [rule_reason(text) for _, text in lines]
    texts = [t for _, t in lines]
    for i, text in enumerate(texts):
        if reasons[i] is not None:
            continue
        near = texts[max(0, i - 2) : i] + texts[i + 1 : i + 3]
        if any(n != text and n.startswith(text) and rule_reason(n) == "image-credit" for n in near):
            reasons[i] = "image-caption"  # "Wall with bullet holes." before "... Photo: AP"
        elif _dated_byline(text):
            reasons[i] = "byline"
    i = 0
    while i < len(texts):
        j = i
        while j < len(texts) and _BULLET.match(texts[j]) and not _SENTENCE_END.search(texts[j]):
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                reasons[k] = reasons[k] or "link-list"
        i = max(j, i + 1)
    return reasons


# Rules that flag a site's navigation, above any headline (a byline, a caption or a legal
# label may stand between the headline and the text).
_NAVIGATION = {"menu", "sign-in", "social", "appeal", "breadcrumb", "newsletter", "cookie-notice",
               "related", "link-list"}  # fmt: skip


def _headline(
    lines: list[tuple[int, str]], reasons: list[str | None], first_prose: int
) -> int | None:
    """The headline among the lines before the first paragraph of prose: the first of the
    heading-like lines that stand right above it (lines no rule flagged, such as a deck, a
    caption or the headline repeated, may follow it; flagged lines are passed over), so a
    subtitle or a caption under the headline is not taken for it."""
    run: list[int] = []
    for i in range(first_prose - 1, -1, -1):
        if reasons[i] in _NAVIGATION:
            break  # the site's own furniture: the headline is below it
        if reasons[i] is not None:
            continue
        text = lines[i][1]
        if not _is_heading(text) or _END_MARKERS.match(text):
            break
        run.append(i)
    return min(run) if run else None


def classify_lines(lines: list[tuple[int, str]], title: str | None = None) -> list[Block]:
    """Label paragraphs as title, body or boilerplate.

    Without a known title, the title is the first of the heading-like lines right above the
    first paragraph of prose (see `_headline`), and everything above it is page header; the
    headline repeated is boilerplate, a deck under it is kept. After an end marker ("You Might
    Also Like", "Siehe auch", "Leave a Reply"...) everything is boilerplate. The page's last
    line, cut off right after the article's prose ("По его словам, было бы идеально открыть
    это генконсульство в 202"), is kept: a page saved or scraped to a size limit ends so.
    """
    reasons = _line_reasons(lines)
    first_prose = next(
        (i for i, (_, t) in enumerate(lines) if reasons[i] is None and is_prose(t)), len(lines)
    )
    title_index = None
    if title is None:
        title_index = _headline(lines, reasons, first_prose)
        lead = lines[first_prose][1] if first_prose < len(lines) else ""
        if (
            title_index is None
            and first_prose + 1 < len(lines)
            and _is_heading(lead.rstrip(".…" if first_prose == 0 else ""))
            and (first_prose == 0 or not lead.endswith((":", "…", "...")))
            and len(lead.split()) <= 20
            and len(split_sentences(lead)) == 1  # two sentences are a lead paragraph
        ):
            # A headline ending in "?", "!" or (first on the page) "..." reads like prose: title.
            title_index = first_prose
    else:
        first_prose = 0
    start = first_prose if title_index is None else title_index
    last_prose = max(
        (i for i, (_, t) in enumerate(lines) if reasons[i] is None and is_prose(t)), default=-1
    )
    headline = lines[title_index][1] if title_index is not None else title
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
        elif headline and i < first_prose and _same_words(text, headline):
            blocks.append(Block(text, BOILERPLATE, number, "repeated-title"))
        elif i > last_prose and _cut_off(lines, i, last_prose):
            blocks.append(Block(text, BODY, number))
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


def _cut_off(lines: list[tuple[int, str]], i: int, last_prose: int) -> bool:
    """The page's last line, right after the last paragraph of prose, begun as a sentence and
    cut off: "In diesem Zu", "Last month, Yerevan returned to Az"."""
    text = lines[i][1]
    words = text.split()
    return (
        i == len(lines) - 1
        and i == last_prose + 1
        and len(words) >= 2
        and any(w[:1].islower() for w in words)  # running text, not "Tags: Armenia, Baku"
        and ":" not in " ".join(words[:3])
        and not _END_MARKERS.match(text)
    )


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
    domain = domain or next(
        (m.group(1).lower() for t in furniture if (m := _EMAIL.search(t))), None
    )
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
    return Cleaned(
        tuple(blocks),
        published=published,
        site=site,
        published_from="page" if published else None,
        site_from="page" if site else None,
    )
