"""Render a Report (values in ``report.cells``, format from ``report.template``) as document bytes.

Four writers share one layout (``govstats.synth.layout``): plain text with tab-separated cells (as
text scraped from a report looks, like the seed report), HTML with merged cells, DOCX (python-docx,
merged cells) and PDF (fpdf2, a CJK TrueType font from mplfonts embedded as a subset). Every document
starts with ``SYNTHETIC_MARKER``. Blank cells print empty, dash cells ``/``, text cells their raw
text; a table without any cell in the report is left out (the heading stays).

``Quirks`` (in ``printing``) asks for the defects real documents show that live in the printing.
"""

from __future__ import annotations

import html
import io
import zipfile

from govstats.reading.report import Report
from govstats.synth.layout import Grid, grid
from govstats.synth.pdf import render_pdf
from govstats.synth.printing import (
    CLEAN,
    Quirks,
    cell_text,
    footer_row,
    placed,
    preamble,
    present,
    row_present,
    sections,
    slot_text,
    title,
)

# ---------------------------------------------------------------------------------------------
# Plain text


def _text_table(report: Report, g: Grid, quirks: Quirks) -> list[str]:
    lines = []
    footer_at = footer_row(g) if quirks.footer_in_table and g.table == "applications" else -1
    for i, slots in enumerate(g.flat):
        if not row_present(report, g, i):
            continue
        if g.row_codes[i] is not None and g.row_codes[i] == quirks.concatenated_row:
            # as scraped page text shows it (平潭 2021): labels and numbers run together
            lines.append("".join(slot_text(report, s) for s in slots))
        else:
            lines.append("\t".join([slot_text(report, s) for s in slots]))
        if i == footer_at:
            lines.append(quirks.page_footer.format(n=3))
    return lines


def to_text(report: Report, *, quirks: Quirks = CLEAN, notes: tuple[str, ...] = ()) -> bytes:
    """Plain text, table cells separated by tabs, as text scraped from a published report; with
    ``quirks.flattened`` the body runs together on one line, as scraped page text does (平潭)."""
    out = [*preamble(report, notes), "", title(report, quirks), ""]
    body = []
    for _, heading, paras, table in sections(report, quirks):
        body += [heading, ""]
        for p in paras:
            body += [p, ""]
        if table and present(report, table):
            body += _text_table(report, grid(table, report.template or "2021"), quirks)
            body.append("")
    if quirks.flattened:
        body = ["".join(cell for line in body for cell in line.split("\t"))]
    return "\n".join(out + body).encode(quirks.encoding)


# ---------------------------------------------------------------------------------------------
# HTML


def _html_table(report: Report, g: Grid, quirks: Quirks) -> str:
    parts = ['<table border="1" cellspacing="0" cellpadding="2">']
    footer_at = _block_boundary(g) if quirks.footer_in_table and g.table == "applications" else -1
    for i, row in enumerate(g.rows):
        if not row_present(report, g, i):
            continue
        parts.append("<tr>")
        for c in row:
            attrs = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + (
                f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""
            )
            text = c.text if c.key is None else cell_text(report.cells.get(c.key))
            parts.append(f"<td{attrs}>{html.escape(text)}</td>")
        parts.append("</tr>")
        if i == footer_at:
            parts.append(f'<tr><td colspan="{g.width}">{quirks.page_footer.format(n=3)}</td></tr>')
    parts.append("</table>")
    return "".join(parts)


def _block_boundary(g: Grid) -> int:
    """The last grid row before table 三's merged result block: a footer row there breaks no merge."""
    spanned = set()
    for i, row in enumerate(g.rows):
        for c in row:
            spanned.update(range(i + 1, i + c.rowspan))
    data = [i for i, code in enumerate(g.row_codes) if code is not None and i + 1 not in spanned]
    return data[len(data) // 2] if data else -1


def to_html(report: Report, *, quirks: Quirks = CLEAN, notes: tuple[str, ...] = ()) -> bytes:
    """An HTML article page: headings, paragraphs and tables with rowspan/colspan merges."""
    t = html.escape(title(report, quirks))
    charset = "gbk" if quirks.encoding.lower() in ("gbk", "gb2312", "gb18030") else quirks.encoding
    parts = [
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{t}</title></head><body>',
        *(f"<p>{html.escape(n)}</p>" for n in preamble(report, notes)),
        f"<h1>{t}</h1>",
    ]
    for _, heading, paras, table in sections(report, quirks):
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in paras]
        if table and present(report, table):
            parts.append(_html_table(report, grid(table, report.template or "2021"), quirks))
    parts.append("</body></html>")
    page = "\n".join(parts)
    return (_in_cms(page, t) if quirks.cms_page else page).encode(quirks.encoding)


