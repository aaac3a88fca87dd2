"""Render a Report (values in ``report.cells``, format from ``report.template``) as document bytes.

Four writers share one layout (``govstats.synth.layout``): plain text with tab-separated cells (as
text scraped from a report looks, like the seed report), HTML with merged cells, DOCX (python-docx,
merged cells) and PDF (fpdf2, a CJK TrueType font from mplfonts embedded as a subset). Every document
starts with ``SYNTHETIC_MARKER``. Blank cells print empty, dash cells ``/``, text cells their raw
text; a table without any cell in the report is left out (the heading stays).

``Quirks`` asks for the defects real documents show that live in the printing rather than in the
numbers (the numbers' defects are made in the Report itself by ``govstats.synth.defects``).
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govstats.model import SYNTHETIC_MARKER, Cell, CellKey, Report
from govstats.synth import narrative
from govstats.synth.layout import Grid, grid
from govstats.template import TABLES

TITLE_SUFFIX = "年政府信息公开工作年度报告"


@dataclass(frozen=True)
class Quirks:
    """Printing defects. Each is off by default; a clean document has none."""

    traditional_title: bool = False  # the title in traditional characters (郟县)
    footer_in_table: bool = False  # a page footer (— 3 —) printed inside table 三
    concatenated_row: str | None = None  # text: this applications row's labels and numbers run together
    encoding: str = "utf-8"  # text and HTML: e.g. "gbk"
    page_break_in_table: bool = False  # PDF: table 三 split across a page break
    page_footer: str = "— {n} —"
    cms_page: bool = False  # HTML: the article inside a government CMS page (menus, scripts, footer)


CLEAN = Quirks()


def title(report: Report, quirks: Quirks = CLEAN) -> str:
    text = f"{report.agency}{report.year}{TITLE_SUFFIX}"
    return _s2t(text) if quirks.traditional_title else text


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _converter().convert(text)


def format_value(value: int | float) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def cell_text(cell: Cell | None) -> str:
    """What a cell prints as."""
    if cell is None or cell.state in ("blank", "missing"):
        return ""
    if cell.state == "dash":
        return cell.raw or "/"
    if cell.state == "text" or cell.value is None:
        return cell.raw
    return format_value(cell.value)


def _present(report: Report, table: str) -> bool:
    return any(k[0] == table and c.state != "missing" for k, c in report.cells.items())


def _notes(report: Report, notes: tuple[str, ...]) -> list[str]:
    return [SYNTHETIC_MARKER, narrative.SYNTHETIC_NOTE, *notes]


def _slot(report: Report, slot: str | CellKey) -> str:
    return slot if isinstance(slot, str) else cell_text(report.cells.get(slot))


def _row_present(report: Report, g: Grid, i: int) -> bool:
    code = g.row_codes[i]
    if code is None or code == "*":
        return True
    return any(isinstance(s, tuple) and s in report.cells for s in g.flat[i])


def _sections(report: Report):
    """(section code, heading, paragraphs, table code or None) in printed order."""
    paras = narrative.paragraphs(report)
    for code, heading in narrative.headings().items():
        yield code, heading, paras.get(code, []), code if code in TABLES else None


# ---------------------------------------------------------------------------------------------
# Plain text


def _text_table(report: Report, g: Grid, quirks: Quirks) -> list[str]:
    lines = []
    footer_at = _footer_row(g) if quirks.footer_in_table and g.table == "applications" else -1
    for i, slots in enumerate(g.flat):
        if not _row_present(report, g, i):
            continue
        if g.row_codes[i] is not None and g.row_codes[i] == quirks.concatenated_row:
            # as scraped page text shows it (平潭 2021): labels and numbers run together
            lines.append("".join(_slot(report, s) for s in slots))
        else:
            lines.append("\t".join([_slot(report, s) for s in slots]))
        if i == footer_at:
            lines.append(quirks.page_footer.format(n=3))
    return lines


def _footer_row(g: Grid) -> int:
    """The grid row after which a page footer falls: midway through the data rows."""
    data = [i for i, c in enumerate(g.row_codes) if c is not None]
    return data[len(data) // 2]


def to_text(report: Report, *, quirks: Quirks = CLEAN, notes: tuple[str, ...] = ()) -> bytes:
    """Plain text, table cells separated by tabs, as text scraped from a published report."""
    out = [*_notes(report, notes), "", title(report, quirks), ""]
    for _, heading, paras, table in _sections(report):
        out += [heading, ""]
        for p in paras:
            out += [p, ""]
        if table and _present(report, table):
            out += _text_table(report, grid(table, report.template or "2021"), quirks)
            out.append("")
    return "\n".join(out).encode(quirks.encoding)


# ---------------------------------------------------------------------------------------------
# HTML


def _html_table(report: Report, g: Grid, quirks: Quirks) -> str:
    parts = ['<table border="1" cellspacing="0" cellpadding="2">']
    footer_at = _block_boundary(g) if quirks.footer_in_table and g.table == "applications" else -1
    for i, row in enumerate(g.rows):
        if not _row_present(report, g, i):
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
        *(f"<p>{html.escape(n)}</p>" for n in _notes(report, notes)),
        f"<h1>{t}</h1>",
    ]
    for _, heading, paras, table in _sections(report):
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in paras]
        if table and _present(report, table):
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


def _placed(g: Grid, pos: dict[int, int]):
    """(first output row, column, last output row, cell) for the kept grid rows (keys of ``pos``),
    merges clipped to the kept rows."""
    taken: set[tuple[int, int]] = set()
    for i in sorted(pos):
        j = 0
        for c in g.rows[i]:
            while (pos[i], j) in taken:
                j += 1
            last = max(pos[k] for k in range(i, i + c.rowspan) if k in pos)
            taken.update((r, j + dj) for r in range(pos[i], last + 1) for dj in range(c.colspan))
            yield pos[i], j, last, c
            j += c.colspan


def _docx_table(doc, report: Report, g: Grid, quirks: Quirks) -> None:
    footer_at = _block_boundary(g) if quirks.footer_in_table and g.table == "applications" else -1
    pos: dict[int, int] = {}
    n = 0
    for i in range(len(g.rows)):
        if _row_present(report, g, i):
            pos[i] = n
            n += 2 if i == footer_at else 1
    table = doc.add_table(rows=n, cols=g.width)
    table.style = "Table Grid"
    # Every cell fetched once before merging (table.cell() rescans the whole table on each call);
    # the merged rectangles never overlap, so these cell objects stay valid through the merges.
    cells = table._cells
    at = lambda r, j: cells[r * g.width + j]  # noqa: E731
    for r0, j, r1, c in _placed(g, pos):
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
    for n in _notes(report, notes):
        doc.add_paragraph(n)
    doc.add_heading(title(report, quirks), level=1)
    for _, heading, paras, table in _sections(report):
        doc.add_heading(heading, level=2)
        for p in paras:
            doc.add_paragraph(p)
        if table and _present(report, table):
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
    from govstats.synth.pdf import render_pdf

    return render_pdf(report, quirks, notes)


def cjk_font_path() -> Path:
    """SimHei as shipped by mplfonts (a dependency), embedded as a subset in every PDF."""
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"


WRITERS = {"txt": to_text, "html": to_html, "docx": to_docx, "pdf": to_pdf}
