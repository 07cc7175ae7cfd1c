"""Typed records of the corpus statistics (`newsalign stats`), apart from records.py so that
each stays readable in one sitting."""

from __future__ import annotations

from dataclasses import dataclass


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
