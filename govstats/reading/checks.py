"""Identities 1–5 of spec §4 on one report, and what blank cells mean.

A blank cell is 0 when an identity it takes part in holds with it read as 0. Otherwise it is
unknown (a blank 总计 beside non-zero parts); when an identity then has that one unknown, the identity gives its value (recorded as a
finding); else it stays null with a finding. Printed numbers that break an identity are kept as
printed and reported as errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from operator import attrgetter, itemgetter

from govstats.format import Identity, national_format
from govstats.reading.report import MAX_COUNT, Cell, CellKey, Finding, Number, Report

_EPS = 1e-6
_VALUE = attrgetter("value")


@dataclass(frozen=True)
class Instance:
    """One identity applied to one column (or row): lhs cells must sum to rhs cells."""

    identity: Identity
    at: str  # the row or column it is applied to
    lhs: tuple[CellKey, ...]
    rhs: tuple[CellKey, ...]
    cells: tuple[CellKey, ...]


def instances(report: Report) -> tuple[Instance, ...]:
    """Every identity instance whose cells the report's template has."""
    return () if report.template is None else _index(report.template).instances


@dataclass(frozen=True)
class _Index:
    """The instances of one template, and per cell the positions of the instances it is in, so
    that a blank cell looks at its own identities rather than at all of them."""

    instances: tuple[Instance, ...]
    by_cell: dict[CellKey, tuple[int, ...]]
    totals: frozenset[CellKey]  # cells that are the whole left side of an identity (总计)
    cells: Callable[[dict], tuple]  # every cell the instances name, in one C-level lookup
    sides: tuple[tuple[Callable[[list], tuple], Callable[[list], tuple]], ...]  # per instance: its lhs, rhs values


@cache
def _index(template: str) -> _Index:
    insts = tuple(_generate(template))
    by_cell: dict[CellKey, list[int]] = {}
    for n, inst in enumerate(insts):
        for k in inst.cells:
            if n not in by_cell.setdefault(k, []):
                by_cell[k].append(n)
    totals = frozenset(i.lhs[0] for i in insts if len(i.lhs) == 1)
    position = {k: i for i, k in enumerate(by_cell)}
    sides = tuple((_picker([position[k] for k in i.lhs]), _picker([position[k] for k in i.rhs])) for i in insts)
    return _Index(insts, {k: tuple(v) for k, v in by_cell.items()}, totals, _picker(list(by_cell)), sides)


def _picker(keys: list) -> Callable:
    """The items of ``keys`` from a dict or list, always as a tuple, in one C-level call."""
    if len(keys) == 1:
        return lambda items, key=keys[0]: (items[key],)
    return itemgetter(*keys)


def _generate(template: str) -> Iterator[Instance]:
    fmt = national_format()
    for ident in fmt.identities:
        table = fmt.tables[ident.table]
        rows = [r.code for r in table.rows_for(template)]
        if ident.for_each == "column":
            cols = {c for r in table.rows_for(template) for c in r.columns}
            for col in (c for c in table.columns if c in cols):
                lhs = tuple((ident.table, r, col) for r in ident.lhs if r in rows)
                rhs = tuple((ident.table, r, col) for r in ident.rhs if r in rows)
                yield Instance(ident, col, lhs, rhs, lhs + rhs)
        else:
            for row in rows:
                lhs = tuple((ident.table, row, c) for c in ident.lhs)
                rhs = tuple((ident.table, row, c) for c in ident.rhs)
                yield Instance(ident, row, lhs, rhs, lhs + rhs)


def _sums(cells: dict[CellKey, Cell], inst: Instance) -> tuple[Number, Number] | None:
    """Left and right sums of ``inst``, or None when one of its cells is missing or null."""
    try:
        return sum([cells[k].value for k in inst.lhs]), sum([cells[k].value for k in inst.rhs])  # type: ignore[misc]
    except (KeyError, TypeError):  # a cell the report lacks, or a null value
        return None


def holds(cells: dict[CellKey, Cell], inst: Instance) -> bool | None:
    """Whether the identity instance holds (None: a cell of it has no value)."""
    sums = _sums(cells, inst)
    return None if sums is None else abs(sums[0] - sums[1]) < _EPS


