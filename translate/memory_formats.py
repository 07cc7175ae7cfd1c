"""Translation memory files: reading TSV (`source<TAB>target`) and TMX 1.4 into units.

TMX is parsed as a stream (expat, chunk by chunk, keeping only the current unit), so memory
stays flat whatever the file's size; files over MAX_TMX_MB are refused before parsing. Any
entity declaration refuses the whole file wherever it stands in the prolog (that is how XML
bombs and external entities get in, and TMX needs none). XML 1.0 cannot carry most control
characters, so the compared form of a sentence (`normalize`) leaves them out: `export tmx`
writes that form, and importing it back finds the same sentences.
"""

from __future__ import annotations

import os
import re
import unicodedata
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsalign.glossary.files import read_limited
from newsalign.translate.errors import TranslateError

ENV_MAX_TMX_MB = "NEWSALIGN_MAX_TMX_MB"
MAX_TMX_MB = 100.0
_XML_LANG = "xml:lang"
_CHUNK = 1 << 16
# A language code as BCP 47 begins: 2-3 letters, then subtags (region, script) of letters or
# digits; only the first is kept.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
# What XML 1.0 cannot hold (C0 controls but tab and newlines), with DEL and C1 controls, which
# a terminal would run: no sentence compared or exported keeps them.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Unit:
    """One source sentence and its translation."""

    source_lang: str
    target_lang: str
    source: str
    target: str


