"""What every synthetic document prints, whatever its format: the title, cell texts, the parts in
order with their paragraphs, and ``Quirks``, the printing defects real documents show (the defects
of the numbers are made in the Report itself by ``govstats.synth.defects``). The writers in
``documents`` (text, HTML, DOCX) and ``pdf`` share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govstats.format import TABLES
from govstats.reading.report import SYNTHETIC_MARKER, Cell, CellKey, Report
from govstats.synth import narrative
from govstats.synth.layout import Grid

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
    # (part, sentence): sentences with figures printed between a part's heading and its table
    sentences: tuple[tuple[str, str], ...] = ()
    flattened: bool = False  # text: the body on one line, cells and lines run together (scraped page text)


CLEAN = Quirks()


def title(report: Report, quirks: Quirks = CLEAN) -> str:
    text = f"{report.agency}{report.year}{TITLE_SUFFIX}"
    return s2t(text) if quirks.traditional_title else text


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def s2t(text: str) -> str:
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


def present(report: Report, table: str) -> bool:
    return any(k[0] == table and c.state != "missing" for k, c in report.cells.items())


def preamble(report: Report, notes: tuple[str, ...]) -> list[str]:
    return [SYNTHETIC_MARKER, narrative.SYNTHETIC_NOTE, *notes]


def slot_text(report: Report, slot: str | CellKey) -> str:
    return slot if isinstance(slot, str) else cell_text(report.cells.get(slot))


def row_present(report: Report, g: Grid, i: int) -> bool:
    code = g.row_codes[i]
    if code is None or code == "*":
        return True
    return any(isinstance(s, tuple) and s in report.cells for s in g.flat[i])


def sections(report: Report, quirks: Quirks = CLEAN):
    """(section code, heading, paragraphs, table code or None) in printed order."""
    paras = narrative.paragraphs(report)
    extra = dict(quirks.sentences)
    for code, heading in narrative.headings().items():
        text = paras.get(code, []) + ([extra[code]] if code in extra else [])
        yield code, heading, text, code if code in TABLES else None


def footer_row(g: Grid) -> int:
    """The grid row after which a page footer falls: midway through the data rows."""
    data = [i for i, c in enumerate(g.row_codes) if c is not None]
    return data[len(data) // 2]


def placed(g: Grid, pos: dict[int, int]):
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


def cjk_font_path() -> Path:
    """SimHei as shipped by mplfonts (a dependency), embedded as a subset in every PDF."""
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"
