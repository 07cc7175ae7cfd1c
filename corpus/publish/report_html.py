"""The story report as one self-contained HTML file: styles inline, no requests, so it opens
from disk, mails as an attachment, and prints. One inline script, report_filter.js, filters the
page by outlet, language and date; a Content-Security-Policy lets that script (by its hash) and
the page's style run and nothing else, so no text quoted from an article can ever run or fetch.

Each story opens with a summary (the claims most outlets carried, who reported first, where
versions disagree, the naming stance), then its timeline, coverage and claims.

Every sentence of a claim has an anchor (`#s-<sentence id>`): the coverage matrix links to it,
and the ids are the ones `newsalign claims ...` takes, so a reader can act on what they see.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from html import escape
from importlib import resources

from newsalign.corpus.align.differences import LABELS, Difference, Mark, shown
from newsalign.corpus.plural import plural
from newsalign.corpus.publish.report import ClaimView, ReportData, StoryView, gather
from newsalign.corpus.views.citations import citing
from newsalign.corpus.views.documents import date_source
from newsalign.glossary.safetext import neutral

SHORT = 110  # characters of a claim shown in the matrix
# A claim's review page on `newsalign serve --review` at its default address: the report is a
# file, so the link works while that server runs on this machine.
REVIEW_URL = "http://127.0.0.1:8001/-/review/claim/{claim}"


def web_url(url: str) -> bool:
    """Whether `url` may become a link: http(s) only, and nothing a browser would strip or
    reinterpret (whitespace, control characters) before the scheme is read."""
    from urllib.parse import urlsplit

    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def build(db, story_ids: list[int] | None = None, min_sources: int = 2) -> tuple[str, ReportData]:
    """The report of `story_ids` (default: every story of two or more documents) as HTML."""
    data = gather(db, story_ids, min_sources)
    return render(data), data


def render(data: ReportData) -> str:
    here = resources.files("newsalign.corpus.publish")
    css = here.joinpath("report.css").read_text("utf-8")
    script = here.joinpath("report_filter.js").read_text("utf-8")
    policy = (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(script)}'; "
        "img-src 'none'; form-action 'none'; base-uri 'none'"
    )
    title = (
        f"Story {data.stories[0].detail.story.id}: {data.stories[0].detail.story.label}"
        if len(data.stories) == 1
        else "Stories"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        f"<title>newsalign report: {escape(_cut(title, 80))}</title>",
        f"<style>{css}</style></head><body>",
        _header(data),
        _filters(data),
        *(_story(s, data) for s in data.stories),
        _others(data),
        f"<footer>Made by newsalign from {escape(data.database)} on {escape(data.generated)}. "
        "Sentence numbers [n] and claim numbers C n are the ids the command line takes "
        "(<code>newsalign claims show</code>, <code>claims reject</code>, ...). The links "
        '"review this claim" open the review page of <code>newsalign serve --review</code> '
        "on its default port (8001), when it runs on this machine."
        + (f" Alignment method: {escape(data.method)}." if data.method else "")
        + "</footer>",
        f"<script>{script}</script>",
        "</body></html>",
    ]
    return neutral("\n".join(parts))  # no terminal escapes (`-o -`), bidi overrides marked


def _sha256(text: str) -> str:
    """The CSP source of an inline script or style: its hash."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _filters(data: ReportData) -> str:
    """The filter form report_filter.js drives: outlet, language, dates (no server)."""
    outlets = sorted({d.source for s in data.stories for d in s.detail.documents if d.source})
    langs = sorted({d.lang for s in data.stories for d in s.detail.documents if d.lang})
    if not data.stories:
        return ""

    def options(values: list[str]) -> str:
        return '<option value="">all</option>' + "".join(
            f'<option value="{escape(v)}">{escape(v)}</option>' for v in values
        )

    return (
        '<form id="filters" class="filters noprint"><b>Show only</b> '
        f'<label>outlet <select name="outlet">{options(outlets)}</select></label> '
        f'<label>language <select name="lang">{options(langs)}</select></label> '
        '<label>from <input type="date" name="from"></label> '
        '<label>to <input type="date" name="to"></label> '
        '<button type="reset">show all</button> <span id="filtered" class="muted"></span>'
        "</form>"
    )


