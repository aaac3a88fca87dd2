"""Caps on what one PDF may make the reader do, so that a hostile or broken file is refused in
bounded time and memory instead of sinking a scheduled run.

A few hundred bytes of Flate data can inflate to gigabytes, and a content stream of millions of
operators keeps a parser busy for minutes: every Flate stream is inflated here first, in bounded
pieces, and refused when it passes ``MAX_STREAM``; the pages and glyphs of the document are counted
as they are read. Annual reports are a few pages of text and tables: the caps are far above any.
"""

from __future__ import annotations

import base64
import re
import zlib

from govstats.reading.report import NotAReport

MAX_STREAM = 64 << 20  # bytes one stream may inflate to (a 600 dpi grey A4 scan is 35 MB)
MAX_TOTAL = 1 << 30  # bytes all the Flate streams of a file may inflate to together
MAX_PAGES = 2000
MAX_GLYPHS = 1_000_000  # glyphs in the whole document (a 20-page report has some 20,000)
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_FLATE = {b"FlateDecode", b"Fl"}
_TEXT_CODES = {b"ASCII85Decode": "a85", b"A85": "a85", b"ASCIIHexDecode": "hex", b"AHx": "hex"}
_DICT_BACK = 1024  # bytes before `stream` searched for the stream's filter
_CHUNK = 1 << 20


def check_streams(data: bytes) -> None:
    """Refuse a file with a Flate stream that inflates past ``MAX_STREAM``, or whose Flate streams
    together pass ``MAX_TOTAL``. A stream first wrapped in ASCII85 or hex text is unwrapped to be
    measured; one wrapped in anything else before Flate cannot be measured and is refused."""
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_BACK) : m.start()]
        head = head[head.rfind(b"obj") + 1 :] if b"obj" in head else head
        found = _FILTER.search(head)
        names = re.findall(rb"/([A-Za-z0-9]+)", found.group(1)) if found else []
        if not _FLATE & set(names):
            continue
        before = names[: next(i for i, n in enumerate(names) if n in _FLATE)]
        if any(n not in _TEXT_CODES for n in before):
            raise NotAReport(f"PDF stream filtered by {b'/'.join(before).decode(errors='replace')} before Flate: "
                             f"its size cannot be checked: refused")
        body = _unwrapped(data, m.end(), [_TEXT_CODES[n] for n in before])
        size = _inflated_size(body, MAX_STREAM)
        if size > MAX_STREAM:
            raise NotAReport(f"PDF stream inflates past {MAX_STREAM >> 20} MB (the cap on one stream): refused")
        total += size
        if total > MAX_TOTAL:
            raise NotAReport(f"PDF streams inflate past {MAX_TOTAL >> 20} MB together (the cap on one file): refused")


def _unwrapped(data: bytes, start: int, codes: list[str]) -> bytes | memoryview:
    """The stream's bytes from ``start``, its ASCII85 or hex text layers decoded (they only shrink it)."""
    if not codes:
        return memoryview(data)[start:]
    end = data.find(b"endstream", start)
    body = data[start : end if end >= 0 else len(data)]
    for code in codes:
        try:
            if code == "a85":
                body = base64.a85decode(body.strip().removeprefix(b"<~"), adobe=False, ignorechars=b" \t\r\n~>")
            else:
                body = bytes.fromhex(re.sub(rb"\s", b"", body.split(b">", 1)[0]).decode("ascii", "replace"))
        except ValueError:
            return b""  # damaged text: pdfium cannot inflate it either
    return body


def _inflated_size(data: bytes | memoryview, cap: int) -> int:
    """Bytes the zlib stream ``data`` inflates to, counting no further than ``cap + 1``."""
    d = zlib.decompressobj()
    view = memoryview(data)
    size = pos = 0
    try:
        while not d.eof and size <= cap:
            if d.unconsumed_tail:
                chunk = d.unconsumed_tail
            elif pos < len(view):
                chunk, pos = view[pos : pos + _CHUNK], pos + _CHUNK
            else:
                break
            size += len(d.decompress(chunk, cap + 1 - size))
    except zlib.error:
        pass  # damaged data: pdfium reads what it can, and no bomb goes off here
    return size


def check_pages(n: int) -> None:
    if n > MAX_PAGES:
        raise NotAReport(f"PDF of {n} pages, over the cap of {MAX_PAGES}: refused")


def check_glyphs(n: int) -> None:
    if n > MAX_GLYPHS:
        raise NotAReport(f"PDF draws over {MAX_GLYPHS:,} glyphs (the cap on one document): refused")
