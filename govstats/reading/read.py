"""Bytes in, a Report out. Format sniffing and dispatch; no other I/O than `read_report`'s open()."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from govstats.reading import checks
from govstats.reading.encoding import is_utf8
from govstats.reading.formats import Rows
from govstats.reading.interpret import build_report
from govstats.reading.report import MAX_SIZE, Finding, NotAReport, Report

Progress = Callable[[int, int], None]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"II*\x00": "tif", b"MM\x00*": "tif"}
OCR_MODES = ("auto", "never", "always")


def sniff(data: bytes, name: str = "") -> str:
    """The document format from the bytes (the name's extension only breaks ties)."""
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    for magic, fmt in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return fmt
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


def rows_for(data: bytes, fmt: str, ocr: str = "auto", progress: Progress | None = None) -> Rows:
    """Dispatch to the reader of ``fmt``; readers are imported lazily to keep startup fast.

    ``ocr`` (PDF and images): "auto" reads PDF pages without a usable text layer by OCR, "always"
    every page, "never" none (a scanned PDF or an image is then refused: needs OCR)."""
    if fmt == "text":
        from govstats.reading.formats.text import text_rows

        return text_rows(data)
    if fmt == "html":
        from govstats.reading.formats.html import html_rows

        return html_rows(data)
    if fmt == "pdf":
        from govstats.reading.formats.pdf import pdf_rows

        return pdf_rows(data, ocr=ocr, progress=progress)
    if fmt in ("png", "jpg", "tif"):
        if ocr == "never":
            raise NotAReport("an image: reading it needs OCR (--ocr auto or always)")
        from govstats.reading.formats.ocr import image_pages, ocr_pages
        from govstats.reading.formats.pdf import page_rows

        return page_rows(ocr_pages(image_pages(data), progress), ocr=True)
    if fmt == "docx":
        from govstats.reading.formats.docx import docx_rows

        return docx_rows(data)
    if fmt in ("doc", "wps"):
        from govstats.reading.formats.docx import legacy_word_rows

        return legacy_word_rows(data, fmt)
    raise NotAReport(f"unknown format {fmt}")


def read_bytes(data: bytes, path: str = "", ocr: str = "auto", progress: Progress | None = None) -> Report:
    """Read one report from its bytes. Raises NotAReport with a one-line reason; a document that
    exhausts the reader (nesting past the recursion limit, memory, a number overflowing) is one too.

    ``ocr``: see ``rows_for``; ``progress(page, pages)`` is called before each page is OCR'd."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}")
    try:
        return _read_bytes(data, path, ocr, progress)
    except (RecursionError, OverflowError, MemoryError) as e:
        detail = " ".join(str(e).split())[:120]
        raise NotAReport(f"cannot be read within the reader's limits: {type(e).__name__}"
                         + (f" ({detail})" if detail else "")) from None


def _read_bytes(data: bytes, path: str, ocr: str, progress: Progress | None) -> Report:
    if not data.strip():
        raise NotAReport("empty file")
    fmt = sniff(data, path)
    rows = rows_for(data, fmt, ocr, progress)
    if fmt in ("text", "html") and not is_utf8(data):
        rows = Rows(rows, getattr(rows, "notes", []))
        rows.notes.append(Finding("encoding_not_utf8", "info", message_zh="文件不是 UTF-8 编码，已按声明或检测的编码读取",
                                  message_en="not UTF-8: decoded with the declared or detected encoding (GBK/GB18030, Big5 …)"))
    by_ocr = any(n.check == "read_by_ocr" for n in getattr(rows, "notes", ()))
    report = _read_ocr(rows) if by_ocr else build_report(rows)
    report.source_path = path
    report.source_format = fmt
    report.sha256 = hashlib.sha256(data).hexdigest()
    return report


def read_bytes_ocr_never(data: bytes, path: str = "") -> Report:
    """``read_bytes`` that never OCRs (a reader for ``ingest``, named so that it crosses processes)."""
    return read_bytes(data, path, ocr="never")


def read_bytes_ocr_always(data: bytes, path: str = "", progress: Progress | None = None) -> Report:
    """``read_bytes`` that OCRs every page of a PDF, even one with a text layer."""
    return read_bytes(data, path, ocr="always", progress=progress)


def reader_for(ocr: str) -> str:
    """The ``module:function`` reader ``ingest`` runs for an ``--ocr`` mode."""
    return {"auto": "govstats.reading.read:read_bytes", "never": "govstats.reading.read:read_bytes_ocr_never",
            "always": "govstats.reading.read:read_bytes_ocr_always"}[ocr]


def _read_ocr(rows: Rows) -> Report:
    """A report read by OCR: cells read as look-alikes or read more than one way take the reading
    the identities settle (``ocr_repair``); every value printed in its cell gets the origin "ocr"
    and the recogniser's confidence, and so does a cell read as empty (then 0); a value no identity
    corroborates gets a warning (in part 二, which has none, every one)."""
    from govstats.reading.ocr_repair import repair

    report, rows = repair(rows)
    lowest = min(rows.confidence.values(), default=None)
    for cell in report.cells.values():
        if cell.state == "number" and cell.origin == "printed":
            cell.origin = "ocr"
            cell.confidence = rows.confidence.get(cell.raw.strip(), lowest)
        elif cell.origin == "blank_zero":  # a cell OCR read as empty may hold a figure it missed
            cell.origin = "ocr"
    report.findings = [f for f in report.findings if f.check != "uncorroborated_value"]
    checks.flag_uncorroborated(report)
    return report


def read_report(path: str | Path, ocr: str = "auto", progress: Progress | None = None, *,
                max_size: int = MAX_SIZE) -> Report:
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
    return read_bytes(data, str(p), ocr, progress)