def _in_cms(page: str, title_: str) -> str:
    """The article page wrapped as a county site serves it: most of a real page (spec §1: about
    100 KB for 平潭) is navigation, scripts and footer around the article."""
    menu = "".join(f'<li><a href="/col/{i}/index.html">栏目{i}</a></li>' for i in range(300))
    script = "<script>" + "var cfg={site:'gov',col:[" + ",".join(str(i) for i in range(2000)) + "]};" + "</script>"
    article = page[page.index("<body>") + 6 : page.index("</body>")]
    head = page[: page.index("<body>")].replace(f"<title>{title_}</title>", f"<title>{title_}_县人民政府门户网站</title>")
    return (
        f"{head}<body>{script}<div class='top'><a>首页</a><a>政务公开</a></div><nav><ul>{menu}</ul></nav>"
        f"<div class='crumb'>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
        f"<div class='TRS_Editor'>{article}</div>"
        f"<div class='foot'><ul>{menu}</ul><p>主办单位：县人民政府办公室 网站标识码 备案号</p></div>{script}</body></html>"
    )


# ---------------------------------------------------------------------------------------------
# DOCX


def _docx_table(doc, report: Report, g: Grid, quirks: Quirks) -> None:
    footer_at = _block_boundary(g) if quirks.footer_in_table and g.table == "applications" else -1
    pos: dict[int, int] = {}
    n = 0
    for i in range(len(g.rows)):
        if row_present(report, g, i):
            pos[i] = n
            n += 2 if i == footer_at else 1
    table = doc.add_table(rows=n, cols=g.width)
    table.style = "Table Grid"
    # Every cell fetched once before merging (table.cell() rescans the whole table on each call);
    # the merged rectangles never overlap, so these cell objects stay valid through the merges.
    cells = table._cells
    at = lambda r, j: cells[r * g.width + j]  # noqa: E731
    for r0, j, r1, c in placed(g, pos):
        cell = at(r0, j)
        if c.colspan > 1 or r1 > r0:
            cell = cell.merge(at(r1, j + c.colspan - 1))
        cell.text = c.text if c.key is None else cell_text(report.cells.get(c.key))
    if footer_at in pos:
        r = pos[footer_at] + 1
        at(r, 0).merge(at(r, g.width - 1)).text = quirks.page_footer.format(n=3)


def to_docx(report: Report, *, quirks: Quirks = CLEAN, notes: tuple[str, ...] = ()) -> bytes:
    """A Word document: paragraphs and tables with merged cells."""
    from docx import Document

    doc = Document()
    for n in preamble(report, notes):
        doc.add_paragraph(n)
    doc.add_heading(title(report, quirks), level=1)
    for _, heading, paras, table in sections(report, quirks):
        doc.add_heading(heading, level=2)
        for p in paras:
            doc.add_paragraph(p)
        if table and present(report, table):
            _docx_table(doc, report, grid(table, report.template or "2021"), quirks)
    buf = io.BytesIO()
    doc.save(buf)
    return _undated(buf.getvalue())


def _undated(package: bytes) -> bytes:
    """The same ZIP package with every entry dated 1980-01-01 (python-docx stamps the time of writing),
    so that a report always gives the same bytes and a regenerated corpus is identical."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info),
                         compress_type=info.compress_type)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF


def to_pdf(report: Report, *, quirks: Quirks = CLEAN, notes: tuple[str, ...] = ()) -> bytes:
    """A text PDF with an embedded CJK font; tables drawn with ruled cells."""
    return render_pdf(report, quirks, notes)


WRITERS = {"txt": to_text, "html": to_html, "docx": to_docx, "pdf": to_pdf}
