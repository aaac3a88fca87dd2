"""Decoding report bytes: UTF-8 (with or without BOM) fast, else detected by charset-normalizer
(imported only then: it costs a third of `govstats parse`'s start-up)."""

from __future__ import annotations

import codecs

from govstats.reading.report import NotAReport

# Encodings Chinese government sites publish in; detection is restricted to them so that a GBK
# page is not taken for, say, a Cyrillic code page.
CANDIDATES = ["gb18030", "big5", "utf_16"]


def is_utf8(data: bytes) -> bool:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM: the encodings that need no guessing."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, declared: str | None = None) -> str:
    """Text of ``data``; ``declared`` is a charset the document names (HTML meta), tried first."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.lower().replace("-", "") == "utf8":
        # a UTF-8 page with a few damaged bytes: keep it UTF-8 rather than let detection guess
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= max(1, len(text) // 100):
            return text
    if declared:
        enc = declared.lower()
        if enc in ("gb2312", "gbk", "gb_2312-80"):
            enc = "gb18030"  # a superset: GB2312-labelled pages often contain GBK characters
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            pass
    if b"\x00" in data[:4096]:
        raise NotAReport("binary file, not a text document")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise NotAReport("binary file or unknown text encoding")
    return str(best)
