import codecs

import pytest

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.decode import decode_bytes

TEXT = "Grüße aus Bakı: Xankəndi und Bergkarabach."


def test_utf8_with_and_without_bom() -> None:
    assert decode_bytes(TEXT.encode()).text == TEXT
    decoded = decode_bytes(codecs.BOM_UTF8 + TEXT.encode())
    assert decoded.text == TEXT and decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_with_bom(encoding: str) -> None:
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-16-le": codecs.BOM_UTF16_LE}.get(encoding, b"")
    data = bom + TEXT.encode(encoding)
    assert decode_bytes(data).text == TEXT


def test_other_bytes_fall_back_to_cp1252_with_a_warning() -> None:
    decoded = decode_bytes("Grüße – „Zitat“".encode("cp1252"))
    assert decoded.text == "Grüße – „Zitat“"
    assert decoded.encoding == "cp1252" and "cp1252" in decoded.warning


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"caf\xe9 \x81\x8d\x90", "undecodable"),
    ],
)
def test_bad_input_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_bytes(data)
