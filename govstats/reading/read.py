"""Bytes in, a Report out. Format sniffing and dispatch; no other I/O than `read_report`'s open()."""

from __future__ import annotations

import hashlib
import stat
from io import BytesIO
from pathlib import Path

from govstats.reading.encoding import is_utf8
from govstats.reading.formats import Rows
from govstats.reading.interpret import build_report
from govstats.reading.report import MAX_SIZE, Finding, NotAReport, Report

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, name: str = "") -> str:
    """The document format from the bytes (the name's extension only breaks ties)."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "wps" if name.lower().endswith(".wps") else "doc"
    if head.startswith(b"PK"):
        import zipfile  # (only for zip files: it is slow to import)

        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):  # damaged directories
            raise NotAReport("damaged zip container (truncated DOCX?)") from None
        if "word/document.xml" in names:
            return "docx"
        raise NotAReport("zip archive that is not a Word document")
    if b"<" not in head:  # (every tag below starts with one)
        return "text"
    low = head.lower()
    if any(tag in low for tag in (b"<html", b"<!doctype html", b"<table", b"<body", b"<div", b"<p>", b"<p ")):
        return "html"
    return "text"


def rows_for(data: bytes, fmt: str) -> Rows:
    """Dispatch to the reader of ``fmt``; readers are imported lazily to keep startup fast."""
    if fmt == "text":
        from govstats.reading.formats.text import text_rows

        return text_rows(data)
    if fmt == "html":
        from govstats.reading.formats.html import html_rows

        return html_rows(data)
    if fmt == "pdf":
        from govstats.reading.formats.pdf import pdf_rows

        return pdf_rows(data)
    if fmt == "docx":
        from govstats.reading.formats.docx import docx_rows

        return docx_rows(data)
    if fmt in ("doc", "wps"):
        from govstats.reading.formats.docx import legacy_word_rows

        return legacy_word_rows(data, fmt)
    raise NotAReport(f"unknown format {fmt}")


def read_bytes(data: bytes, path: str = "") -> Report:
    """Read one report from its bytes. Raises NotAReport with a one-line reason; a document that
    exhausts the reader (nesting past the recursion limit, memory, a number overflowing) is one too."""
    try:
        return _read_bytes(data, path)
    except (RecursionError, OverflowError, MemoryError) as e:
        detail = " ".join(str(e).split())[:120]
        raise NotAReport(f"cannot be read within the reader's limits: {type(e).__name__}" + (f" ({detail})" if detail else "")) from None


def _read_bytes(data: bytes, path: str) -> Report:
    if not data.strip():
        raise NotAReport("empty file")
    fmt = sniff(data, path)
    rows = rows_for(data, fmt)
    if fmt in ("text", "html") and not is_utf8(data):
        rows = Rows(rows, getattr(rows, "notes", []))
        rows.notes.append(Finding("encoding_not_utf8", "info", message_zh="文件不是 UTF-8 编码，已按声明或检测的编码读取",
                                  message_en="not UTF-8: decoded with the declared or detected encoding (GBK/GB18030, Big5 …)"))
    report = build_report(rows)
    report.source_path = path
    report.source_format = fmt
    report.sha256 = hashlib.sha256(data).hexdigest()
    return report


def read_report(path: str | Path, *, max_size: int = MAX_SIZE) -> Report:
    """Read one report file: a regular file of at most ``max_size`` bytes (a named pipe or device
    would block or never end)."""
    p = Path(path)
    try:
        st = p.stat()
        if not stat.S_ISREG(st.st_mode):
            raise NotAReport("not a regular file")
        if st.st_size > max_size:
            raise NotAReport(f"too large: {st.st_size / 2**20:.1f} MiB over the {max_size / 2**20:.0f} MiB cap (--max-size)")
        data = p.read_bytes()
    except OSError as e:
        raise NotAReport(f"cannot open: {e.strerror or e}") from None
    return read_bytes(data, str(p))