def _row_data(outlet: str, lang: str | None, date: str | None) -> str:
    """The attributes report_filter.js filters a row by."""
    return (
        f' data-outlet="{escape(outlet)}" data-lang="{escape(lang or "")}"'
        f' data-date="{escape(date or "")}"'
    )


def _when(stamp: str) -> str:
    """A stored UTC time (2026-12-06T08:37:42+00:00) as people read it: 2026-12-06 08:37 UTC."""
    if stamp.endswith("+00:00") and "T" in stamp:
        return stamp[:16].replace("T", " ") + " UTC"
    return stamp


def _header(data: ReportData) -> str:
    aligned = (
        f"aligned {escape(_when(data.aligned))} (the sentences of a claim are, on average, at "
        f"least {data.threshold:.0%} likely to report the same thing)"
        if data.aligned
        else "not aligned"
    )
    toc = "".join(
        f'<li><a href="#story-{s.detail.story.id}">{escape(_cut(s.detail.story.label, 120))}</a> '
        f'<span class="muted">{plural(s.detail.story.documents, "document")}, '
        f"{plural(s.detail.story.sources, 'outlet')}, {plural(len(s.claims), 'shared claim')}"
        "</span></li>"
        for s in data.stories
    )
    return (
        f"<header><h1>newsalign report</h1>"
        f'<p class="meta">{plural(data.documents, "document")} from '
        f"{plural(data.outlets, 'outlet')}; {aligned}.</p>"
        f"<nav><ol>{toc}</ol></nav>"
        '<p class="legend"><span><mark class="conflict">red</mark>: numbers or dates on which '
        'versions disagree</span><span><mark class="detail">yellow</mark>: '
        'a detail only some versions give</span><span><mark class="name">blue</mark>: a place '
        'name (underlined: only some versions name that place)</span><span><span class="badge first">first</span> earliest '
        "dated report</span></p></header>"
    )


