"""Rows of cells (from any reader) -> Report: metadata, the template, every cell, findings.

Pure: no I/O. The steps: clean the rows (width, Kangxi radicals, page footers), read the title,
cut the parts by their headings, detect the template from the tables present (not the year),
read each table by label, recover concatenated digits by the identities, run the checks, then the
range check, units and the audit (govstats.reading.audit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from operator import attrgetter

from govstats.format import TableSpec, national_format
from govstats.reading import checks
from govstats.reading.audit import audit
from govstats.reading.formats import Rows
from govstats.reading.metadata import Metadata, read_metadata
from govstats.reading.normalize import MEMO_CHARS, label_key, nfkc, split_numbering
from govstats.reading.report import MAX_AMOUNT, MAX_COUNT, SYNTHETIC_MARKER, Cell, Finding, NotAReport, Origin, Report
from govstats.reading.sections import split_sections
from govstats.reading.tables import RowRead, TableReader, plan_row, read_flat, read_table
from govstats.reading.tokens import Value

_FOOTER = re.compile(r"^\s*(?:[-—–－─]+\s*\d{1,3}\s*[-—–－─]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A Chinese character other than those of a footer (第 3 页 共 5 页): the line is not a footer. NFKC
# never changes these characters, so this is checked before normalising.
_WORDS = re.compile(r"(?![第页共])[\u4e00-\u9fff]")
_PRE2019 = ("政府信息公开情况统计表", "指标名称", "历年累计")
_VALUE = attrgetter("value")
# The most text read: a report is some 5,000-50,000 characters; reading is linear in its text,
# and this bounds it (hostile text of this size reads in about a second).
MAX_TEXT = 1_000_000


def clean_rows(rows: Rows) -> Rows:
    """Strip cells; drop empty rows and page footers (`- 4 -`, `— 5 —`, `第 3 页`), noting footers
    found between table rows. Cells keep their printed characters (raw text is data)."""
    out = Rows(notes=getattr(rows, "notes", []), stripped=True)
    out.published = getattr(rows, "published", None)
    inside = total = 0
    stripped = getattr(rows, "stripped", False)
    for row in rows:
        cells = row if stripped else list(map(str.strip, row))
        text = "".join(cells)
        if not text:
            continue
        total += len(text)
        if total > MAX_TEXT:
            raise NotAReport(f"over {MAX_TEXT:,} characters of text: no report is that long")
        if len(text) <= 16 and not _WORDS.search(text) and _FOOTER.match(nfkc(text)):
            inside += len(out[-1]) > 2 if out else 0
            continue
        out.append(cells)
    if inside:
        out.notes.append(Finding("page_footer_in_table", "info",
                                 message_zh=f"表格中夹有页脚 {inside} 处，已忽略",
                                 message_en=f"{inside} page footer(s) inside a table ignored"))
    return out


def _cell_key(cell: str) -> str:
    """The label key of a cell with Chinese text, else ""."""
    return label_key(cell) if _CJK.search(cell) else ""


_cell_key_memo = lru_cache(maxsize=1 << 16)(_cell_key)  # labels recur in every report


def _has_key(rows: Iterable[list[str]], keys: tuple[str, ...]) -> bool:
    """Whether a cell of ``rows`` contains one of ``keys`` (in label-key form)."""
    search, memo = _any_of(keys).search, _cell_key_memo
    return any(search("|".join([memo(c) if len(c) <= MEMO_CHARS else _cell_key(c) for c in row])) for row in rows)


@cache
def _any_of(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, keys)))


@cache
def _template_keys() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Keys that tell the templates apart: part 二's 2019 columns, part 三's split （六） rows (2021),
    its single （六）其他处理 row (hybrid)."""
    fmt = national_format()
    apps = fmt.tables["applications"]
    split_rows = tuple(k for code in ("other_overdue_correction", "other_overdue_fee") for k in apps.row(code, "2021").keys)
    return fmt.tables["disclosure"].markers["2019"], split_rows, apps.row("other_total", "hybrid").keys


