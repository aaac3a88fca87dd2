"""PDF reports -> rows: text lines as one-cell rows, ruled tables as rows of cells.

One pass over each page's glyphs and rule segments, from pdfium (``pdf_pdfium``; pdfminer through
pdfplumber, ``pdf_layout``, for a file whose fonts pdfium cannot map): fake-bold doubles dropped,
glyphs inside a ruled table go to its cells (``pdf_tables`` finds the tables, ``pdf_grid`` fills
them), the rest make text lines (``pdf_text``). Tables are only looked for on pages that draw
rules, and only real rules count (the filled boxes Word draws behind paragraphs are not borders).
Page numbers (`- 4 -`, `— 5 —`) and running headers are dropped, tables continued on the next page
are joined, and a title printed over several large lines becomes one row. A PDF without a usable
text layer is refused: reading it needs OCR, and guessing would give numbers that are not in the
report. Hostile files are stopped by the caps of ``pdf_limits``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from statistics import median

import pypdfium2 as pdfium

from govstats.reading.formats import Rows
from govstats.reading.formats.ocr import NOT_INSTALLED, Progress, ocr_pages, pdf_page_images
from govstats.reading.formats.ocr import available as ocr_available
from govstats.reading.formats.pdf_grid import Grid, append, continues, from_table, rows
from govstats.reading.formats.pdf_layout import UNREADABLE, PageObjects
from govstats.reading.formats.pdf_layout import page_objects as pdfminer_page_objects
from govstats.reading.formats.pdf_limits import check_glyphs, check_pages, check_streams
from govstats.reading.formats.pdf_pdfium import page_objects as pdfium_page_objects
from govstats.reading.formats.pdf_tables import find_tables
from govstats.reading.formats.pdf_text import Char, Line, dedupe, join_lines, lines
from govstats.reading.report import Finding, NotAReport

NEEDS_OCR = "no usable text layer (scanned or unmapped fonts): needs OCR"
_FIGURES = 30  # digits on an OCR'd page that say it holds a table
_MIN_CHARS = 20  # fewer readable glyphs than this in the whole file: no text layer
_MAX_UNMAPPED = 0.25  # share of glyphs without a Unicode mapping ((cid:N), private use) that fails a file
_SCANNED_GLYPHS = 50  # a page with fewer glyphs than this ...
_SCANNED_AREA = 0.5  # ... and images over this share of its area is a scan
_FOOTER = re.compile(r"[-—–−―‒－_~·•\s]*第?\d{1,4}页?(?:[/／]\d{1,4})?(?:共\d{1,4}页)?[-—–−―‒－_~·•\s]*")
_FOOTER_MARK = re.compile(r"[-—–−―‒－_~·•页]")
_MARGIN = 0.1  # share of the page height at top and bottom where a bare number is a page number
_TITLE_SIZE = 1.2  # title lines are printed this much larger than the body text
_TITLE_WORDS = re.compile(r"报告|年报")


@dataclass
class _Page:
    blocks: list[Line | Grid]
    glyphs: int
    unmapped: int
    body_size: float  # the median glyph size: body text and table cells
    height: float
    scanned: bool  # a page-sized image and next to no text: a scanned page


def pdf_rows(data: bytes, backend: str = "auto", ocr: str = "never", progress: Progress | None = None) -> Rows:
    """Rows of a PDF report in document order. Raises NotAReport with the reason it cannot be read.

    ``backend``: "pdfium", "pdfminer", or "auto" (pdfium; pdfminer for a file in which pdfium
    finds glyphs without a Unicode mapping, since pdfminer reads some ToUnicode tables that pdfium
    rejects). ``ocr``: "never", "auto" (pages without a usable text layer are read by OCR) or
    "always" (every page is); ``progress(page, pages)`` is called before each page is OCR'd."""
    check_streams(data)
    rows = _read(data, backend, ocr, progress)
    rows.published = created(data)
    return rows


def _read(data: bytes, backend: str, ocr: str, progress: Progress | None) -> Rows:
    if ocr == "always":
        return page_rows(ocr_pages(pdf_page_images(data), progress), ocr=True)
    layout = _layout(data, "pdfminer" if backend == "pdfminer" else "pdfium")
    if backend == "auto" and any(_unmapped(c["text"]) for p in layout for c in p.chars):
        layout = _layout(data, "pdfminer")
    pages = [_read_page(p) for p in layout]
    if ocr == "auto" and not all(_usable(p) for p in pages):
        scanned = [i for i, p in enumerate(pages) if not _usable(p)]
        if not ocr_available():
            raise NotAReport(NOT_INSTALLED)
        for i, objects in zip(scanned, ocr_pages(pdf_page_images(data, scanned), progress), strict=True):
            layout[i] = objects
        return page_rows(layout, ocr=True)
    return _rows(pages)


