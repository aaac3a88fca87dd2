"""Rows whose numbers did not come out one per cell (`640020470` for seven cells): recover them by
the identities (govstats.recover) and, for part 二, by the figures the report's own narrative gives;
accept a value only when no other reading is left, else leave it null with a finding. Never guess."""

from __future__ import annotations

import re

from govstats import recover
from govstats.model import Cell, Finding, Report
from govstats.normalize import nfkc, simplified, squash
from govstats.readers import Rows
from govstats.tables import RowRead
from govstats.template import TableSpec
from govstats.tokens import Value

# Narrative sentences that state a part 二 figure: `动态更新本年度制发的规范性文件77件`.
_HINTS = {
    "made": re.compile(r"(?:制发|制定|出台|印发)[^。；，,]{0,12}?规范性文件(\d+)件"),
    "repealed": re.compile(r"废止[^。；，,]{0,12}?规范性文件(\d+)件"),
    "valid": re.compile(r"现行有效[^。；，,]{0,12}?规范性文件(\d+)件"),
}


def narrative_hints(rows: Rows) -> dict[str, int]:
    """Figures for normative_documents the narrative states (column -> number), first mention each."""
    text = squash(simplified(nfkc("".join(c for r in rows for c in r if len(c) > 20))))
    out = {}
    for col, pat in _HINTS.items():
        m = pat.search(text)
        if m:
            out[col] = int(m.group(1))
    return out


def _tokens(values: list[Value]) -> list[str] | None:
    """Digit strings of a row's values; None when a value is not a whole number (dash, text, decimal)."""
    if not any(v.glued for v in values) or any(v.kind != "number" or not isinstance(v.number, int) for v in values):
        return None
    return [v.raw if v.glued else str(v.number) for v in values]


def _put(report: Report, table: str, row: str, columns: tuple[str, ...], values: tuple[int, ...], raw: str) -> None:
    for c, v in zip(columns, values, strict=True):
        report.cells[(table, row, c)] = Cell(table, row, c, v, "number", raw)


def _unresolved(report: Report, table: str, row: str, columns: tuple[str, ...], raw: str,
                keep: dict[str, int] | None = None) -> None:
    keep = keep or {}
    for c in columns:
        report.cells[(table, row, c)] = Cell(table, row, c, keep.get(c), "number" if c in keep else "text", raw)
    report.add(Finding("unresolved_values", "warning", table, row,
                       message_zh=f"数字粘连或缺失，无法唯一拆分，相关单元格记为空值：{raw}",
                       message_en=f"numbers run together or missing and no unique split exists; cells left null: {raw}"))


def _recovered(report: Report, table: str, row: str, raw: str, how: str) -> None:
    report.add(Finding("recovered_values", "info", table, row,
                       message_zh=f"粘连的数字“{raw}”按{how}唯一拆分",
                       message_en=f"run-together digits '{raw}' split uniquely by {how}"))


def recover_rows(report: Report, spec: TableSpec, pending: dict[str, RowRead], rows: Rows) -> None:
    """Fill the cells of ``pending`` rows of ``spec``'s table: recovered, or null with a finding."""
    template = report.template or "2021"
    table = spec.code
    candidates: dict[str, recover.Splits] = {}
    raws: dict[str, str] = {}
    for code, rr in pending.items():
        raw = " ".join(v.raw for v in rr.values)
        raws[code] = raw
        toks = _tokens(rr.values)
        if toks is None:
            _unresolved(report, table, code, rr.spec.columns, raw)
            continue
        candidates[code] = recover.row_candidates(table, template, code, toks)
    if not candidates:
        return
    if table == "disclosure":
        _disclosure(report, spec, candidates, raws, narrative_hints(rows))
        return
    fixed = {}
    for r in spec.rows_for(template):
        vals = [report.cells.get((table, r.code, c)) for c in r.columns]
        if all(v is not None and v.state == "number" and isinstance(v.value, int) for v in vals):
            fixed[r.code] = tuple(v.value for v in vals)  # type: ignore[union-attr]
    # A row with one reading by its own identity is settled whatever the columns say: a printed
    # table may break the column identities (they are then reported), and that must not hide it.
    single = {code: c[0] for code, c in candidates.items() if len(c) == 1}
    rest = {code: c for code, c in candidates.items() if code not in single}
    sol = recover.solve_table(table, template, rest, fixed | single) if rest else None
    for code in candidates:
        columns = spec.row(code, template).columns
        value = single.get(code) or (sol.accepted.get(code) if sol else None)
        if value is not None:
            _put(report, table, code, columns, value, raws[code])
            how = "本行勾稽关系 / the row's identity" if code in single else "勾稽关系 / the identities"
            _recovered(report, table, code, raws[code], how)
        else:
            _unresolved(report, table, code, columns, raws[code])


def _disclosure(report: Report, spec: TableSpec, candidates: dict[str, recover.Splits], raws: dict[str, str],
                hints: dict[str, int]) -> None:
    """Part 二 has no identities: a row resolves when it has one reading, or when the narrative's
    figures leave one; columns equal in every remaining reading are kept."""
    template = report.template or "2021"
    for code, cands in candidates.items():
        columns = spec.row(code, template).columns
        readings = list(cands)
        used = []
        if code == "normative_documents":
            for col, v in hints.items():
                if col in columns:
                    narrowed = [g for g in readings if g[columns.index(col)] == v]
                    if narrowed:
                        readings, used = narrowed, [*used, f"{col}={v}"]
        how = "正文所述数字 / the narrative's figures " + ", ".join(used) if used else "唯一读法 / the only reading"
        if len(readings) == 1:
            _put(report, spec.code, code, columns, readings[0], raws[code])
            _recovered(report, spec.code, code, raws[code], how)
            continue
        keep = {c: readings[0][i] for i, c in enumerate(columns)
                if readings and all(g[i] == readings[0][i] for g in readings)}
        _unresolved(report, spec.code, code, columns, raws[code], keep)
        if keep:
            _recovered(report, spec.code, code, raws[code], how + f" ({', '.join(keep)})")


def recover_flat(report: Report, spec: TableSpec, values: list[Value]) -> None:
    """Part 四 printed as one run of digits: split by I4 in each group of five."""
    template = report.template or "2021"
    rows = spec.rows_for(template)
    raw = " ".join(v.raw for v in values)
    toks = _tokens(values)
    if toks is not None:
        cands = recover.split_flat_review(toks, template=template)
        sol = recover.solve_table(spec.code, template, {recover.FLAT: cands}, {})
        if all(r.code in sol.accepted for r in rows):
            for r in rows:
                _put(report, spec.code, r.code, r.columns, sol.accepted[r.code], raw)
            _recovered(report, spec.code, "", raw, "勾稽关系 / the identities")
            return
    for r in rows:
        _unresolved(report, spec.code, r.code, r.columns, raw)