def detect_template(regions: dict[str, Rows]) -> str | None:
    """2019 if part 二 prints the 2019 columns; else 2021 when part 三 has the split （六） rows,
    hybrid when it has the single （六）其他处理 row."""
    if "disclosure" not in regions and "applications" not in regions:
        return None
    markers_2019, split_rows, single = _template_keys()
    if _has_key(regions.get("disclosure", []), markers_2019):
        return "2019"
    applications = regions.get("applications", [])
    if _has_key(reversed(applications), split_rows):  # from the end: the （六） rows close the table
        return "2021"
    for row in applications:
        for text in plan_row(tuple(row)).labels:  # label texts, also those cut out of scraped text
            parts = split_numbering(text)
            if parts and parts[-1] in single:
                return "hybrid"
    return "2021"


def build_report(rows: Rows) -> Report:
    rows = clean_rows(rows)
    meta = read_metadata(rows)
    synthetic = any(SYNTHETIC_MARKER in c for r in rows[:5] for c in r)
    regions = split_sections(rows)
    template = detect_template(regions)
    report = Report(agency=meta.agency, year=meta.year, template=template, title=meta.title, synthetic=synthetic,
                    findings=list(rows.notes))
    if meta.traditional:
        report.add(Finding("traditional_characters", "info", message_zh="标题为繁体字，已转换为简体",
                           message_en="title printed in traditional characters; converted to simplified"))
    if template is None:
        if _early(rows, meta):
            return _unsupported(report, meta)
        raise NotAReport("no tables of the national format (not an annual report, or a 工作总结/范文)")
    fmt = national_format()
    for code in ("disclosure", "applications"):
        spec = fmt.tables[code]
        reader = read_table(regions[code], spec.rows_for(template), tuple(spec.columns.values())) if code in regions else None
        if reader is None or not reader.found:
            if code == "applications" and _early(rows, meta):
                return _unsupported(report, meta)  # a pre-2019 report: its tables are another format
            _table_missing(report, spec)  # no heading, or a heading and no table
            continue
        _put_rows(report, spec, reader, rows)
    _put_review(report, fmt.tables["review_litigation"], regions.get("review_litigation"))
    if meta.year is not None and meta.year < 2019:
        report.add(Finding("year_before_format", "warning",
                           message_zh=f"标题年度 {meta.year} 早于 2019 年格式，但表格为 {template} 格式，按表格读取",
                           message_en=f"title year {meta.year} predates the 2019 format, but the tables are the {template} format: read as such"))
    if not any(c.state != "missing" for c in report.cells.values()):
        raise NotAReport("no tables of the national format (not an annual report, or a 工作总结/范文)")
    if not any(c.state == "number" for c in report.cells.values()) and meta.agency is None:
        raise NotAReport("tables without any value and no agency in the title: a blank template or 范文")
    if meta.agency is None or meta.year is None:
        report.add(Finding("metadata_missing", "warning",
                           message_zh="未能从标题读出机关名称或年度", message_en="agency or year not found in the title"))
    _check_range(report)
    _convert_units(report)
    checks.run_checks(report)
    audit(report, rows, regions)
    return report


def _check_range(report: Report) -> None:
    """A value no count (or amount) can have (`12345678901234567890`, a run of 400 digits) is not
    data: its cell is null, with an error. Later stages store counts as 32-bit integers."""
    values = list(filter(None, map(_VALUE, report.cells.values())))  # without nulls and zeros
    if not values or (max(values) <= MAX_COUNT and min(values) >= -MAX_COUNT):
        return  # nearly every report: nothing near a limit
    fmt = national_format()
    for (t, r, c), cell in report.cells.items():
        limit = MAX_AMOUNT if fmt.column(t, c).decimal else MAX_COUNT
        if cell.value is None or cell.state != "number" or -limit <= cell.value <= limit:
            continue
        cell.value, cell.state = None, "text"
        raw, n = cell.raw, len(cell.raw)
        zh, en = (raw, raw) if n <= 24 else (f"{raw[:20]}…（共 {n} 个字符）", f"{raw[:20]}… ({n} characters)")
        report.add(Finding("value_out_of_range", "error", t, r, c,
                           message_zh=f"“{zh}”超出任何计数或金额的范围（上限 {limit}），记为空值",
                           message_en=f"'{en}' is beyond any count or amount (limit {limit}): left null"))


