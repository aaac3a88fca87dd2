"""What reading a report produces: a Report with every cell's value, state and raw text, plus findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from govstats.format import TABLES, national_format

Number = int | float
# number: printed digits; blank: empty cell; dash: "/", "-", "—" or "无" (not applicable);
# text: words where a number belongs, or digits run together that could not be split (value null);
# missing: the cell (or its row) is not in the document.
State = Literal["number", "blank", "dash", "text", "missing"]
# How a value was obtained. Only "printed" and "blank_zero" stand on their own; the others must be
# corroborated by an identity that holds (govstats.reading.checks.flag_uncorroborated), else they carry a
# warning. code -> (中文说明, meaning); the data dictionary lists them.
ORIGINS: dict[str, tuple[str, str]] = {
    "printed": ("印刷在本单元格", "its own printed cell"),
    "blank_zero": ("空白单元格按 0 读取（勾稽关系成立）", "a blank cell read as 0 (the identities hold with it)"),
    "split": ("从粘连的数字中拆分", "split from digits that ran together"),
    "narrative": ("从粘连的数字中按正文所述数字拆分", "split from run-together digits by a figure the narrative states"),
    "row_order": ("数字与标签分离，按表格行序归入", "numbers detached from their label, placed by the format's row order"),
    "identity": ("空白或缺失，由勾稽关系推得", "blank or missing, derived from an identity"),
    "ocr": ("由扫描图像文字识别（OCR）读取，附识别置信度", "read by OCR from a scanned image, with the recogniser's confidence"),
}
Origin = Literal["printed", "blank_zero", "split", "narrative", "row_order", "identity", "ocr"]
Severity = Literal["error", "warning", "info"]
CellKey = tuple[str, str, str]

# The largest value a cell may hold. Counts are stored as 32-bit integers, amounts (万元, 元) as
# 64-bit floats; a printed number beyond these is no count or amount of any report (20 digits, a
# run of digits that is not a number): the cell is null with a value_out_of_range error.
MAX_COUNT = 2**31 - 1
MAX_AMOUNT = 10**15
# The largest file read: `govstats parse` and `govstats ingest` reject larger ones (--max-size).
MAX_SIZE = 50 * 1024 * 1024

# Report.status: "parsed" for the 2019/2021/hybrid formats; "unsupported_format" for a report
# (usually before 2019) whose tables are not in a supported format: metadata only.
STATUSES = ("parsed", "unsupported_format")

# The findings reading a report can give, besides the identities of national_format.toml:
# code -> (severity, 中文说明, meaning). The data dictionary lists them.
READ_CHECKS: dict[str, tuple[str, str, str]] = {
    "I5_nonnegative_integer": ("error", "计数为负数或不是整数", "a count is negative or not a whole number"),
    "value_out_of_range": ("error", "数值过大，不可能是计数或金额，记为空值", "a number too large for any count or amount: left null"),
    "table_missing": ("error", "未找到某一表格", "a table of the format was not found"),
    "row_missing": ("warning", "未找到表格中的某一行", "a row of the table was not found"),
    "metadata_missing": ("warning", "标题中未读出机关或年度", "agency or year not found in the title"),
    "blank_as_zero": ("info", "空白单元格按 0 读取（勾稽关系成立）", "blank cells read as 0 (the identities hold with them)"),
    "blank_recovered": ("warning", "空白单元格不是 0，由勾稽关系推得其值", "a blank cell is not 0; an identity gives its value"),
    "blank_unresolved": ("warning", "空白单元格不是 0，且无法确定，记为空值", "a blank cell is not 0 and nothing determines it: null"),
    "recovered_values": ("info", "粘连的数字已唯一拆分", "run-together digits split uniquely (identities or the narrative)"),
    "unresolved_values": ("warning", "粘连或缺失的数字无法唯一拆分，记为空值", "run-together or missing numbers with no unique split: null"),
    "row_by_order": ("info", "数字与标签分离，按行序归入", "numbers detached from their label, placed by the format's row order"),
    "narrative_in_table": ("info", "表格部分中的叙述数字未作为表格数值读取", "figures in sentences around a table were not read as cells"),
    "section_missing": ("warning", "未找到报告的某一部分", "a part (section) of the report was not found"),
    "section_empty": ("warning", "报告的某一部分无实质内容", "a part says nothing (empty or boilerplate only)"),
    "fees_not_stated": ("warning", "第六部分未说明是否收取信息处理费", "part 六 does not say whether processing fees were charged"),
    "text_table_mismatch": ("warning", "正文所述数字与表格不一致", "a figure the text states differs from the table"),
    "uncorroborated_value": ("warning", "数值不是本单元格印刷的数字，且无勾稽关系印证", "a value not printed in its own cell that no identity corroborates"),
    "row_order_unsafe": ("warning", "标签分离的数字在无勾稽关系的表格中，记为空值", "detached numbers in a table without identities, in scraped text: left null"),
    "stray_values": ("info", "忽略了不属于任何行的数值", "values that belong to no row were ignored"),
    "year_before_format": ("warning", "标题年度早于 2019 年，但表格为 2019/2021 格式", "title year before 2019 but the tables are a supported format"),
    "unit_converted": ("info", "以元为单位的金额已换算为万元", "an amount printed in yuan was converted to 10,000 yuan"),
    "unsupported_format": ("info", "2019 年以前的格式，仅读取元数据", "a pre-2019 format: metadata only"),
    "traditional_characters": ("info", "标题为繁体字", "title printed in traditional characters"),
    "page_footer_in_table": ("info", "表格中夹有页脚，已忽略", "page footers inside a table were ignored"),
    "encoding_not_utf8": ("info", "文件不是 UTF-8 编码", "the file is not UTF-8 (GBK/GB18030, Big5 …)"),
    "table_split_across_pages": ("info", "表格跨页断开，已拼接", "a table continued across a page break was joined"),
    "read_by_ocr": ("info", "扫描页面经文字识别（OCR）读取", "scanned pages were read by OCR"),
    "ocr_table_not_found": ("warning", "识别出数字但未找到表格线，数字未按表格读取", "an OCR'd page has figures but no ruled table was found"),
    "ocr_confusion_corrected": ("info", "识别混淆字符（I/l/O…）按勾稽关系唯一更正为数字", "OCR look-alikes (I, l, O …) read as digits: the identities hold with exactly that reading"),
    "ocr_reread_corrected": ("info", "违反勾稽关系的单元格按其另一识别结果读取，勾稽关系唯一成立", "a cell that broke an identity read as the recogniser's other reading of it: the identities hold with exactly that one"),
}

# Every synthetic document says so in its own text; a report containing this is synthetic.
SYNTHETIC_MARKER = "【合成示例数据】"


class NotAReport(ValueError):
    """The input is not a readable report; the message is the one-line reason."""


@dataclass(slots=True)
class Cell:
    table: str
    row: str
    column: str
    value: Number | None
    state: State
    raw: str = ""
    origin: Origin = "printed"
    confidence: float | None = None  # origin "ocr": the recogniser's confidence in the printed text


@dataclass
class Finding:
    check: str
    severity: Severity
    table: str = ""
    row: str = ""
    column: str = ""
    expected: Number | None = None
    printed: Number | None = None
    message_zh: str = ""
    message_en: str = ""

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}" if self.message_zh else self.message_en


@dataclass
class Report:
    agency: str | None
    year: int | None
    template: str | None
    source_path: str = ""
    source_format: str = ""
    sha256: str = ""
    status: str = "parsed"
    title: str = ""
    synthetic: bool = False
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    parts: tuple[str, ...] = ()  # the parts (sections) found, by heading or by their table
    published: str | None = None  # yyyy-mm-dd, as the document prints it
    narrative: str = ""  # the report's own words, the format's fixed wording removed (for copy checks)

    def value(self, table: str, row: str, column: str) -> Number | None:
        cell = self.cells.get((table, row, column))
        return None if cell is None else cell.value

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def tables(self) -> dict[str, dict[str, dict[str, Number | None]]]:
        """Values nested table -> row -> column, in the printed order of the template."""
        out: dict[str, dict[str, dict[str, Number | None]]] = {t: {} for t in TABLES}
        if self.template is None:
            return out
        for t, r, c in national_format().cell_codes(self.template):
            out[t].setdefault(r, {})[c] = self.value(t, r, c)
        return out

    def to_dict(self) -> dict:
        """The JSON shape of spec §7, plus metadata and each cell's state and raw text."""
        return {
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "status": self.status,
            "title": self.title,
            "synthetic": self.synthetic,
            "parts": list(self.parts),
            "published": self.published,
            "source": {"path": self.source_path, "format": self.source_format, "sha256": self.sha256},
            "tables": self.tables(),
            "cells": [asdict(c) for c in self.cells.values()],
            "findings": [
                {
                    "check": f.check,
                    "severity": f.severity,
                    "table": f.table,
                    "row": f.row,
                    "column": f.column,
                    "expected": f.expected,
                    "printed": f.printed,
                    "message": f.message,
                    "message_zh": f.message_zh,
                    "message_en": f.message_en,
                }
                for f in self.findings
            ],
        }