def resolve_blanks(report: Report) -> None:
    """Give each blank cell its value: 0, a value an identity implies, or null (with findings).

    A blank total (the one cell on the left of an identity: 总计, （七）总计) is what its parts add
    to, so a blank 总计 beside non-zero parts is recovered, not read as 0. Other blank cells are 0
    while the identities they take part in hold; when one fails and a single blank can make it
    hold, the identity gives that cell's value; else the cell is null. Every case is a finding.
    """
    cells = report.cells
    blanks = {k for k, c in cells.items() if c.state == "blank"}
    if not blanks:
        return
    index = _index(report.template) if report.template is not None else _Index((), {}, frozenset(), lambda d: (), ())
    insts, by_cell = index.instances, index.by_cell
    totals = blanks & index.totals
    for k in blanks:
        cells[k].value = None if k in totals else 0
    recovered: dict[CellKey, str] = {}
    unknown = set(totals)
    progress = True
    while progress and unknown:
        progress = False
        # only the identities an unknown cell is in can have exactly one unknown (in printed order)
        for n in sorted({n for k in unknown for n in by_cell.get(k, ())}):
            inst = insts[n]
            missing = [k for k in inst.cells if k in unknown]
            if len(missing) != 1 or any(cells[c].value is None for c in inst.cells if c != missing[0] and c in cells):
                continue
            value = _solve(report, inst, missing[0])
            if value is not None:
                cells[missing[0]].value = value
                unknown.discard(missing[0])
                if value:
                    recovered[missing[0]] = inst.identity.id
                progress = True
    for n in sorted({n for k in blanks for n in by_cell.get(k, ())}):  # identities without a blank: nothing to do
        inst = insts[n]
        if holds(cells, inst) is not False:
            continue
        parts = [k for k in inst.cells if k in blanks and k not in totals and cells[k].value == 0]
        if len(parts) == 1 and (value := _solve(report, inst, parts[0])) is not None:
            cells[parts[0]].value = value
            if all(holds(cells, insts[i]) is not False for i in by_cell[parts[0]]):
                recovered[parts[0]] = inst.identity.id
                continue
            cells[parts[0]].value = 0
        for k in parts:
            cells[k].value = None
            unknown.add(k)
    for k in blanks:
        cells[k].origin = "identity" if k in recovered else "blank_zero"
    zeros = sum(1 for k in blanks if cells[k].value == 0)
    if zeros:
        report.add(Finding("blank_as_zero", "info", message_zh=f"{zeros} 个空白单元格按 0 读取",
                           message_en=f"{zeros} blank cells read as 0 (the identities hold with them as 0)"))
    for k, ident in recovered.items():
        value = cells[k].value
        report.add(Finding("blank_recovered", "warning", k[0], k[1], k[2], expected=value,
                           message_zh=f"空白单元格不能读作 0，由勾稽关系（{ident}）推得 {value}",
                           message_en=f"blank cell is not 0; identity {ident} gives {value}"))
    for k in sorted(unknown):
        report.add(Finding("blank_unresolved", "warning", k[0], k[1], k[2],
                           message_zh="空白单元格不能读作 0，且无法由勾稽关系确定，记为空值",
                           message_en="blank cell is not 0 and no identity determines it: left null"))


def _solve(report: Report, inst: Instance, k: CellKey) -> int | float | None:
    """The value of cell ``k`` that makes ``inst`` hold, given its other cells; None if negative
    (or beyond any count)."""
    lhs = sum(report.cells[c].value or 0 for c in inst.lhs if c != k)
    rhs = sum(report.cells[c].value or 0 for c in inst.rhs if c != k)
    value = rhs - lhs if k in inst.lhs else lhs - rhs
    return value if 0 <= value <= MAX_COUNT else None


def _all_sums(report: Report) -> list[tuple[Number, Number] | None]:
    """The sums of every instance, in order (computed once: several checks use them)."""
    if report.template is None:
        return []
    index = _index(report.template)
    try:
        values = list(map(_VALUE, index.cells(report.cells)))
    except KeyError:  # the report lacks a cell: instance by instance
        return [_sums(report.cells, inst) for inst in index.instances]
    out: list[tuple[Number, Number] | None] = []
    for lhs, rhs in index.sides:
        try:
            out.append((sum(lhs(values)), sum(rhs(values))))
        except TypeError:  # a null value
            out.append(None)
    return out


def _report_identities(report: Report, all_sums: list[tuple[Number, Number] | None]) -> None:
    for inst, sums in zip(instances(report), all_sums, strict=True):
        if sums is None or abs(sums[0] - sums[1]) < _EPS:
            continue
        ident = inst.identity
        by_column = ident.for_each == "column"
        lhs, rhs = sums
        report.add(Finding(
            ident.id, ident.severity, ident.table,
            row="" if by_column else inst.at,
            column=inst.at if by_column else "",
            expected=_num(rhs), printed=_num(lhs),
            message_zh=f"{ident.zh}（{inst.at}：印刷 {_num(lhs)}，应为 {_num(rhs)}）",
            message_en=f"{ident.en} ({inst.at}: printed {_num(lhs)}, parts add to {_num(rhs)})",
        ))