def _early(rows: Rows, meta: Metadata) -> bool:
    """Whether the report predates the 2019 format (its year, or the old statistics table)."""
    if meta.year is not None and meta.year < 2019:
        return True
    text = "".join(c for r in rows[:400] for c in r)
    return any(k in text for k in _PRE2019)


def _convert_units(report: Report) -> None:
    """A cell printed in 元 where the format's column is in 万元 (`5000元` under 本年收费金额（单位：万元）)
    is converted, and reported; the raw text keeps what was printed."""
    if report.template is None:
        return
    for key in _wan_cells(report.template):
        cell = report.cells.get(key)
        if cell is None or cell.value is None:
            continue
        printed = nfkc(cell.raw).strip()
        if printed.endswith("元") and not printed.endswith("万元"):
            cell.value = cell.value / 10000
            report.add(Finding("unit_converted", "info", cell.table, cell.row, cell.column, printed=cell.value,
                               message_zh=f"“{cell.raw}”以元为单位，已换算为万元", message_en=f"'{cell.raw}' is in yuan: converted to 10,000 yuan"))


@cache
def _wan_cells(template: str) -> tuple[tuple[str, str, str], ...]:
    """The cells of ``template`` whose column the format gives in 万元, in printed order."""
    fmt = national_format()
    return tuple(k for k in fmt.cell_codes(template) if fmt.column(k[0], k[2]).unit == "万元")


def _unsupported(report: Report, meta: Metadata) -> Report:
    """A report whose tables are not in a supported format: metadata only, nothing invented."""
    if meta.year is None and meta.agency is None:
        raise NotAReport("no title with agency and year, and no tables of the national format")
    report.template = None
    report.status = "unsupported_format"
    report.cells.clear()
    report.add(Finding("unsupported_format", "info",
                       message_zh="报告早于2019年格式，表格不在支持的格式内，仅读取元数据",
                       message_en="report predates the 2019 format: its tables are not in a supported format; metadata only"))
    return report


def _table_missing(report: Report, spec: TableSpec) -> None:
    for r in spec.rows_for(report.template or "2021"):
        for c in r.columns:
            report.cells[(spec.code, r.code, c)] = Cell(spec.code, r.code, c, None, "missing")
    report.add(Finding("table_missing", "error", spec.code, message_zh=f"未找到表格：{spec.zh}",
                       message_en=f"table not found: {spec.en}"))


def _cell(table: str, row: str, col: str, v: Value, origin: Origin = "printed") -> Cell:
    if v.kind == "number":
        return Cell(table, row, col, v.number, "number", v.raw, origin)
    if v.kind == "blank":
        return Cell(table, row, col, None, "blank", "")
    if v.kind == "dash":
        return Cell(table, row, col, None, "dash", v.raw)
    return Cell(table, row, col, None, "text", v.raw)


