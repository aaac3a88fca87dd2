"""Word reports -> rows of cells: DOCX read from its XML, .doc/.wps converted by LibreOffice.

The body's paragraphs and tables are read in document order from word/document.xml, so that a
table stays between the headings around it. The XML is parsed with plain lxml rather than through
python-docx, whose per-element proxy objects made reading twice as slow (python-docx writes the
test documents). Merged cells follow the HTML reader's rules (`cells`): a
vertically merged label is repeated in every row it covers, a horizontally merged cell's text
is put once.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from lxml import etree

from govstats.reading.formats import Rows
from govstats.reading.formats.cells import MAX_TAGS, clean, is_label, span
from govstats.reading.report import NotAReport

_TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"  # Word's "Strict Open XML" documents
_W = "{" + _TRANSITIONAL.decode() + "}"
_P, _TBL, _TR, _TC, _T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "t"
_TAB, _BR, _CR = _W + "tab", _W + "br", _W + "cr"
_SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_VAL = _W + "val"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = frozenset((_SDT, _SDT_CONTENT, _CUSTOM_XML))
_BREAKS = {_TAB: "\t", _BR: "\n", _CR: "\n"}
_TC_PR, _TR_PR, _GRID_SPAN, _GRID_BEFORE, _V_MERGE = (
    _W + "tcPr",
    _W + "trPr",
    _W + "gridSpan",
    _W + "gridBefore",
    _W + "vMerge",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)

# The largest word/document.xml read: a report's is well under 2 MiB (images are other parts).
MAX_XML = 32 * 2**20

LEGACY_MESSAGE = (
    "Word 97-2003/WPS file: convert it to .docx first (LibreOffice: soffice --headless --convert-to docx FILE)"
)


def docx_rows(data: bytes) -> Rows:
    """Rows of a DOCX report: paragraphs (lines split at breaks, cells at tabs) and table rows."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML:  # checked before inflating: a zip bomb never reaches memory
                raise NotAReport(f"DOCX whose text inflates to {info.file_size / 2**20:.0f} MiB, over the "
                                 f"{MAX_XML // 2**20} MiB limit (a zip bomb?)")
            xml = z.read(info).replace(_STRICT, _TRANSITIONAL)  # zipfile never inflates past file_size
        if xml.count(b"<") > MAX_TAGS:
            raise NotAReport(f"DOCX of over {MAX_TAGS:,} tags: no report has that many")
        body = etree.fromstring(xml, _PARSER).find(_W + "body")
    except NotAReport:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, etree.XMLSyntaxError, OSError, EOFError,
            zlib.error, NotImplementedError, RuntimeError, ValueError) as e:
        # RuntimeError: an encrypted part; NotImplementedError: a compression zipfile cannot inflate;
        # ValueError: a damaged directory (negative offsets, undecodable names)
        raise NotAReport(f"damaged DOCX: {_one_line(e)}") from None
    if body is None:
        raise NotAReport("damaged DOCX: word/document.xml has no body")
    for fallback in list(body.iter(_FALLBACK)):  # the same content twice (mc:Choice / mc:Fallback)
        fallback.getparent().remove(fallback)
    rows = Rows(stripped=True)  # every cell is clean()ed
    _block(body, rows)
    if not rows:
        raise NotAReport("DOCX without text")
    return rows


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())[:200] or type(e).__name__


def legacy_word_rows(data: bytes, fmt: str) -> Rows:
    """A .doc or .wps file, converted to DOCX by LibreOffice when it is installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise NotAReport(LEGACY_MESSAGE)
    with tempfile.TemporaryDirectory(prefix="govstats-") as tmp:
        src = Path(tmp) / f"report.{fmt}"
        src.write_bytes(data)
        try:
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "docx",
                 "--outdir", tmp, str(src)],
                capture_output=True, timeout=180, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as e:
            raise NotAReport(f"LibreOffice could not convert the {fmt} file: {e}") from None
        out = src.with_suffix(".docx")
        if not out.exists():
            raise NotAReport(f"LibreOffice could not convert the {fmt} file (damaged or not a Word document)")
        return docx_rows(out.read_bytes())


def _block(el: etree._Element, rows: Rows) -> None:
    """Paragraphs and tables directly in ``el`` (the body, a cell, a content control)."""
    for child in el:
        tag = child.tag
        if tag == _P:
            for line in _text(child).split("\n"):
                cells = [c for c in (clean(part) for part in line.split("\t")) if c]
                if cells:
                    rows.append(cells)
        elif tag == _TBL:
            _table(child, rows)
        elif tag in _WRAPPERS:
            _block(child, rows)


def _text(el: etree._Element) -> str:
    """The text of ``el`` with tabs and line breaks kept (as \\t and \\n)."""
    return "".join(n.text or "" if n.tag == _T else _BREAKS[n.tag] for n in el.iter(_T, _TAB, _BR, _CR))


def _table(tbl: etree._Element, rows: Rows) -> None:
    nested = tbl.find(f".//{_TBL}") is not None
    above: dict[int, str] = {}  # grid column -> text of the vertically merged cell begun above
    for tr in _children(tbl, _TR):
        cells = _children(tr, _TC)
        if nested and any(c.find(f".//{_TBL}") is not None for c in cells):
            for c in cells:  # a layout row: its cells hold paragraphs and tables of their own
                _block(c, rows)
            continue
        pr = tr.find(_TR_PR)
        before = None if pr is None else pr.find(_GRID_BEFORE)
        skip = (before.get(_VAL) or "") if before is not None else ""
        row = [""] * span(skip) if skip.isdecimal() and len(skip) < 100 and int(skip) > 0 else []  # (100: junk)
        for tc in cells:
            col = len(row)
            text = clean(_text(tc).replace("\n", " ").replace("\t", " "))
            width, merge = _cell_props(tc)
            if merge is None:
                above.pop(col, None)
            elif merge == "restart":
                above[col] = text if is_label(text) else ""
            else:
                text = above.get(col, "")
            row.append(text)
            if width > 1:
                row.extend([""] * (width - 1))
        if row:
            rows.append(row)


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Children of ``el`` with ``tag``, looking through content controls and custom XML."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in _WRAPPERS:
            out.extend(_children(child, tag))
    return out


def _cell_props(tc: etree._Element) -> tuple[int, str | None]:
    """A cell's grid span and vertical merge ("restart" begins one, "continue" is covered, None)."""
    pr = tc[0] if len(tc) else None  # the schema puts w:tcPr first
    if pr is None or pr.tag != _TC_PR:
        return 1, None
    width = merge = None
    for node in pr:
        if node.tag == _GRID_SPAN:
            width = node.get(_VAL)
        elif node.tag == _V_MERGE:
            merge = "restart" if node.get(_VAL) == "restart" else "continue"
    return span(width), merge
