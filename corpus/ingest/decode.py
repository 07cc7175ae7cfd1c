"""Turn raw input bytes into text, refusing binary data and saying which encoding was used and
how sure that was."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from newsalign.corpus.errors import InputError

# Control characters that never appear in text files (tab, newline, CR, form feed are fine).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding that produced it, how sure the choice was (1.0 for UTF-8 and
    UTF-16, which are not guesses), and a warning if it was a guess."""

    text: str
    encoding: str
    warning: str | None = None
    confidence: float = 1.0


# Single-byte encodings a news page that is not UTF-8 comes in, first preferred on a tie, each
# with the letters of the languages written in it: text read in the wrong one shows letters no
# language of that encoding uses ("baþkan" for Turkish in cp1252; "Õàíêåíäè" for Russian).
_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў"
_ALPHABETS = {
    "cp1252": "äöüßàâæçéèêëîïôœùûÿáíóúñãõåøìòœšž",
    "cp1251": _CYRILLIC,
    "cp1254": "çğıöşüâîûéäàèİ",
    "koi8_r": _CYRILLIC,
    "koi8_u": _CYRILLIC,
    "cp1250": "ąćęłńóśźżáčďéěíňřšťúůýžőűăâîşţđľĺŕôäöüß",
}
NAMES = {"cp1252": "cp1252 (Western European)", "cp1251": "cp1251 (Cyrillic)",
         "cp1254": "cp1254 (Turkish)", "koi8_r": "KOI8-R (Cyrillic)", "koi8_u": "KOI8-U (Ukrainian)",
         "cp1250": "cp1250 (Central European)"}  # fmt: skip
# Non-letters any of them writes in text: typographic quotes, dashes, the euro and number signs.
_PUNCTUATION = set("„“”‘’‚«»–—…•€№°§©®™·±×÷²³¹½¼¾µ¢£¥´¨\u00a0\u00ad")
_WORDS = re.compile(r"[^\W\d_]+|\S")  # runs of letters; any other character alone
# Below this (fewer than half the non-ASCII characters read as plausible letters or signs), no
# encoding reads the bytes as text: they are refused rather than guessed.
MIN_CONFIDENCE = 0.5


def decode_bytes(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM; otherwise find the single-byte
    encoding that reads the bytes as text, with a warning naming it and how sure it is."""
    if not data.strip():
        raise InputError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data, "utf-8-sig"), "utf-8-sig")
    # The UTF-32 LE mark begins with the UTF-16 LE one (FF FE 00 00): test it first.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Decoded(_strict(data, "utf-32"), "utf-32")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(data, "utf-16"), "utf-16")
    if _looks_binary(data):
        raise InputError("binary file (not text)")
    try:
        return Decoded(_no_nul(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    encoding, text, confidence = _guess(data)
    if confidence < MIN_CONFIDENCE:
        raise InputError(
            "undecodable bytes: not UTF-8, and no encoding tried reads them as text "
            f"({', '.join(NAMES[e] for e in _ALPHABETS)})"
        )
    if not text.strip():
        raise InputError("empty file")
    return Decoded(
        text,
        encoding,
        f"not valid UTF-8; decoded as {NAMES[encoding]}, confidence {confidence:.2f}",
        confidence,
    )


def _guess(data: bytes) -> tuple[str, str, float]:
    """The encoding whose reading is most plausible, that reading, and how plausible: the share of non-ASCII
    characters that read as letters of its languages (or common punctuation and signs), in
    words of one script, and not as a capital after a small letter or in a word of capitals
    (KOI8-R read as cp1251 comes out "пРИВЕТ" and "ЦЕНТРЕ"). On a tie, the reading with fewer
    words in two scripts, then the one charset-normalizer finds least messy, then the order
    above."""
    from charset_normalizer import from_bytes

    # charset-normalizer reports one of several encodings that read the bytes alike: look its
    # measure up by the text read.
    mess = {str(m): m.chaos for m in from_bytes(data, cp_isolation=list(_ALPHABETS))}
    ranked = []
    for order, (encoding, letters) in enumerate(_ALPHABETS.items()):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        words = _WORDS.findall(text)
        mixed = sum(len({_script(ch) for ch in w}) > 1 for w in words)
        score = _plausible(words, letters)
        ranked.append((score, -mixed, -mess.get(text, 1.0), -order, encoding, text))
    if not ranked:
        return "cp1252", "", 0.0
    share, _, _, _, encoding, text = max(ranked)
    return encoding, text, round(share, 3)


def _plausible(words: list[str], letters: str) -> float:
    allowed = set(letters) | set(letters.upper()) | _PUNCTUATION
    good = total = 0
    for word in words:
        odd = [i for i, ch in enumerate(word) if ord(ch) > 127]
        if not odd:
            continue
        total += len(odd)
        # "Cafй", "kmІ": a letter of another script than most of its word is a misreading (but
        # "вiн", with a Latin i, is how some Ukrainian is typed).
        cyrillic = sum(_script(ch) == "cyrillic" for ch in word)
        main = "cyrillic" if 2 * cyrillic > len(word) else "latin"
        shouting = len(word) >= 4 and word.isupper()
        good += sum(
            word[i] in allowed
            and _script(word[i]) == main
            and not (word[i].isupper() and (shouting or (i and word[i - 1].islower())))
            for i in odd
        )
    return good / total if total else 1.0


def _script(ch: str) -> str:
    return "cyrillic" if "\u0400" <= ch <= "\u04ff" else "latin"


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"undecodable bytes at offset {exc.start} (tried {encoding})") from None
    if not text.strip():
        raise InputError("empty file")
    return _no_nul(text)


def _no_nul(text: str) -> str:
    """No text holds NUL characters: they mean binary data, or bytes read in the wrong
    encoding (UTF-32 read as UTF-16 is half NULs)."""
    at = text.find("\x00")
    if at >= 0:
        raise InputError(
            f"NUL characters in the text (character {at}): binary data, or not "
            "the encoding its byte order mark says"
        )
    return text


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([c])) for c in _CONTROL)
    return controls > max(8, len(sample) // 100)