@lru_cache(maxsize=1024)
def _keys(table: str, row: str, columns: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """The cell keys of a row (made once: every report has the same)."""
    return tuple((table, row, c) for c in columns)


def _has_identities(table: str) -> bool:
    return any(i.table == table for i in national_format().identities)


def _put_rows(report: Report, spec: TableSpec, reader: TableReader, rows: Rows) -> None:
    template = report.template or "2021"
    pending: dict[str, RowRead] = {}
    for r in spec.rows_for(template):
        rr = reader.found.get(r.code)
        if rr is None or not rr.values:
            for c in r.columns:
                report.cells[(spec.code, r.code, c)] = Cell(spec.code, r.code, c, None, "missing")
            report.add(Finding("row_missing", "warning", spec.code, r.code,
                               message_zh=f"未找到行：{r.zh}", message_en=f"row not found: {r.en}"))
            continue
        if rr.by_order and any(v.glued for v in rr.values) and not _has_identities(spec.code):
            # scraped text, no label, and no identity to check the placement: not a value
            raw = " ".join(v.raw for v in rr.values)
            for c in r.columns:
                report.cells[(spec.code, r.code, c)] = Cell(spec.code, r.code, c, None, "text", raw, "row_order")
            report.add(Finding("row_order_unsafe", "warning", spec.code, r.code,
                               message_zh=f"数字“{raw}”与标签分离，本表无勾稽关系可印证按行序归入，记为空值：{r.zh}",
                               message_en=f"numbers '{raw}' detached from their label; no identity can check a placement "
                                          f"by row order in this table: left null: {r.en}"))
            continue
        origin: Origin = "row_order" if rr.by_order else "printed"
        if len(rr.values) == len(r.columns):
            cells, t, code = report.cells, spec.code, r.code
            for key, v in zip(_keys(t, code, r.columns), rr.values, strict=True):  # the hot loop: few calls
                cells[key] = (Cell(t, code, key[2], v.number, "number", v.raw, origin) if v.kind == "number"
                              else _cell(t, code, key[2], v, origin))
        else:
            pending[r.code] = rr
        if rr.by_order:
            report.add(Finding("row_by_order", "info", spec.code, r.code,
                               message_zh=f"该行数字与标签分离，按表格行序归入：{r.zh}",
                               message_en=f"numbers detached from their label; placed by row order: {r.en}"))
    if pending:
        from govstats.reading.recovery import rows as recovery  # (most reports never need it: start-up)

        recovery.recover_rows(report, spec, pending, rows)
        for code in (code for code, rr in pending.items() if rr.by_order):
            for c in spec.row(code, template).columns:
                report.cells[(spec.code, code, c)].origin = "row_order"
    for note in reader.strays:
        report.add(Finding("stray_values", "info", spec.code, message_zh=f"忽略的零散数值：{note}",
                           message_en=f"stray values ignored: {note}"))
    if reader.more_strays:
        report.add(Finding("stray_values", "info", spec.code, message_zh=f"另有 {reader.more_strays} 处零散数值被忽略，未逐一列出",
                           message_en=f"{reader.more_strays} more stray values ignored, not listed"))
    _note_sentences(report, spec, reader)


def _note_sentences(report: Report, spec: TableSpec, reader: TableReader) -> None:
    if reader.sentences:
        first = reader.sentences[0][:40]
        report.add(Finding("narrative_in_table", "info", spec.code,
                           message_zh=f"表格部分中有 {len(reader.sentences)} 处含数字的叙述文字，其数字未作为表格数值读取（如“{first}…”）",
                           message_en=f"{len(reader.sentences)} sentence(s) with figures in the table's part were not read as cells "
                                      f"(e.g. '{first}…')"))


def _put_review(report: Report, spec: TableSpec, region: Rows | None) -> None:
    rows = spec.rows_for(report.template or "2021")
    width = sum(len(r.columns) for r in rows)
    if region is None:
        _table_missing(report, spec)
        return
    labelled = read_table(region, rows, tuple(spec.columns.values()))
    found = [rr for rr in labelled.found.values() if rr.values]
    if len(found) >= 2 and not any(rr.by_order for rr in found):
        # printed as labelled rows (行政复议 / 未经复议直接起诉 / 复议后起诉): each row stands alone
        _put_rows(report, spec, labelled, region)
        return
    _note_sentences(report, spec, labelled)
    values = read_flat(region, width)
    if not values:
        if not any(sum(1 for c in row if not c) >= 5 for row in region):
            _table_missing(report, spec)  # a heading and no table
            return
        values = [Value("blank", None, "")] * width  # a skeleton: a grid of empty cells
    if len(values) == width:
        it = iter(values)
        for r in rows:
            for c in r.columns:
                report.cells[(spec.code, r.code, c)] = _cell(spec.code, r.code, c, next(it))
        return
    from govstats.reading.recovery import rows as recovery

    recovery.recover_flat(report, spec, values)
