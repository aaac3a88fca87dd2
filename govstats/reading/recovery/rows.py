"""Rows whose numbers did not come out one per cell (`640020470` for seven cells): recover them by
the identities (govstats.reading.recovery.readings) and, for part 二, by the figures the report's own narrative gives;
accept a value only when no other reading is left, else leave it null with a finding. Never guess.

Three kinds of rows, each standing alone (one row that cannot be read never nulls another):
- digits that split exactly one way (one digit per cell, `6100000`): the printed values, kept even
  when they break an identity (the check then reports it: a printed inconsistency is data);
- fewer digits than cells (`000000` for seven: a blank cell vanished): blanks read as 0 wherever
  the identities hold with them, accepted when every such reading agrees;
- more digits than cells: the readings the identities allow, accepted when one is left.
Part 二 has no identities: there a row stands only when it has exactly one digit per cell; a cell
the narrative states (`制发规范性文件88件`) also stands, and so does the whole row when the stated
figures leave one split; anything else is null with a warning.
"""

from __future__ import annotations

from govstats.format import TableSpec, national_format
from govstats.reading.formats import Rows
from govstats.reading.normalize import nfkc, simplified, squash
from govstats.reading.recovery import readings
from govstats.reading.report import Cell, Finding, Origin, Report
from govstats.reading.sentences import about_this_year, figure_rules, regional, split_sentences
from govstats.reading.tables import RowRead
from govstats.reading.tokens import Value

_MAX_VANISHED = 2  # blank cells that may have vanished from one row of scraped text


def narrative_hints(rows: Rows, year: int | None) -> dict[str, int]:
    """Figures for normative_documents the narrative states (column -> number), first mention each;
    the patterns are the format's narrative figures (national_format.toml). Only sentences about this
    report count: not another year, a comparison or a whole region (全区制发规范性文件49件)."""
    text = squash(simplified(nfkc("".join(c for r in rows for c in r if len(c) > 20))))
    sentences = [s for s in split_sentences(text) if about_this_year(s, year) and not regional(s)]
    out = {}
    for rule, _, patterns, _ in figure_rules():
        (table, row, col), *more = rule.cells
        if (table, row) != ("disclosure", "normative_documents") or more:
            continue
        for pattern in patterns:
            for sentence in sentences:
                if col not in out and (m := pattern.search(sentence)):
                    out[col] = int(m.group(1))
    return out


def _tokens(values: list[Value]) -> list[str] | None:
    """Digit strings of a row's values; None when a value is not a whole number (dash, text, decimal,
    digits of another script) or is beyond any count."""
    if not any(v.glued for v in values) or any(
        v.kind != "number" or not isinstance(v.number, int) or v.number < 0 for v in values if not v.glued
    ):
        return None
    toks = [v.raw if v.glued else str(v.number) for v in values]
    return toks if all(t.isascii() and t.isdigit() for t in toks) else None


def _put(report: Report, table: str, row: str, columns: tuple[str, ...], values: tuple[int, ...], raw: str,
         origin: Origin = "split") -> None:
    for c, v in zip(columns, values, strict=True):
        report.cells[(table, row, c)] = Cell(table, row, c, v, "number", raw, origin)


def _unresolved(report: Report, table: str, row: str, columns: tuple[str, ...], raw: str,
                keep: dict[str, tuple[int, Origin]] | None = None) -> None:
    keep = keep or {}
    for c in columns:
        value, origin = keep.get(c, (None, "split"))
        report.cells[(table, row, c)] = Cell(table, row, c, value, "number" if c in keep else "text", raw, origin)
    report.add(Finding("unresolved_values", "warning", table, row,
                       message_zh=f"数字粘连或缺失，无法唯一拆分，相关单元格记为空值：{raw}",
                       message_en=f"numbers run together or missing and no unique split exists; cells left null: {raw}"))


BY_DIGITS = ("数字唯一的读法", "the only way the digits split")
BY_CELL_DIGIT = ("每格一位数字", "one digit per cell")
BY_ROW = ("本行勾稽关系", "the row's identity")
BY_IDENTITIES = ("勾稽关系", "the identities")
BY_NARRATIVE = ("正文所述数字", "the narrative's figures")


def _recovered(report: Report, table: str, row: str, raw: str, how: tuple[str, str], detail: str = "") -> None:
    report.add(Finding("recovered_values", "info", table, row,
                       message_zh=f"粘连的数字“{raw}”按{how[0]}{detail}拆分",
                       message_en=f"run-together digits '{raw}' split by {how[1]}{detail}"))


