"""Known Reports for round-trip tests: every cell of a template filled, every identity holding."""

from __future__ import annotations

import random

from govstats.format import national_format
from govstats.reading.report import Cell, Report

FMT = national_format()


def known_report(template: str, seed: int = 1, zero: bool = False) -> Report:
    """A report of ``template`` whose values satisfy every identity (all 0 when ``zero``); no value is negative."""
    rng = random.Random(seed)
    n = (lambda hi: 0) if zero else (lambda hi: rng.randint(0, hi))
    values: dict[tuple[str, str, str], int | float] = {}
    for t, r, c in FMT.cell_codes(template):
        col = FMT.column(t, c)
        if t == "disclosure":
            values[t, r, c] = round(n(9999) / 100, 2) if col.decimal else n(50)
    apps = FMT.tables["applications"]
    outcomes = [r.code for r in apps.rows_for(template) if r.code not in _BALANCE]
    people = [c for c in apps.columns if c != "total"]
    for c in people:
        for r in outcomes:
            values["applications", r, c] = n(3)
        done = sum(values["applications", r, c] for r in outcomes)
        values["applications", "total_processed", c] = done
        values["applications", "carried_over", c] = over = n(2)
        values["applications", "carried_forward", c] = fwd = n(2)
        values["applications", "new_received", c] = done + fwd - over if done + fwd >= over else 0
        if done + fwd < over:
            values["applications", "carried_over", c] = done + fwd
    for r in apps.rows_for(template):
        values["applications", r.code, "total"] = sum(values["applications", r.code, c] for c in people)
    for r in FMT.tables["review_litigation"].rows_for(template):
        parts = [n(4) for _ in range(4)]
        for c, v in zip(("maintained", "corrected", "other_result", "pending"), parts, strict=True):
            values["review_litigation", r.code, c] = v
        values["review_litigation", r.code, "total"] = sum(parts)
    report = Report(agency="某某县发展和改革局", year=2023, template=template)
    for key, v in values.items():
        report.cells[key] = Cell(*key, value=v, state="number", raw=str(v))
    return report


_BALANCE = ("new_received", "carried_over", "total_processed", "carried_forward")
