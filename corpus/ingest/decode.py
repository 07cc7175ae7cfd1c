"""Turn raw input bytes into text, refusing binary data and saying which encoding was used."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from newsalign.corpus.errors import InputError

# Control characters that never appear in text files (tab, newline, CR, form feed are fine).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding that produced it, and a warning if it was a guess."""

    text: str
    encoding: str
    warning: str | None = None


def decode_bytes(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; fall back to cp1252 with a warning."""
    if not data.strip():
        raise InputError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data, "utf-8-sig"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(data, "utf-16"), "utf-16")
    if _looks_binary(data):
        raise InputError("binary file (not text)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = _strict(data, "cp1252")
    return Decoded(text, "cp1252", "not valid UTF-8; decoded as cp1252 (Windows-1252)")


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"undecodable bytes at offset {exc.start} (tried {encoding})") from None
    if not text.strip():
        raise InputError("empty file")
    return text


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([c])) for c in _CONTROL)
    return controls > max(8, len(sample) // 100)