def _candidates(table: str, template: str, code: str, toks: list[str],
                budget: readings.Budget) -> tuple[readings.Splits, bool]:
    """The readings of one row, and whether they are the printed digits' only split (which stands
    whatever the identities say)."""
    width = len(national_format().tables[table].row(code, template).columns)
    plain = readings.splits(toks, width, limit=2, budget=budget)
    if len(plain) == 1:
        return plain, True
    missing = width - sum(map(len, toks))
    if not plain and not plain.cut and 0 < missing <= _MAX_VANISHED:
        return readings.readings_with_blanks(table, template, code, toks, blanks=missing, budget=budget), False
    return readings.row_candidates(table, template, code, toks, budget=budget), False


def recover_rows(report: Report, spec: TableSpec, pending: dict[str, RowRead], rows: Rows) -> None:
    """Fill the cells of ``pending`` rows of ``spec``'s table: recovered, or null with a finding."""
    template = report.template or "2021"
    table = spec.code
    candidates: dict[str, readings.Splits] = {}
    printed: set[str] = set()
    raws: dict[str, str] = {}
    budget = readings.Budget()  # shared by the table's rows
    for code, rr in pending.items():
        raw = " ".join(v.raw for v in rr.values)
        raws[code] = raw
        toks = _tokens(rr.values)
        if toks is None:
            _unresolved(report, table, code, rr.spec.columns, raw)
            continue
        candidates[code], only = _candidates(table, template, code, toks, budget)
        if only:
            printed.add(code)
    if not candidates:
        return
    if table == "disclosure":
        _disclosure(report, spec, candidates, printed, raws, narrative_hints(rows, report.year))
        return
    fixed = {}
    for r in spec.rows_for(template):
        vals = [report.cells.get((table, r.code, c)) for c in r.columns]
        if all(v is not None and v.state == "number" and isinstance(v.value, int) for v in vals):
            fixed[r.code] = tuple(v.value for v in vals)  # type: ignore[union-attr]
    # A row with one reading by its own digits or identity is settled whatever the columns say: a
    # printed table may break the column identities (they are then reported), and that must not hide it.
    single = {code: c[0] for code, c in candidates.items() if len(c) == 1}
    rest = {code: c for code, c in candidates.items() if code not in single}
    sol = readings.solve_table(table, template, rest, fixed | single) if rest else None
    for code in candidates:
        columns = spec.row(code, template).columns
        value = single.get(code) or (sol.accepted.get(code) if sol else None)
        if value is not None:
            _put(report, table, code, columns, value, raws[code])
            how = BY_DIGITS if code in printed else BY_ROW if code in single else BY_IDENTITIES
            _recovered(report, table, code, raws[code], how)
        else:
            _unresolved(report, table, code, columns, raws[code])


def _disclosure(report: Report, spec: TableSpec, candidates: dict[str, readings.Splits], printed: set[str],
                raws: dict[str, str], hints: dict[str, int]) -> None:
    """Part 二 has no identities: a row stands when its digits are one per cell; otherwise only the
    cells the narrative states stand, the rest are null."""
    template = report.template or "2021"
    for code, cands in candidates.items():
        columns = spec.row(code, template).columns
        if code in printed and sum(map(len, raws[code].split())) == len(columns):
            _put(report, spec.code, code, columns, cands[0], raws[code])
            _recovered(report, spec.code, code, raws[code], BY_CELL_DIGIT)
            continue
        options = list(cands)
        stated: dict[str, int] = {}
        if code == "normative_documents":
            for col, v in hints.items():
                if col in columns:
                    narrowed = [g for g in options if g[columns.index(col)] == v]
                    if narrowed:
                        options, stated[col] = narrowed, v
        keep: dict[str, tuple[int, Origin]] = {c: (v, "narrative") for c, v in stated.items()}
        if stated and len(options) == 1:  # the stated figures leave one split: it stands with them
            _put(report, spec.code, code, columns, options[0], raws[code], "narrative")
            _recovered(report, spec.code, code, raws[code], BY_NARRATIVE)
            continue
        _unresolved(report, spec.code, code, columns, raws[code], keep)
        if keep:
            figures = ", ".join(f"{c}={v}" for c, (v, _) in keep.items())
            _recovered(report, spec.code, code, raws[code], BY_NARRATIVE, f" ({figures})")


def recover_flat(report: Report, spec: TableSpec, values: list[Value]) -> None:
    """Part 四 printed as one run of digits: split by I4 in each group of five; each row whose
    value is the same in every reading stands, the others are null."""
    template = report.template or "2021"
    rows = spec.rows_for(template)
    raw = " ".join(v.raw for v in values)
    toks = _tokens(values)
    accepted: dict[str, tuple[int, ...]] = {}
    if toks is not None:
        cands = readings.split_flat_review(toks, template=template, budget=readings.Budget())
        accepted = readings.solve_table(spec.code, template, {readings.FLAT: cands}, {}).accepted
    for r in rows:
        if r.code in accepted:
            _put(report, spec.code, r.code, r.columns, accepted[r.code], raw)
            _recovered(report, spec.code, r.code, raw, BY_IDENTITIES)
        else:
            _unresolved(report, spec.code, r.code, r.columns, raw)