_EXACT = 2**53  # integers up to this are exact as floats


def check_values(report: Report) -> None:
    """Identity 5: counts are non-negative integers (fees and 2019 changes may be otherwise)."""
    fmt = national_format()
    for (t, _, c), cell in report.cells.items():
        v = cell.value
        if not v or (type(v) is int and 0 < v <= _EXACT):  # None, 0, a positive whole number: nothing to flag
            continue
        spec = fmt.column(t, c)
        if not spec.signed and cell.value < 0:
            report.add(_bad(cell, "负数", "negative count"))
        elif not spec.decimal and float(cell.value) != int(cell.value):
            report.add(_bad(cell, "计数不是整数", "count is not a whole number"))


def _bad(cell: Cell, zh: str, en: str) -> Finding:
    return Finding("I5_nonnegative_integer", "error", cell.table, cell.row, cell.column, printed=cell.value,
                   message_zh=f"{zh}：{cell.raw}", message_en=f"{en}: {cell.raw}")


def _num(x: Number) -> Number:
    if isinstance(x, int):
        return x
    return int(x) if x.is_integer() else round(x, 6)


# Origins that stand on their own: the cell's own printing (a blank read as 0 only where the
# identities hold with it). An "identity" value already carries its blank_recovered warning.
_SELF_EVIDENT = frozenset({"printed", "blank_zero", "identity", "narrative"})


def _zeros(raw: str) -> bool:
    """Digits that are all 0: however they split, every cell is 0."""
    digits = raw.replace(" ", "")
    return digits.isdigit() and set(digits) == {"0"}


def uncorroborated(report: Report, all_sums: list[tuple[Number, Number] | None] | None = None) -> list[Cell]:
    """Values that did not come from their own printed cell (split from run-together digits, placed
    by row order) and that no identity they take part in corroborates (it holds with every cell
    known). A row placed by row order is corroborated only by an identity down a column (one across
    its own cells holds wherever the row is put). Part 二 has no identities: every such value there
    is one, unless its digits were all zeros (then every split gives zeros). ``all_sums``: the
    instances' sums, when already known."""
    cells = report.cells
    loose = [(k, c) for k, c in cells.items() if c.value is not None and c.origin not in _SELF_EVIDENT]
    if not loose:  # every value is its own printed cell (most reports): nothing to corroborate
        return []
    index = _index(report.template) if report.template is not None else None
    by_cell = index.by_cell if index is not None else {}
    if all_sums is None:
        all_sums = _all_sums(report)

    def holding(n: int, down_only: bool) -> bool:
        sums = all_sums[n]
        if down_only and index.instances[n].identity.for_each != "column":
            return False
        return sums is not None and abs(sums[0] - sums[1]) < _EPS

    # a run of zeros is zeros however it splits, but an OCR'd 0 may be a misread: it is never exempt
    return [c for k, c in loose if not any(holding(n, c.origin == "row_order") for n in by_cell.get(k, ()))
            and not (c.origin != "ocr" and _zeros(c.raw))]


def flag_uncorroborated(report: Report, all_sums: list[tuple[Number, Number] | None] | None = None) -> None:
    """The rule against silent wrong numbers: each row with uncorroborated values gets a warning
    naming them."""
    loose: dict[tuple[str, str], list[Cell]] = {}
    for cell in uncorroborated(report, all_sums):
        loose.setdefault((cell.table, cell.row), []).append(cell)
    for (table, row), cells in loose.items():
        names = ", ".join(f"{c.column}={_num(c.value)}" for c in cells)  # type: ignore[arg-type]
        how = "/".join(sorted({c.origin for c in cells}))
        report.add(Finding("uncorroborated_value", "warning", table, row,
                           message_zh=f"以下数值不是本单元格印刷的数字（{how}），且无勾稽关系印证：{names}（原文“{cells[0].raw}”）",
                           message_en=f"values not printed in their own cells ({how}) that no identity corroborates: "
                                      f"{names} (printed '{cells[0].raw}')"))


def run_checks(report: Report) -> None:
    resolve_blanks(report)
    all_sums = _all_sums(report)  # values do not change after resolve_blanks
    _report_identities(report, all_sums)
    check_values(report)
    flag_uncorroborated(report, all_sums)
