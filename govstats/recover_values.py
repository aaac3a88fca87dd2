"""Rows whose numbers did not come out one per cell: recover them by the identities, or leave
them null with a finding. Never guess."""

from __future__ import annotations

from govstats.model import Cell, Finding, Report
from govstats.readers import Rows
from govstats.tables import RowRead
from govstats.template import TableSpec
from govstats.tokens import Value


def _unresolved(report: Report, table: str, row: str, columns: tuple[str, ...], raw: str) -> None:
    for c in columns:
        report.cells[(table, row, c)] = Cell(table, row, c, None, "text", raw)
    report.add(Finding("unresolved_values", "warning", table, row,
                       message_zh=f"数字粘连或缺失，无法唯一拆分：{raw}",
                       message_en=f"numbers run together or missing and cannot be split uniquely: {raw}"))


def recover_rows(report: Report, spec: TableSpec, pending: dict[str, RowRead], region: Rows) -> None:
    for code, rr in pending.items():
        _unresolved(report, spec.code, code, rr.spec.columns, " ".join(v.raw for v in rr.values))


def recover_flat(report: Report, spec: TableSpec, values: list[Value]) -> None:
    raw = " ".join(v.raw for v in values)
    for r in spec.rows_for(report.template or "2021"):
        _unresolved(report, spec.code, r.code, r.columns, raw)
