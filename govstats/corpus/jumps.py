"""Year-on-year jumps worth a look (issue 14): a count ten times or a tenth of the same agency's
count the year before. Not an error: a reorganisation or a campaign can do it; a person decides."""

from __future__ import annotations

import pandas as pd

from govstats.format import national_format

FACTOR = 10
MIN_COUNT = 20  # the larger of the two years must reach this: 0 -> 3 is not a jump worth a look, 0 -> 20 is
# (table, row, column) followed from year to year
WATCHED = (
    ("applications", "new_received", "total"),
    ("applications", "total_processed", "total"),
    ("disclosure", "licensing", "decisions"),
    ("disclosure", "punishment", "decisions"),
    ("disclosure", "coercion", "decisions"),
)
CHECKS = {"yoy_jump": ("info", "与上一年度相比变化十倍以上", "ten times or a tenth of the agency's figure the year before")}


def jumps(pairs: pd.DataFrame, values: pd.DataFrame) -> list[dict]:
    """Findings for watched cells that moved by FACTOR or more between consecutive years.

    ``pairs``: report_id, prev_id (the same agency's year before). ``values``: report_id, table, row,
    column, value (long cells; those not watched are left aside)."""
    severity, zh, en = CHECKS["yoy_jump"]
    keys = pd.DataFrame(WATCHED, columns=["table", "row", "column"])
    v = values.merge(keys, on=["table", "row", "column"])[["report_id", "table", "row", "column", "value"]]
    both = pairs.merge(v, on="report_id").merge(v, left_on=["prev_id", "table", "row", "column"],
                                                 right_on=["report_id", "table", "row", "column"], suffixes=("", "_prev"))
    now, before = both["value"], both["value_prev"]
    big = pd.concat([now, before], axis=1).max(axis=1) >= MIN_COUNT
    moved = (now >= FACTOR * before) | (before >= FACTOR * now)
    hits = both[big & moved & now.notna() & before.notna()]
    return [{"report_id": rid, "check": "yoy_jump", "severity": severity, "table": t, "row": r, "column": c,
             "expected": float(b), "printed": float(a),
             "message": f"{zh}：{_name(t, r, c, 'zh')} 由 {b:g} 变为 {a:g} / {en}: {_name(t, r, c, 'en')} from {b:g} to {a:g}"}
            for rid, t, r, c, a, b in hits[["report_id", "table", "row", "column", "value", "value_prev"]].itertuples(index=False)]


def _name(table: str, row: str, column: str, lang: str) -> str:
    """The watched cell as the format prints it: 本年新收政府信息公开申请数量（总计）."""
    spec = national_format().tables[table]
    r = next(x for x in spec.rows if x.code == row)
    col = spec.columns[column]
    return f"{r.zh}（{col.zh}）" if lang == "zh" else f"{r.en} ({col.en})"
