"""What reading a report produces: a Report with every cell's value, state and raw text, plus findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from govstats.template import TABLES, national_format

Number = int | float
# number: printed digits; blank: empty cell; dash: "/", "-", "—" or "无" (not applicable);
# text: words where a number belongs; missing: the cell (or its row) is not in the document.
State = Literal["number", "blank", "dash", "text", "missing"]
Severity = Literal["error", "warning", "info"]
CellKey = tuple[str, str, str]

# Report.status: "parsed" for the 2019/2021/hybrid formats; "unsupported_format" for a report
# (usually before 2019) whose tables are not in a supported format: metadata only.
STATUSES = ("parsed", "unsupported_format")

# Every synthetic document says so in its own text; a report containing this is synthetic.
SYNTHETIC_MARKER = "【合成示例数据】"


class NotAReport(ValueError):
    """The input is not a readable report; the message is the one-line reason."""


@dataclass
class Cell:
    table: str
    row: str
    column: str
    value: Number | None
    state: State
    raw: str = ""


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
