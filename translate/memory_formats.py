"""Translation memory files: reading TSV (`source<TAB>target`) and TMX 1.4 into units."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from newsalign.translate.errors import TranslateError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Unit:
    """One source sentence and its translation."""

    source_lang: str
    target_lang: str
    source: str
    target: str


def normalize(text: str) -> str:
    """The form memory lookups compare: composed (NFC), whitespace collapsed, ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


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


def _lang(element: ET.Element) -> str:
    value = element.get(_XML_LANG) or element.get("lang") or ""
    return value.split("-")[0].lower()


def parse_tmx(data: bytes, source_lang: str | None, target_lang: str | None) -> list[Unit]:
    """Translation units of a TMX file, for the given languages (default: the header's
    srclang and the other language of each unit)."""
    if b"<!ENTITY" in data[:65536].upper():
        # Entity declarations are how XML bombs and external entities get in; TMX needs none.
        raise TranslateError("not accepted: the TMX declares XML entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise TranslateError(f"line {exc.position[0]}: not valid TMX ({exc})") from None
    except RecursionError:
        raise TranslateError("not valid TMX: nested too deeply") from None
    if root.tag != "tmx":
        raise TranslateError("not a TMX file: the root element is not <tmx>")
    header = root.find("header")
    src = (source_lang or (header.get("srclang", "") if header is not None else "")).lower()
    src = src.split("-")[0]
    if not src or src == "*all*":
        raise TranslateError("the TMX header names no srclang: give --from")
    units = []
    for tu in root.iter("tu"):
        segs = {}
        for tuv in tu.findall("tuv"):
            seg = tuv.find("seg")
            if seg is not None:
                segs[_lang(tuv)] = normalize("".join(seg.itertext()))
        if src not in segs:
            continue
        targets = [target_lang] if target_lang else [lang for lang in segs if lang != src]
        for tgt in targets:
            if segs.get(tgt) and segs[src]:
                units.append(Unit(src, tgt, segs[src], segs[tgt]))
    return units


def read_file(path: Path, fmt: str | None, source: str | None, target: str | None) -> list[Unit]:
    """Parse a TSV or TMX file into units; TSV needs the languages given."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TranslateError(f"cannot read {path}: {exc.strerror}") from None
    if fmt == "tmx":
        return parse_tmx(data, source, target)
    if fmt in ("tsv", "txt"):
        if not source or not target:
            raise TranslateError("a TSV memory needs --from and --to (e.g. --from de --to en)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TranslateError(f"{path.name} is not UTF-8 text") from None
        return parse_tsv(text, source, target)
    raise TranslateError(f"unknown memory format {fmt!r} (use tsv or tmx)")
