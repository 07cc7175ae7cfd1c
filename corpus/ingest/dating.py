"""A document's publication date from everything ingest knows of it: the manifest, the page's
metadata or header, an agency dateline opening the text, a day the lead gives of itself ("today,
27 May", "am Mittwoch (17.04.2024)"), the URL. Pure: no database.

Sources are tried most trusted first; a later one only makes the date more precise (a URL's
day inside the page's month). A dateline's day without a year ("МОСКВА, 27 мая.") takes its
year from the document's own date when that is coarser, else it is kept as `undated_day` for
the year to be inferred from the other documents' dates (see store/dating.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsalign.corpus.ingest.dates import (
    Dateline,
    DocDate,
    choose,
    find_dateline,
    lead_date,
    url_date,
)

if TYPE_CHECKING:
    from newsalign.corpus.ingest.parse import ParsedDocument

LEAD_PARAGRAPHS = 4  # a dateline opens one of the first body paragraphs (after title, deck)


@dataclass(frozen=True)
class Dating:
    """What ingest learned of a document's date."""

    date: DocDate | None
    undated_day: str | None = None  # "--MM-DD" waiting for a year
    dateline: Dateline | None = None


def lead_dateline(paragraphs: list[str]) -> Dateline | None:
    """The first dateline among the first body paragraphs."""
    for text in paragraphs[:LEAD_PARAGRAPHS]:
        found = find_dateline(text)
        if found:
            return found
    return None


def date_document(
    paragraphs: list[str],
    page: DocDate | None,
    url: str | None,
    manifest: str | None,
) -> Dating:
    """The date of a document whose body paragraphs are `paragraphs`, from (most trusted
    first) the manifest, the page's own metadata or header, its dateline, its URL."""
    line = lead_dateline(paragraphs)
    full = line.day if line and line.day and not line.day.startswith("--") else None
    lead = next(filter(None, map(lead_date, paragraphs[:LEAD_PARAGRAPHS])), None)
    in_url = url_date(url)
    best = choose(
        [
            DocDate(manifest, "manifest") if manifest else None,
            page,
            DocDate(full, "dateline") if full else None,
            DocDate(lead, "body") if lead and not lead.startswith("--") else None,
            DocDate(in_url, "url") if in_url else None,
        ]
    )
    day, source = (line.day, "dateline") if line and line.day else (lead, "body")
    if day is None or not day.startswith("--"):
        return Dating(best, None, line)
    if best is not None and best.precision != "day":
        candidate = f"{best.value[:4]}{day[1:]}"
        if candidate.startswith(best.value):
            return Dating(DocDate(candidate, source, "year"), None, line)
    if best is None:
        # The year is inferred later from the other documents' dates (store/dating.py); a day
        # read in the body says so ("--05-27/body"), a dateline's is plain.
        return Dating(None, day if source == "dateline" else f"{day}/{source}", line)
    return Dating(best, None, line)


def page_date(doc: ParsedDocument) -> DocDate | None:
    """The date the page gave of itself (metadata, front matter, header or byline)."""
    return DocDate(doc.published, doc.published_from or "page") if doc.published else None


def body_paragraphs(doc: ParsedDocument) -> list[str]:
    """The document's paragraphs after its title, in order."""
    titles = {s.paragraph for s in doc.segments if s.kind == "title"}
    return [doc.text[s:e] for k, (s, e, *_rest) in enumerate(doc.paragraphs) if k not in titles]