def page_rows(pages: list[PageObjects], ocr: bool = False) -> Rows:
    """Rows of pages given as glyphs and rules (from a text layer or OCR). With ``ocr``: each
    table cell's lowest recogniser confidence is kept in ``Rows.confidence``, and a page with
    figures but no table found is a finding."""
    read = [_read_page(p) for p in pages]
    grids = [b for p in read for b in p.blocks if isinstance(b, Grid)]
    confidence: dict[str, float] = {}
    for grid in grids:
        for text, conf in grid.confidence.items():
            confidence[text] = min(conf, confidence.get(text, 1.0))
    out = _rows(read)
    out.confidence = confidence
    if ocr:
        n = sum(1 for p in pages if any("conf" in c for c in p.chars))
        low = min(confidence.values(), default=1.0)
        out.notes.append(Finding("read_by_ocr", "info",
                                 message_zh=f"{n} 页扫描页面经文字识别（OCR）读取，表格单元格最低识别置信度 {low:.2f}",
                                 message_en=f"{n} scanned page(s) read by OCR; lowest recogniser confidence in a table cell {low:.2f}"))
        for k, (objects, page) in enumerate(zip(pages, read, strict=True), 1):
            digits = sum(c["text"].isdigit() for c in objects.chars)
            if digits >= _FIGURES and not any(isinstance(b, Grid) for b in page.blocks):
                out.notes.append(Finding("ocr_table_not_found", "warning",
                                         message_zh=f"第 {k} 页识别出 {digits} 个数字，但未找到表格线，其数字未按表格读取",
                                         message_en=f"page {k}: OCR read {digits} digits but found no ruled table there"))
    return out


_PDF_DATE = re.compile(r"D?:?((?:19|20)\d{2})(\d{2})(\d{2})")


def created(data: bytes) -> str | None:
    """The creation date a PDF's metadata gives (yyyy-mm-dd): when the report was made into the PDF
    that was published. None when absent or unreadable (a damaged file is refused elsewhere)."""
    try:
        doc = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - the page reading reports a damaged file
        return None
    try:
        meta = doc.get_metadata_dict()
    except Exception:  # noqa: BLE001 - no readable info dictionary: no date
        return None
    finally:
        doc.close()
    m = _PDF_DATE.match(meta.get("CreationDate") or "")
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    return f"{y}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _usable(page: _Page) -> bool:
    return page.glyphs - page.unmapped >= _MIN_CHARS and page.unmapped <= _MAX_UNMAPPED * page.glyphs and not page.scanned


def _layout(data: bytes, backend: str) -> list[PageObjects]:
    try:
        pages = _pdfium_pages(data) if backend == "pdfium" else _pdfminer_pages(data)
    except NotAReport:
        raise
    except Exception as e:  # pdfium and pdfminer raise many types for damaged files; all mean the same here
        raise NotAReport(_reason(e)) from None
    if not pages:
        raise NotAReport("PDF without pages")
    return pages


def _pdfium_pages(data: bytes) -> list[PageObjects]:
    doc = pdfium.PdfDocument(data)
    try:
        check_pages(len(doc))
        out, glyphs = [], 0
        for page in doc:
            objects = pdfium_page_objects(page)
            page.close()
            glyphs += objects.glyph_count
            check_glyphs(glyphs)
            out.append(objects)
        return out
    finally:
        doc.close()


def _pdfminer_pages(data: bytes) -> list[PageObjects]:
    import pdfplumber

    with pdfplumber.open(BytesIO(data)) as pdf:
        check_pages(len(pdf.pages))
        out, glyphs = [], 0
        for page in pdf.pages:
            objects = pdfminer_page_objects(page)
            glyphs += objects.glyph_count
            check_glyphs(glyphs)
            out.append(objects)
        return out


def _rows(pages: list[_Page]) -> Rows:
    glyphs = sum(p.glyphs for p in pages)
    unmapped = sum(p.unmapped for p in pages)
    scanned = sum(p.scanned for p in pages)
    if glyphs - unmapped < _MIN_CHARS or unmapped > _MAX_UNMAPPED * glyphs or scanned > len(pages) / 2:
        raise NotAReport(NEEDS_OCR)
    _drop_running_lines(pages)
    pages[0].blocks = _join_title(pages[0].blocks, pages[0].body_size)
    out = Rows()
    blocks, joins = _stitch(pages)
    for block in blocks:
        out.extend(rows(block) if isinstance(block, Grid) else [[block.text]])
    if joins:
        out.notes.append(Finding("table_split_across_pages", "info",
                                 message_zh=f"表格跨页断开 {joins} 处，已拼接",
                                 message_en=f"{joins} table(s) continued across a page break were joined"))
    return out


