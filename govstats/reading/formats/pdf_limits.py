"""Caps on what one PDF may make the reader do, so that a hostile or broken file is refused in
bounded time and memory instead of sinking a scheduled run.

A few hundred bytes of Flate data can inflate to gigabytes, and a content stream of millions of
operators keeps a parser busy for minutes: every Flate stream is inflated here first, in bounded
pieces, and refused when it passes ``MAX_STREAM``; the pages and glyphs of the document are counted
as they are read. Annual reports are a few pages of text and tables: the caps are far above any.
"""

from __future__ import annotations

import re
import zlib

from govstats.reading.report import NotAReport

MAX_STREAM = 64 << 20  # bytes one stream may inflate to (a 600 dpi grey A4 scan is 35 MB)
MAX_PAGES = 2000
MAX_GLYPHS = 1_000_000  # glyphs in the whole document (a 20-page report has some 20,000)
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_DICT_BACK = 1024  # bytes before `stream` searched for the stream's filter
_CHUNK = 1 << 20


def check_streams(data: bytes) -> None:
    """Refuse a file with a Flate stream that inflates past ``MAX_STREAM``."""
    for m in _STREAM.finditer(data):
        start = m.end()
        head = data[max(0, m.start() - _DICT_BACK) : m.start()]
        if not _FLATE.search(head[head.rfind(b"obj") + 1 :] if b"obj" in head else head):
            continue
        if _inflated_size(data, start) > MAX_STREAM:
            raise NotAReport(f"PDF stream inflates past {MAX_STREAM >> 20} MB (the cap on one stream): refused")


def _inflated_size(data: bytes, start: int) -> int:
    """Bytes the zlib stream at ``start`` inflates to, counting no further than ``MAX_STREAM + 1``."""
    d = zlib.decompressobj()
    view = memoryview(data)[start:]
    size = pos = 0
    try:
        while not d.eof and size <= MAX_STREAM:
            if d.unconsumed_tail:
                chunk = d.unconsumed_tail
            elif pos < len(view):
                chunk, pos = view[pos : pos + _CHUNK], pos + _CHUNK
            else:
                break
            size += len(d.decompress(chunk, MAX_STREAM + 1 - size))
    except zlib.error:
        pass  # damaged data: pdfium reads what it can, and no bomb goes off here
    return size


def check_pages(n: int) -> None:
    if n > MAX_PAGES:
        raise NotAReport(f"PDF of {n} pages, over the cap of {MAX_PAGES}: refused")


def check_glyphs(n: int) -> None:
    if n > MAX_GLYPHS:
        raise NotAReport(f"PDF draws over {MAX_GLYPHS:,} glyphs (the cap on one document): refused")
