"""Typed records for what queries return. Rows become frozen dataclasses here, and JSON columns
(contributions, facts, terms, settings…) are decoded here, in one place, so the rest of the code
and the CLI never see a dict keyed by column name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


def text_hash(text: str) -> str:
    """The key of a text in caches and decisions: SHA-256 of its UTF-8 bytes, hex (part of the
    schema: stored vectors and decisions are found by it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_json(value: str | None, default: Any = None) -> Any:
    """A JSON column's value; `default` for NULL or empty."""
    return json.loads(value) if value else default


def from_row(cls: type[T], row: Mapping[str, Any], **extra: Any) -> T:
    """Build record `cls` from a row mapping: columns it does not know are ignored (a later
    migration may add columns), and its JSON columns (`cls.JSON`) are decoded."""
    json_columns = getattr(cls, "JSON", ())
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif f.name in row:
            value = row[f.name]
            values[f.name] = decode_json(value, {}) if f.name in json_columns else value
    return cls(**values)


def as_dict(record: Any) -> Any:
    """A record (or list of records) as plain data for JSON output."""
    if isinstance(record, list | tuple):
        return [as_dict(r) for r in record]
    return dataclasses.asdict(record)


# --- Documents ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One ingested document version."""

    id: int
    doc_key: str
    version: int
    previous_id: int | None
    is_current: int
    path: str | None
    source: str
    title: str | None
    published: str | None
    lang: str | None
    lang_prob: float | None
    format: str
    encoding: str
    encoding_warning: str | None
    sha256: str
    raw_chars: int
    clean_chars: int
    boilerplate_chars: int
    text: str
    run_id: int | None
    ingested_at: str
    url: str | None = None
    encoding_confidence: float | None = None
    outlet_from: str | None = None
    published_from: str | None = None  # manifest, correction, html, page, dateline, url...
    published_inferred: str | None = None  # "year" when the year was inferred
    undated_day: str | None = None  # "--MM-DD" read without a year


@dataclass(frozen=True)
class Paragraph:
    idx: int
    start: int
    end: int
    lang: str | None
    lang_prob: float | None
    lang_method: str | None


@dataclass(frozen=True)
class Segment:
    """A title or body sentence, or a removed boilerplate line (with its reason)."""

    id: int
    idx: int
    kind: str
    reason: str | None
    paragraph_id: int | None
    sentence: int | None
    start: int | None
    end: int | None
    line: int | None
    lang: str | None
    lang_prob: float | None
    lang_method: str | None
    text: str


@dataclass(frozen=True)
class DerivedFrom:
    """What a document copies or rewrites: the original's document and outlet, and the share of
    its own sentences that follow the original's, in order."""

    doc: int
    outlet: str
    share: float


@dataclass(frozen=True)
class DocumentDetail:
    """A document with its paragraphs and segments (boilerplate included)."""

    document: Document
    paragraphs: tuple[Paragraph, ...]
    segments: tuple[Segment, ...]
    cites: tuple[str, ...] = ()  # outlets it names as its source
    derived_from: tuple[DerivedFrom, ...] = ()  # documents of its story it copies or rewrites
    precision: str | None = None  # of its date: day, month or year; None when undated

    def as_json(self) -> dict[str, Any]:
        return {
            **dataclasses.asdict(self.document),
            "published_precision": self.precision,
            "cites": list(self.cites),
            "derived_from": as_dict(self.derived_from),
            "paragraphs": as_dict(self.paragraphs),
            "segments": as_dict(self.segments),
        }


@dataclass(frozen=True)
class DocumentSummary:
    """A current document in one line: outlet, language, how much text and boilerplate."""

    id: int
    source: str
    lang: str | None
    segments: int
    boilerplate: int
    title: str | None


# --- Statistics (`newsalign stats`) -----------------------------------------------------------


@dataclass(frozen=True)
class LanguageCount:
    lang: str
    documents: int


@dataclass(frozen=True)
class SourceCount:
    source: str
    documents: int


@dataclass(frozen=True)
class KindCount:
    kind: str
    segments: int
    chars: int


@dataclass(frozen=True)
class SegmentLanguageCount:
    lang: str
    segments: int


@dataclass(frozen=True)
class BoilerplateCount:
    reason: str | None
    lines: int
    chars: int


@dataclass(frozen=True)
class Characters:
    raw: int
    clean: int


@dataclass(frozen=True)
class CorpusStats:
    """Counts over current documents."""

    documents: int
    older_versions: int
    by_language: tuple[LanguageCount, ...]
    by_source: tuple[SourceCount, ...]
    segments: tuple[KindCount, ...]
    segment_languages: tuple[SegmentLanguageCount, ...]
    boilerplate_removed: tuple[BoilerplateCount, ...]
    characters: Characters


# --- Search and names --------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    """The hits shown (at most the limit asked for) and how many there are in all."""

    hits: tuple[SearchHit, ...]
    total: int


@dataclass(frozen=True)
class SearchHit:
    """A segment matching a search, with its document's title and source."""

    doc_id: int
    segment_id: int
    source: str
    title: str | None
    lang: str | None
    kind: str
    snippet: str
    text: str
    match: str = "text"  # "text": the words themselves; "entity": another name of the same place
    entity: str | None = None  # for entity matches: the entity's label
    names_used: str | None = None  # for entity matches: the name(s) this segment uses


@dataclass(frozen=True)
class NameUse:
    """How often one outlet used one name of an entity, and in which surface forms."""

    entity: str
    label: str
    source: str
    name: str
    usage: str
    canonical: int
    mentions: int
    surfaces: str
    documents: str


# --- Translation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermMiss:
    """A translation whose output lacks a glossary name it was expected to carry."""

    translation: int
    segment: int
    source: str
    original: str
    translation_text: str
    model: str
    missing: tuple[str, ...] = field(default=())


# --- Claims ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameUsed:
    """A glossary name as one sentence wrote it."""

    name: str
    usage: str
    surface: str


@dataclass(frozen=True)
class StorySummary:
    """A story: documents reporting one event, with their outlets, languages and dates."""

    id: int
    label: str
    documents: int
    sources: int
    languages: str
    first_published: str | None
    last_published: str | None
    claims: int  # claims shared by two or more outlets
    outlets: tuple[str, ...] = field(default=())
    undated: int = 0  # documents without a date: the range is that of the dated ones

    @property
    def date_range(self) -> str:
        """ "2024-05-27 to 2024-06-01, 11 of 20 undated": the range never reads as if coverage
        ended with the last dated article."""
        if self.undated >= self.documents or not self.first_published:
            return f"undated ({self.documents} of {self.documents})"
        span = f"{self.first_published} to {self.last_published}"
        return f"{span}, {self.undated} of {self.documents} undated" if self.undated else span


@dataclass(frozen=True)
class StoryDocument:
    """A document of a story, for its timeline."""

    id: int
    source: str
    lang: str | None
    published: str | None
    title: str | None
    url: str | None
    lead: str | None = None  # its first body sentence
    published_from: str | None = None
    published_inferred: str | None = None
    precision: str | None = None  # day, month or year; None when undated
    cites: tuple[str, ...] = ()  # outlets it names as its source
    derived_from: tuple[DerivedFrom, ...] = ()  # documents of the story it copies or rewrites


@dataclass(frozen=True)
class Report:
    """One outlet's sentence of a claim: where and when it was reported."""

    outlet: str
    doc_id: int
    segment_id: int
    published: str | None
    lang: str | None
    text: str
    english: str | None
    cites: tuple[str, ...] = ()  # outlets its article names as its source


@dataclass(frozen=True)
class StoryClaim:
    """A shared claim of a story: its reports in order of publication (undated last), who
    reported it first, and the claim in English if any.

    First is decided on what is known (views/first.py): the earliest date, a month-only date
    never first over a day of that month; an outlet cited by a report counts as reporting it
    by that report's date, and an outlet citing another first reporter is not first itself."""

    id: int
    claim: str
    sources: int
    reports: tuple[Report, ...]
    first: tuple[str, ...]
    first_published: str | None
    cited_by: tuple[str, ...] = ()  # outlets that carry the claim citing a first reporter


@dataclass(frozen=True)
class StoryDetail:
    """A story at a glance: timeline, shared claims, and which outlet carried which claim."""

    story: StorySummary
    documents: tuple[StoryDocument, ...]
    claims: tuple[StoryClaim, ...]
    outlets: tuple[str, ...]
    undated: int = 0  # documents without any date

    def coverage(self) -> list[tuple[int, dict[str, Report]]]:
        """Claims by outlets: per claim, the first report of each outlet that carried it."""
        rows = []
        for claim in self.claims:
            cells: dict[str, Report] = {}
            for report in claim.reports:
                cells.setdefault(report.outlet, report)
            rows.append((claim.id, cells))
        return rows


@dataclass(frozen=True)
class DecidedSentence:
    """A sentence a decision names: its id, outlet and text now (None: no longer in the corpus)."""

    segment_id: int | None
    source: str | None
    text: str | None


@dataclass(frozen=True)
class NamedSentence:
    """A sentence a person names in a correction: its document, whether that is the current
    version of its article, and the same sentence in the current version (None: not there)."""

    segment_id: int
    doc_id: int
    current: bool
    current_id: int | None


@dataclass(frozen=True)
class Decision:
    """A correction: reject, accept, split or merge, as the sentence pairs it fixes."""

    id: int
    action: str
    note: str
    created_at: str
    pairs: tuple[tuple[str, DecidedSentence, DecidedSentence], ...]


@dataclass(frozen=True)
class ReviewLink:
    """A pair below the threshold, kept for a person to judge."""

    a_segment_id: int
    b_segment_id: int
    probability: float
    a_source: str
    b_source: str
    a_text: str
    b_text: str


@dataclass(frozen=True)
class ClaimSummary:
    """A claim (cluster) in one line."""

    id: int
    size: int
    sources: int
    languages: str
    score: float
    outlets: tuple[str, ...]
    claim: str
    label: int | None = None  # the sentence that states the claim (`claim` is its text)


@dataclass(frozen=True)
class ClaimMember:
    """One outlet's sentence of a claim."""

    JSON: ClassVar[tuple[str, ...]] = ("facts",)

    segment_id: int
    is_repeat: int
    repeat_of: int | None
    source: str
    lang: str | None
    original: str
    english: str | None
    english_from: str
    facts: dict[str, Any]
    title: str | None
    doc_id: int
    names: tuple[NameUsed, ...] = field(default=())
    headline: int = 0  # 1: the member is the article's title
    also_in: tuple[int, ...] = field(default=())  # the other claims this sentence asserts


@dataclass(frozen=True)
class Link:
    """A scored pair of sentences: `score` is the probability that they state the same claim;
    `contributions` each feature's share of its log-odds, `evidence` the features' values;
    `margin` how far the pair falls short of each sentence's best match in the other article."""

    JSON: ClassVar[tuple[str, ...]] = ("contributions", "evidence")

    a_segment_id: int
    b_segment_id: int
    score: float
    cosine: float
    margin: float
    contributions: dict[str, float]
    method: str
    evidence: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimDetail:
    """A claim with every outlet's sentence side by side and the links that made it."""

    id: int
    run_id: int | None
    size: int
    sources: int
    languages: str
    score: float
    members: tuple[ClaimMember, ...]
    alignments: tuple[Link, ...]
    label: int | None = None  # the sentence that states the claim


@dataclass(frozen=True)
class ClaimDiff:
    """What differs between the versions of a claim, per field and outlet."""

    id: int
    versions: int
    differences: dict[str, dict[str, list[str]]]
    conflicts: tuple[str, ...] = ()  # the kinds on which versions disagree
    unsure: bool = False  # links too weak on average to call anything a disagreement


# --- What an align run reads and writes -------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    """What alignment needs of a document: outlet, language, date, its title segments."""

    id: int
    source: str
    lang: str | None
    published: str | None
    titles: list[str]


@dataclass(frozen=True)
class AlignmentCounts:
    """What the stored alignment holds."""

    candidates: int  # rows of `claims`
    stories: int
    links: int  # scored pairs kept (inside a claim, or for review)
    accepted: int  # links inside claims
    claims: int  # rows of `clusters`
    shared: int  # claims with two or more sources


@dataclass(frozen=True)
class CandidateRow:
    segment_id: int
    doc_id: int
    source: str
    lang: str | None
    english: str | None
    english_from: str  # original, translation or none
    entities: tuple[int, ...]
    facts: dict[str, Any]
    headline: bool = False  # the article's title


@dataclass(frozen=True)
class StoryRow:
    label: str
    documents: tuple[int, ...]
    sources: int
    languages: str
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True)
class ClusterRow:
    story: int  # index into the stories written with it
    members: tuple[tuple[int, int | None], ...]  # (segment id, segment it repeats or None)
    sources: int
    languages: str
    score: float
    label: int | None = None  # the segment that states the claim (its label)


@dataclass(frozen=True)
class LinkRow:
    a: int
    b: int
    probability: float
    cosine: float
    gap: float
    contributions: dict[str, float]
    evidence: dict[str, float]
    cluster: int | None  # index into the clusters written with it; None: kept for review


# --- Runs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastRun:
    """A finished run of a command: its id, recorded arguments and counts, and when it ended."""

    id: int
    args: dict[str, Any]
    counts: dict[str, Any]
    finished_at: str | None


@dataclass(frozen=True)
class AlignmentRows:
    """The rows one chunk of an align run writes: its candidates, stories, claims (each names
    its story by index into `stories`) and links (each names its claim by index into
    `clusters`, or None: kept for review)."""

    candidates: list[CandidateRow]
    stories: list[StoryRow]
    clusters: list[ClusterRow]
    links: list[LinkRow]


@dataclass(frozen=True)
class WrittenBy:
    """The align run that writes rows: its id, method and threshold (on every link)."""

    run_id: int
    method: str
    threshold: float
