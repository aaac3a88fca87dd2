"""Defects real reports show, injected into a synthetic document and described for the manifest.

Defects in the numbers change the Report (a broken total, a missing table, zeros left blank);
defects in the printing set ``Quirks`` for the writer. Each format only gets the defects it can
show (GBK is a text/HTML encoding; digits run together only in scraped text; a page break only
in a PDF).
"""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import combinations

from govstats.format import national_format
from govstats.reading.recovery import readings
from govstats.reading.report import Report
from govstats.synth import narrative
from govstats.synth.printing import Quirks

KINDS = (
    "broken_total",
    "missing_table",
    "zeros_blank",
    "footer_in_table",
    "gbk_encoding",
    "traditional_title",
    "concatenated_digits",
    "pdf_page_break",
    "figures_before_table",
    "slipped_row",
    "flattened_text",
)
_EVERY_FORMAT = ("broken_total", "missing_table", "zeros_blank", "traditional_title", "figures_before_table", "slipped_row")
BY_FORMAT: dict[str, tuple[str, ...]] = {
    "txt": (*_EVERY_FORMAT, "footer_in_table", "gbk_encoding", "concatenated_digits", "flattened_text"),
    "html": (*_EVERY_FORMAT, "footer_in_table", "gbk_encoding"),
    "docx": (*_EVERY_FORMAT, "footer_in_table"),
    "pdf": (*_EVERY_FORMAT, "pdf_page_break"),
    "scan": (*_EVERY_FORMAT, "pdf_page_break"),
}
# The table a defect is about (the one its finding should name); "" for document-wide defects.
TABLE_OF = {
    "broken_total": "applications",
    "zeros_blank": "applications",
    "footer_in_table": "applications",
    "concatenated_digits": "applications",
    "pdf_page_break": "applications",
    "slipped_row": "applications",
}


def unique_split(digits: str, parts: int = 7) -> bool:
    """Whether the run-together cells of an applications row split back in exactly one way:
    ``parts`` numbers without leading zeros whose last is the sum of the others (identity 3)."""
    n = len(digits)
    if n < parts or n > 24:  # longer rows have too many splits to try (and rarely a unique one)
        return False
    found = 0
    for cuts in combinations(range(1, n), parts - 1):
        bounds = (0, *cuts, n)
        nums = [digits[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if any(len(x) > 1 and x[0] == "0" for x in nums):
            continue
        values = [int(x) for x in nums]
        if sum(values[:-1]) == values[-1]:
            found += 1
            if found > 1:
                return False
    return found == 1


def _concat_row(report: Report, rng: random.Random) -> str | None:
    """An applications row with some non-zero value whose digits split back uniquely (else any
    row that does, else None)."""
    rows: dict[str, list] = {}
    for (t, r, _), cell in report.cells.items():
        if t == "applications":
            rows.setdefault(r, []).append(cell.value)
    ok = [r for r, vals in rows.items() if unique_split("".join(str(v) for v in vals))]
    busy = [r for r in ok if any(rows[r])]
    pool = busy or ok
    return rng.choice(pool) if pool else None


def _slip(report: Report) -> str:
    """The 总计 of 本年新收 printed one row down, in 上年结转 (平潭 2023: `6100000` then `0000007`):
    identity 3 breaks in both rows, identity 1 still holds."""
    new, over = ("applications", "new_received", "total"), ("applications", "carried_over", "total")
    moved = report.cells[new].value
    if not moved:
        return ""
    report.cells[new] = replace(report.cells[new], value=0)
    report.cells[over] = replace(report.cells[over], value=report.cells[over].value + moved)
    return f"applications.new_received.total {moved} printed in carried_over.total (row slipped)"


def _flattenable(report: Report) -> bool:
    """Whether every row of the report, its cells run together, reads back as exactly one reading.
    Part 二 rows of several cells are made one digit per cell first (the only way such a row can be
    read back: part 二 has no identities), and signs and 2019 procurement amounts are dropped."""
    template = report.template or "2021"
    for (t, r, c), cell in report.cells.items():
        if t == "disclosure" and isinstance(cell.value, int | float) and len(_row_of(report, t, r)) > 1:
            cell.value = int(abs(cell.value)) % 10 if c != "amount" else 0
    fmt = national_format()
    for r in fmt.tables["applications"].rows_for(template):
        toks = ["".join(str(report.value("applications", r.code, c)) for c in r.columns)]
        if len(readings.splits(toks, len(r.columns), limit=2)) != 1 and len(
                readings.row_candidates("applications", template, r.code, toks, limit=2)) != 1:
            return False
    flat = "".join(str(report.value(*k)) for k in fmt.cell_codes(template) if k[0] == "review_litigation")
    return len(readings.split_flat_review([flat], template=template, limit=2)) == 1


def _row_of(report: Report, table: str, row: str) -> list[str]:
    return [c for (t, r, c) in report.cells if t == table and r == row]


def inject(report: Report, kind: str, rng: random.Random) -> tuple[Report, Quirks, str]:
    """The report and quirks that show ``kind``, and a one-line description of what was done."""
    if kind == "broken_total":
        key = ("applications", "total_processed", "total")
        cell = report.cells[key]
        delta = rng.randint(1, 5) * (rng.choice((-1, 1)) if cell.value > 5 else 1)
        report.cells[key] = replace(cell, value=cell.value + delta)
        return report, Quirks(), f"applications.total_processed.total printed {cell.value + delta} instead of {cell.value}"
    if kind == "missing_table":
        # without part 二 a 2019 report cannot be told from a hybrid one: drop part 二 only in 2021 ones
        table = rng.choice(("disclosure", "review_litigation")) if report.template == "2021" else "review_litigation"
        report.cells = {k: c for k, c in report.cells.items() if k[0] != table}
        return report, Quirks(), f"table {table} left out"
    if kind == "zeros_blank":
        n = 0
        for k, c in report.cells.items():
            if k[0] == "applications" and c.value == 0:
                report.cells[k] = replace(c, state="blank")
                n += 1
        return report, Quirks(), f"{n} zero cells of applications printed blank"
    if kind == "footer_in_table":
        return report, Quirks(footer_in_table=True), "page footer printed inside table applications"
    if kind == "gbk_encoding":
        return report, Quirks(encoding="gbk"), "document encoded in GBK"
    if kind == "traditional_title":
        return report, Quirks(traditional_title=True), "title in traditional characters"
    if kind == "concatenated_digits":
        row = _concat_row(report, rng)
        if row is None:
            return report, Quirks(), ""
        return report, Quirks(concatenated_row=row), f"applications.{row} cells run together without separators"
    if kind == "pdf_page_break":
        return report, Quirks(page_break_in_table=True), "table applications split across a page break"
    if kind == "figures_before_table":
        sentences = tuple(narrative.figure_sentences(report, rng).items())
        return report, Quirks(sentences=sentences), "sentences with figures between each table's heading and table"
    if kind == "slipped_row":
        return report, Quirks(), _slip(report)
    if kind == "flattened_text":
        if not _flattenable(report):
            return report, Quirks(), ""
        return report, Quirks(flattened=True), "body as scraped page text: lines and cells run together"
    raise ValueError(f"unknown defect kind {kind}")