def _reason(e: BaseException) -> str:
    chain = []
    while e is not None and e not in chain:
        chain.append(e)
        e = e.args[0] if e.args and isinstance(e.args[0], BaseException) else (e.__cause__ or e.__context__)
    names = " ".join(type(x).__name__ + " " + str(x) for x in chain).lower()
    if "password" in names or "encrypt" in names:
        return "encrypted PDF: it needs a password to open"
    detail = str(chain[-1]).splitlines()[0][:120] if str(chain[-1]) else type(chain[-1]).__name__
    return f"damaged PDF ({detail})"


def _unmapped(text: str) -> bool:
    return text == UNREADABLE or "\ue000" <= text[:1] <= "\uf8ff"


def _read_page(objects: PageObjects) -> _Page:
    raw = objects.chars
    bad = sum(1 for c in raw if _unmapped(c["text"]))
    # Unreadable glyphs stay in the text (as U+FFFD): a cell printed in an unmapped font must not
    # look blank, or it could be read as 0.
    chars = dedupe(raw)
    tables = find_tables(objects.rules)
    grids: list[Line | Grid] = []
    free = chars
    if tables:
        boxes = [t.bbox for t in tables]
        inside: list[list[Char]] = [[] for _ in tables]
        free = []
        for ch in chars:
            mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            for k, (x0, top, x1, bottom) in enumerate(boxes):
                if x0 - 1 <= mx <= x1 + 1 and top - 1 <= my <= bottom + 1:
                    inside[k].append(ch)
                    break
            else:
                free.append(ch)
        grids = [from_table(box, t.cells, cs) for box, t, cs in zip(boxes, tables, inside, strict=True)]
    text: list[Line | Grid] = [ln for ln in lines(free) if not _is_footer(ln, objects.height)]
    body = median(c["size"] for c in chars) if chars else 0.0
    scanned = len(raw) < _SCANNED_GLYPHS and objects.image_area >= _SCANNED_AREA * objects.width * objects.height
    return _Page(sorted(text + grids, key=lambda b: b.top), len(raw), bad, body, objects.height, scanned)


def _in_margin(line: Line, height: float) -> bool:
    return line.top > (1 - _MARGIN) * height or line.bottom < _MARGIN * height


def _is_footer(line: Line, height: float) -> bool:
    """A page number line: `- 4 -`, `— 5 —`, `第3页`, or a bare number in the top or bottom margin."""
    if not _FOOTER.fullmatch(line.text):
        return False
    return bool(_FOOTER_MARK.search(line.text)) or _in_margin(line, height)


def _drop_running_lines(pages: list[_Page]) -> None:
    """Running headers and footers: the same line in the margin of several pages.

    Left in, one would sit between the two parts of a table continued on the next page."""
    pages_with: Counter[str] = Counter()
    for p in pages:
        pages_with.update({b.text for b in p.blocks if isinstance(b, Line) and _in_margin(b, p.height)})
    running = {text for text, n in pages_with.items() if n >= 2}
    if running:
        for p in pages:
            p.blocks = [
                b for b in p.blocks if not (isinstance(b, Line) and b.text in running and _in_margin(b, p.height))
            ]


def _join_title(blocks: list[Line | Grid], body: float) -> list[Line | Grid]:
    """A title printed over several large lines at the top of the first page, as one line.

    Only lines of one size join (a larger letterhead above the title stays apart), and only when
    they make up a report title."""
    head = blocks[:6]
    k = 0
    while k < len(head):
        first = head[k]
        if not (isinstance(first, Line) and first.size >= _TITLE_SIZE * body):
            k += 1
            continue
        end = k + 1
        while end < len(head) and isinstance(head[end], Line) and abs(head[end].size - first.size) <= 0.1 * first.size:
            end += 1
        part = head[k:end]
        text = join_lines([b.text for b in part])
        if len(part) > 1 and _TITLE_WORDS.search(text):
            title = Line(first.top, part[-1].bottom, min(b.x0 for b in part), max(b.x1 for b in part), first.size, text)
            return blocks[:k] + [title] + blocks[end:]
        k = end
    return blocks


def _stitch(pages: list[_Page]) -> tuple[list[Line | Grid], int]:
    """All blocks in order, a table that goes on at the top of the next page joined to the one
    before; and how many such joins were made."""
    out: list[Line | Grid] = []
    joins = 0
    for page in pages:
        for k, block in enumerate(page.blocks):
            prev = out[-1] if out else None
            if k == 0 and isinstance(block, Grid) and isinstance(prev, Grid) and continues(prev, block):
                append(prev, block)
                joins += 1
            else:
                out.append(block)
    return out, joins