def normalize(text: str) -> str:
    """The form memory lookups compare: control characters left out, whitespace collapsed,
    ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", _NOT_TEXT.sub("", text)).split())


def language(code: str, what: str = "language") -> str:
    """The primary language of a BCP 47 code (`de`, `de-AT`, `pt_BR`), lowercase; anything
    else (`de;drop`) is refused."""
    if not _LANGUAGE.fullmatch(code or ""):
        raise TranslateError(f"{what} {code!r} is not a language code (e.g. de, en, pt-BR)")
    return code.replace("_", "-").split("-")[0].lower()


def parse_tsv(text: str, source_lang: str, target_lang: str) -> list[Unit]:
    """`source<TAB>target` per line; a malformed line refuses the file, naming the line."""
    units = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
            raise TranslateError(f"line {number}: expected source<TAB>target")
        source, target = (unicodedata.normalize("NFC", c.strip()) for c in cells)
        units.append(Unit(source_lang, target_lang, source, target))
    return units


class _TmxReader:
    """expat handlers that collect units as the file streams past."""

    def __init__(self, source_lang: str | None, target_lang: str | None) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang
        self.src: str | None = None
        self.units: list[Unit] = []
        self.depth = 0
        self.tuv_lang: str | None = None
        self.segs: dict[str, str] = {}
        self.seg_depth = 0  # > 0 inside <seg> (inline markup nests inside it)
        self.text: list[str] = []
        self.line = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1 and tag != "tmx":
            raise TranslateError("not a TMX file: the root element is not <tmx>")
        if self.seg_depth:
            self.seg_depth += 1
        elif tag == "header" and self.src is None:
            self.src = self._source(attrs.get("srclang", ""))
        elif tag == "tu":
            self.segs = {}
        elif tag == "tuv":
            code = attrs.get(_XML_LANG) or attrs.get("lang") or ""
            self.tuv_lang = language(code, f"line {self.line}: xml:lang") if code else ""
        elif tag == "seg":
            self.seg_depth, self.text = 1, []

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.seg_depth:
            self.seg_depth -= 1
            if not self.seg_depth and self.tuv_lang is not None:
                self.segs[self.tuv_lang] = normalize("".join(self.text))
                self.text = []
        elif tag == "tu":
            self._unit()

    def data(self, text: str) -> None:
        if self.seg_depth:
            self.text.append(text)

    def _source(self, srclang: str) -> str:
        given = self.source_lang or srclang
        if not given or given == "*all*":
            raise TranslateError("the TMX header names no srclang: give --from")
        return language(given, "the source language")

    def _unit(self) -> None:
        if self.src is None:
            self.src = self._source("")
        src, segs = self.src, self.segs
        if not segs.get(src):
            return
        targets = [self.target_lang] if self.target_lang else [g for g in segs if g != src]
        for tgt in targets:
            if segs.get(tgt):
                self.units.append(Unit(src, tgt, segs[src], segs[tgt]))


def _refuse_entities(*_args) -> None:
    # Entities are how XML bombs and external entities get in; TMX needs none.
    raise TranslateError("not accepted: the TMX declares XML entities")


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), _CHUNK):
        yield data[start : start + _CHUNK]


def parse_tmx(
    data: bytes | Iterator[bytes], source_lang: str | None, target_lang: str | None
) -> list[Unit]:
    """Translation units of a TMX file (its bytes, or its chunks as read), for the given
    languages (default: the header's srclang and the other language of each unit)."""
    source_lang = language(source_lang, "--from") if source_lang else None
    target_lang = language(target_lang, "--to") if target_lang else None
    reader = _TmxReader(source_lang, target_lang)
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = lambda *_: 0  # never fetched
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    chunks = _chunks(data) if isinstance(data, bytes) else data
    try:
        for chunk in chunks:
            reader.line = parser.CurrentLineNumber
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise TranslateError(f"line {exc.lineno}: not valid TMX ({exc})") from None
    except RecursionError:
        raise TranslateError("not valid TMX: nested too deeply") from None
    if reader.src is None:  # neither a header nor a unit said it
        reader._source("")
    return reader.units


def max_tmx_bytes() -> int:
    """The largest TMX file read: $NEWSALIGN_MAX_TMX_MB megabytes, else MAX_TMX_MB."""
    raw = os.environ.get(ENV_MAX_TMX_MB)
    try:
        mb = float(raw) if raw else MAX_TMX_MB
    except ValueError:
        raise TranslateError(f"${ENV_MAX_TMX_MB} must be a number of megabytes") from None
    if not mb > 0:
        raise TranslateError(f"${ENV_MAX_TMX_MB} must be a number of megabytes")
    return int(mb * 1024 * 1024)


def _read_tmx(path: Path, source: str | None, target: str | None) -> list[Unit]:
    limit = max_tmx_bytes()
    if path.exists() and not path.is_file():  # a FIFO would block, a device never end
        raise TranslateError(f"cannot read {path}: not a regular file")
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise TranslateError(
                    f"{path.name} is {size / 2**20:.0f} MB, over the limit of "
                    f"{limit / 2**20:g} MB for a TMX file (${ENV_MAX_TMX_MB})"
                )

            def chunks() -> Iterator[bytes]:
                read = 0
                while chunk := fh.read(_CHUNK):
                    read += len(chunk)
                    if read > limit:  # a file that grows, or a device
                        raise TranslateError(
                            f"{path.name} is over the limit of {limit / 2**20:g} MB for a TMX file"
                        )
                    yield chunk

            return parse_tmx(chunks(), source, target)
    except OSError as exc:
        raise TranslateError(f"cannot read {path}: {exc.strerror}") from None


def read_file(path: Path, fmt: str | None, source: str | None, target: str | None) -> list[Unit]:
    """Parse a TSV or TMX file into units; TSV needs the languages given."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "tmx":
        return _read_tmx(path, source, target)
    if fmt in ("tsv", "txt"):
        if not source or not target:
            raise TranslateError("a TSV memory needs --from and --to (e.g. --from de --to en)")
        source, target = language(source, "--from"), language(target, "--to")
        data = read_limited(path, max_tmx_bytes(), what="memory file", error=TranslateError)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TranslateError(f"{path.name} is not UTF-8 text") from None
        return parse_tsv(text, source, target)
    raise TranslateError(f"unknown memory format {fmt!r} (use tsv or tmx)")