def _story(view: StoryView, data: ReportData) -> str:
    s = view.detail.story
    span = s.date_range
    parts = [
        f'<section class="story" id="story-{s.id}">',
        f"<h2>Story {s.id}: {escape(s.label)}</h2>",
        f'<p class="meta">{plural(s.documents, "document")} from {plural(s.sources, "outlet")}, '
        f"languages {escape(s.languages)}, {escape(span)}. {plural(len(view.claims), 'claim')} "
        "carried by two or "
        "more outlets.</p>",
        _summary(view),
        _conflicts(view),
        _timeline(view),
        _coverage(view),
        _naming(view),
        "<h3>Claims, version by version</h3>",
        *(_claim(c, view, data.threshold) for c in view.claims),
        _review(view, data),
        _decisions(view),
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def _summary(view: StoryView, largest: int = 3) -> str:
    """The story in four lines, before its details: the claims most outlets carried, who
    reported first, where versions disagree, and the names outlets chose for contested places."""
    if not view.claims:
        return ""
    widest = sorted(view.claims, key=lambda c: (-c.claim.sources, c.claim.id))[:largest]
    happened = "; ".join(
        f'<a href="#claim-{c.claim.id}">C{c.claim.id}</a> {_quoted(_cut(c.claim.claim, 110))} '
        f'<span class="muted">({plural(c.claim.sources, "outlet")})</span>'
        for c in widest
    )
    firsts: Counter[str] = Counter(o for c in view.claims for o in c.claim.first)
    earliest: dict[str, str] = {}
    for c in view.claims:
        for outlet in c.claim.first:
            when = c.claim.first_published or ""
            earliest[outlet] = min(earliest.get(outlet, when), when)
    undated = sum(1 for c in view.claims if not c.claim.first)
    first = (
        ", ".join(
            f"<b>{escape(o)}</b> on {plural(n, 'claim')}"
            + (f" (from {escape(earliest[o])})" if earliest.get(o) else "")
            for o, n in sorted(firsts.items(), key=lambda i: (earliest.get(i[0]) or "9", -i[1]))[:4]
        )
        if firsts
        else "no claim has a dated report"
    )
    if undated and firsts:
        first += f"; {plural(undated, 'claim')} without a dated report"
    disputed = [c for c in view.claims if c.disagreements]
    disagree = (
        ", ".join(
            f'<a href="#claim-{c.claim.id}">C{c.claim.id}</a> '
            f"({escape(', '.join(dict.fromkeys(d.kind for d in c.disagreements)))})"
            for c in disputed
        )
        if disputed
        else "nowhere: the versions agree on numbers, dates, durations and place"
    )
    by_place: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    label_of: dict[str, str] = {}
    for use in view.naming:
        by_place[use.entity][(use.name, use.usage)] += 1  # outlets using that name
        label_of[use.entity] = use.label
    stance = "; ".join(
        f"{escape(label_of[key])}: "
        + ", ".join(
            f"{escape(name)}{f' ({escape(usage)})' if usage else ''} in {plural(n, 'outlet')}"
            for (name, usage), n in by_place[key].most_common()
        )
        for key in stance_places(view)
    )
    items = [
        f"<li><b>What happened</b>, the claims most outlets carried: {happened}</li>",
        f"<li><b>First to report</b>: {first}</li>",
        f"<li><b>Where versions disagree</b>: {disagree}</li>",
    ]
    if stance:
        items.append(f"<li><b>Naming stance</b>: {stance}</li>")
    return f'<div class="summary"><h3>Summary</h3><ul>{"".join(items)}</ul></div>'


def _quoted(text: str) -> str:
    """`text` in quotation marks, unless it opens with its own."""
    return escape(text) if text[:1] in "\"“„«‘'" else f"“{escape(text)}”"


def _conflicts(view: StoryView) -> str:
    """The claims whose versions disagree (numbers, dates, durations, place), up front."""
    items = []
    for c in view.claims:
        for d in c.disagreements:
            said = "; ".join(
                f"{escape(who)}: {escape(', '.join(shown(d.kind, x) for x in v))}"
                for who, v in d.values.items()
                if v
            )
            items.append(
                f'<li><a href="#claim-{c.claim.id}">C{c.claim.id}</a> '
                f"{escape(_cut(c.claim.claim, 90))}: <b>{escape(d.kind)}</b>: {said}</li>"
            )
    if not items:
        return (
            '<p class="meta">No claim\'s versions disagree on numbers, dates, durations or place (details some '
            "outlets add are marked in the claims below).</p>"
        )
    return (
        f'<h3>Where versions disagree</h3><p class="meta">Numbers, dates, durations or '
        f"the place of the event that differ between outlets' versions of one claim.</p><ul>{''.join(items)}</ul>"
    )


def _timeline(view: StoryView) -> str:
    carried: dict[int, int] = defaultdict(int)
    for claim in view.claims:
        for doc in {r.doc_id for r in claim.claim.reports}:
            carried[doc] += 1
    rows = []
    for d in view.detail.documents:
        if d.title:
            title = escape(d.title)
        else:
            title = f'<span class="muted">(no title) {escape(_cut(d.lead or "", 100))}</span>'
        if d.url and web_url(d.url):
            title = f'<a href="{escape(d.url)}">{title}</a>'
        elif d.url:  # javascript:, data:, file: ... are shown, never followed
            title += f' <span class="muted">{escape(_cut(d.url, 100))}</span>'
        rows.append(
            f'<tr{_row_data(d.source, d.lang, d.published)}><td class="date">{escape(d.published or "no date")}'
            f'<br><span class="muted">{escape(date_source(d.published, d.published_from, d.published_inferred))}</span></td>'
            f"<td>{escape(citing(d.source, d.cites, d.derived_from))}"
            f'</td><td>{escape(d.lang or "?")}</td><td>{title}</td><td class="num">'
            f'{carried.get(d.id, 0)}</td><td class="num muted">{d.id}</td></tr>'
        )
    undated = view.detail.undated
    dated = len(view.detail.documents) - undated
    return (
        f'<h3>Timeline</h3><p class="meta">{dated} dated, {undated} undated (listed last); '
        "under each date, where it came from.</p>"
        '<table class="timeline"><thead><tr><th>date</th><th>outlet</th>'
        "<th>lang</th><th>title</th><th>shared claims</th><th>doc</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _coverage(view: StoryView) -> str:
    if not view.claims:
        return '<h3>Who reported what</h3><p class="muted">No claim is shared by two outlets.</p>'
    outlets = view.detail.outlets
    short = short_outlets(outlets)
    head = "".join(
        f'<th class="outlet" title="{escape(o)}">{escape(short[o])}</th>' for o in outlets
    )
    rows = []
    for claim in view.claims:
        cells = {}
        for r in claim.claim.reports:
            cells.setdefault(r.outlet, r)
        tds = []
        for outlet in outlets:
            r = cells.get(outlet)
            if r is None:
                tds.append('<td class="cell muted">·</td>')
                continue
            first = outlet in claim.claim.first
            tip = escape(f"{outlet}, {r.published or 'no date'}: {_cut(r.text, 200)}", quote=True)
            tds.append(
                f'<td class="cell{" first" if first else ""}"><a href="#s-{r.segment_id}" '
                f'title="{tip}">●</a></td>'
            )
        rows.append(
            f'<tr data-claim="claim-{claim.claim.id}"><td class="claimtext">'
            f'<a href="#claim-{claim.claim.id}">C{claim.claim.id}'
            f"</a> {escape(_cut(claim.claim.claim, SHORT))}</td>{''.join(tds)}</tr>"
        )
    return (
        '<h3>Who reported what</h3><p class="meta">Each row a claim, each column an outlet; '
        "● opens that outlet's sentence, green marks the first reporter (a month-only date "
        "is never first over a day of that month; an outlet citing the first reporter is "
        "not first).</p>"
        f'<div class="scroll"><table class="coverage"><thead><tr><th>claim</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def short_outlets(outlets: Sequence[str], width: int = 24) -> dict[str, str]:
    """A column header for each outlet: its name without a parenthesis ("az24saat" for
    "az24saat (German edition)") where that names one outlet only, else the name cut at a word
    (never mid-word) to `width` characters; the full name goes in the header's title."""
    bare = {o: o.split(" (", 1)[0].strip() or o for o in outlets}
    taken = Counter(bare.values())
    return {o: _cut_words(bare[o] if taken[bare[o]] == 1 else o, width) for o in outlets}


def _cut_words(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    head = text[: width - 1]
    head = head.rsplit(" ", 1)[0] if " " in head else head
    return head.rstrip(" ,;:(") + "…"


def stance_places(view: StoryView) -> list[str]:
    """The places whose names in this story stand for who uses them: two or more of the names
    used carry different usage labels ("Armenian", "Azerbaijani official"). Two spellings of
    one register ("Russia" and "Russian Federation", one of them unlabelled) say nothing of
    an outlet's stance."""
    labels: dict[str, set[str]] = defaultdict(set)
    for use in view.naming:
        if use.usage:
            labels[use.entity].add(use.usage)
    return [key for key in view.contested if len(labels[key]) > 1]


def _naming(view: StoryView) -> str:
    if not view.naming:
        return ""
    by_entity: dict[str, list] = defaultdict(list)
    for use in view.naming:
        by_entity[use.entity].append(use)
    rows = []
    places = stance_places(view)
    for key in places:
        uses = by_entity[key]
        by_outlet: dict[str, list[str]] = defaultdict(list)
        for u in uses:
            usage = f"({escape(u.usage)}) " if u.usage else ""
            by_outlet[u.source].append(
                f'<b>{escape(u.name)}</b> <span class="muted">{usage}&times;{u.mentions}</span>'
            )
        cells = "".join(
            f"<tr><td>{escape(o)}</td><td>{', '.join(names)}</td></tr>"
            for o, names in sorted(by_outlet.items())
        )
        rows.append(
            f"<h4>{escape(uses[0].label)}</h4><table><thead><tr><th>outlet</th>"
            f"<th>names used (usage, mentions)</th></tr></thead><tbody>{cells}</tbody></table>"
        )
    intro = (
        '<p class="meta">Places this story\'s outlets call by different names; which name an '
        "outlet chooses is itself a signal.</p>"
        if places
        else '<p class="meta">No place is called by names of different usage (who uses '
        "them) in this story.</p>"
    )
    return "<h3>Naming stance</h3>" + intro + "".join(rows)


def _claim(claim: ClaimView, view: StoryView, threshold: float | None = None) -> str:
    c = claim.claim
    first = (
        f'<span class="badge first">first</span>{escape(", ".join(c.first))} '
        f"({escape(c.first_published or '')})"
        if c.first
        else "no dated report"
    )
    if c.cited_by:
        first += f", cited by {escape(', '.join(c.cited_by))}"
    odd = {(d.kind, v): d.disagree for d in claim.differences for v in d.odd}
    contested = {u.label for u in view.naming if u.entity in view.contested}
    translated = any(v.report.english and v.report.english != v.report.text for v in claim.versions)
    rows = []
    for v in claim.versions:
        r = v.report
        if not translated:
            english = ""
        elif r.english and r.english != r.text:
            english = f"<td>{escape(r.english)}</td>"
        else:
            why = "(original is English)" if r.english else "(no translation)"
            english = f'<td><span class="muted">{why}</span></td>'
        first_here = r.outlet in c.first and r.published == c.first_published
        badge = '<span class="badge first">first</span>' if first_here else ""
        sure = claim.support.get(r.segment_id)
        weak = sure is not None and threshold is not None and sure < threshold
        doubt = (
            ""
            if sure is None
            else (
                f'<br><span class="{"badge weak" if weak else "muted"}" title="average probability '
                f"to the other outlets' sentences of this claim\">p {sure:.2f}{' weak' if weak else ''}"
                "</span>"
                + (
                    f'<br><code class="noprint">newsalign claims split {c.id} {r.segment_id}</code>'
                    if weak
                    else ""
                )
            )
        )
        rows.append(
            f'<tr id="s-{r.segment_id}"{_row_data(r.outlet, r.lang, r.published)}>'
            f'<td class="date">{escape(r.published or "no date")}</td>'
            f'<td>{badge}{escape(citing(r.outlet, r.cites))} <span class="muted">({escape(r.lang or "?")}) '
            f'[{r.segment_id}]</span>{doubt}</td><td class="original" lang="{escape(r.lang or "")}">'
            f"{_highlight(r.text, v.marks, odd, contested)}</td>{english}</tr>"
        )
    unsure = (
        " (unsure: its sentences may be different claims, so no difference is called a "
        "disagreement but where it happened, between versions linked surely)"
        if claim.unsure
        else ""
    )
    return (
        f'<div class="claim" id="claim-{c.id}"><h4>C{c.id}. {escape(c.claim)}</h4>'
        f'<p class="meta">{plural(c.sources, "outlet")}; {first}; mean link probability '
        f'{claim.score:.2f}{unsure}<span class="noprint">; <a href="{REVIEW_URL.format(claim=c.id)}">'
        f"review this claim</a> (while <code>newsalign serve --review</code> runs) or "
        f"<code>newsalign review --story {view.detail.story.id}</code></span></p>"
        f"{_differences(claim.differences)}"
        "<table><thead><tr><th>date</th><th>outlet</th><th>original</th>"
        f"{'<th>English</th>' if translated else ''}</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _differences(differences: tuple[Difference, ...]) -> str:
    if not differences:
        return (
            '<p class="diffs muted">The versions agree on numbers, dates, names and speakers.</p>'
        )
    items = []
    for d in differences:
        badge = (
            '<span class="badge disagree">disagree</span>'
            if d.disagree
            else '<span class="badge naming">naming</span>'
            if d.kind == "naming"
            else '<span class="badge details">details</span>'
        )
        if d.kind == "naming":  # "Khankendi / Stepanakert: Stepanakert" -> the place once
            place = next(iter(d.odd)).partition(": ")[0]
            said = f"{escape(place)}: " + "; ".join(
                f"{escape(who)}: {escape(', '.join(x.partition(': ')[2] for x in v))}"
                for who, v in d.values.items()
                if v
            )
        else:
            said = "; ".join(
                f"{escape(who)}: {escape(', '.join(shown(d.kind, x) for x in v))}"
                for who, v in d.values.items()
                if v
            )
        silent = sum(not v for v in d.values.values())
        rest = f' <span class="muted">({silent} silent)</span>' if silent else ""
        items.append(f"<li>{badge}<b>{escape(LABELS[d.kind])}</b>: {said}{rest}</li>")
    return f'<ul class="diffs">{"".join(items)}</ul>'


def _highlight(text: str, marks: tuple[Mark, ...], odd: dict, contested: set[str]) -> str:
    """The sentence with its differing facts and its names marked; overlapping marks keep the
    most telling one (a disagreement over a detail over a name)."""
    chosen: list[tuple[int, int, str, str]] = []
    rank = {"conflict": 0, "detail": 1, "name": 2, "name odd": 2}
    candidates = []
    odd_places = {
        (m.start, m.end) for m in marks if m.kind == "places" and ("places", m.value) in odd
    }
    for m in marks:
        state = odd.get((m.kind, m.value))
        if m.kind == "naming":
            # A place only some versions name is underlined, not filled: places are many.
            cls = "name odd" if (m.start, m.end) in odd_places else "name"
        elif state is None or m.kind == "places":
            continue
        else:
            cls = "conflict" if state else "detail"
        label = m.note if m.kind in ("naming", "places") else LABELS[m.kind]
        candidates.append((rank[cls], m.start, m.end, cls, label, m))
    for _, start, end, cls, label, m in sorted(candidates, key=lambda c: (c[0], c[1])):
        if any(start < e and s < end for s, e, _, _ in chosen):
            continue
        place = m.value.split(": ")[0]
        tag = (
            f'<sup class="usage">{escape(m.note)}</sup>'
            if m.kind in ("naming", "places") and m.note and place in contested
            else ""
        )
        chosen.append(
            (start, end, f'<mark class="{cls}" title="{escape(label, quote=True)}">', tag)
        )
    out, at = [], 0
    for start, end, opening, tag in sorted(chosen):
        out += [escape(text[at:start]), opening, escape(text[start:end]), "</mark>", tag]
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def _review(view: StoryView, data: ReportData) -> str:
    if not view.review:
        return ""
    items = "".join(
        f"<li><b>p {link.probability:.2f}</b> [{link.a_segment_id}] {escape(link.a_source)}: "
        f"{escape(_cut(link.a_text, 160))}<br>[{link.b_segment_id}] {escape(link.b_source)}: "
        f'{escape(_cut(link.b_text, 160))}<br><span class="noprint muted">same claim? '
        f"<code>newsalign claims accept {link.a_segment_id} {link.b_segment_id}</code></span></li>"
        for link in view.review
    )
    return (
        f'<h3>Links for review</h3><p class="meta">Sentence pairs the model finds possibly '
        "the same claim that are not in one claim: their own probability is below the "
        f"threshold ({data.threshold}), or the rest of a claim disagrees with one of them on "
        'average, or a decision keeps them apart. <code class="noprint">newsalign review '
        f"--story {view.detail.story.id}</code> asks the most useful ones first.</p>"
        f'<ol class="review">{items}</ol>'
    )


def _decisions(view: StoryView) -> str:
    if not view.decisions:
        return ""
    items = []
    for d in view.decisions:
        pairs = "".join(
            f"<li>{_decided(a)}<br><b>{'is the same claim as' if link == 'must' else 'is not the same claim as'}</b> "
            f"{_decided(b)}</li>"
            for link, a, b in d.pairs
        )
        note = f": {escape(d.note)}" if d.note else ""
        items.append(
            f"<li>#{d.id} <b>{escape(d.action)}</b> ({escape(d.created_at[:10])}){note}"
            f"<ul>{pairs}</ul></li>"
        )
    return (
        '<h3>Corrections applied</h3><p class="meta">Made by a person with '
        "<code>newsalign claims reject/accept/split/merge</code> or "
        f'<code>newsalign review</code>.</p><ul class="decisions">{"".join(items)}</ul>'
    )


def _decided(side) -> str:
    """A sentence a correction names: outlet: text [id], or that it is gone."""
    if side.text is None:
        return '<span class="muted">a sentence no longer in the corpus</span>'
    ref = f' <a href="#s-{side.segment_id}">[{side.segment_id}]</a>' if side.segment_id else ""
    return f"{escape(side.source or '?')}: “{escape(_cut(side.text, 200))}”{ref}"


def _others(data: ReportData) -> str:
    if not data.others:
        return ""
    items = "".join(
        f'<li>Story {s.id}: {escape(_cut(s.label, 120))} <span class="muted">'
        f"({s.documents} document{'s' if s.documents != 1 else ''}, "
        f"{', '.join(map(escape, s.outlets))})</span></li>"
        for s in data.others
    )
    return f'<h2>Other stories</h2><p class="meta">Not shown in full.</p><ul>{items}</ul>'


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
