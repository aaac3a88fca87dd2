"""Checks across years for one agency (spec §4, identities 6 and 7) and missing years.

A report is compared with the same agency's report of the year before, in the same scope; the
finding belongs to the report of year t.
"""

from __future__ import annotations

import pandas as pd

from govstats.corpus.places import UNKNOWN
from govstats.corpus.schema import columns

CHECKS = {
    "carry_over": ("error", "上年结转应等于上一年度报告的结转下年度", "carried over must equal last year's carried forward"),
    "normative_stock": (
        "warning",
        "现行有效规范性文件数应约等于上年现行有效加本年制发减本年废止",
        "normative documents in force should equal last year's + made - repealed",
    ),
    "missing_year": ("info", "缺少上一年度的报告", "the report of the year before is missing"),
}
TOLERANCE = 0.0


def _finding(rid: str, check: str, table: str = "", row: str = "", column: str = "", expected=None, printed=None) -> dict:
    severity, zh, en = CHECKS[check]
    return {
        "report_id": rid, "check": check, "severity": severity, "table": table, "row": row, "column": column,
        "expected": expected, "printed": printed, "message": f"{zh} / {en}",
    }


# One agency: the same agency key (govstats.corpus.places) in the same place and scope; real and
# synthetic reports are never one agency.
# An unplaced report is not compared: 鼓楼区人民政府 of four cities would be one agency.
KEY = ["synthetic", "province", "city", "county", "agency_key", "scope"]


def pairs(reports: pd.DataFrame) -> pd.DataFrame:
    """(report_id of t, report_id of t-1 or NA) for each agency's consecutive years."""
    placed = reports["province"].notna() & (reports["province"] != UNKNOWN)
    named = reports["agency_key"].notna() & (reports["agency_key"] != "")
    r = reports[placed & named & reports["year"].notna() & (reports["status"] == "parsed")]
    r = r.sort_values([*KEY, "year", "source_path"]).drop_duplicates([*KEY, "year"])
    r = r[["report_id", *KEY, "year"]]
    prev = r.assign(year=r["year"] + 1).rename(columns={"report_id": "prev_id"})
    merged = r.merge(prev, on=[*KEY, "year"], how="left")
    first = merged.groupby(KEY)["year"].transform("min")
    return merged[merged["year"] > first]


def year_findings(reports: pd.DataFrame, applications: pd.DataFrame, disclosure: pd.DataFrame,
                  consecutive: pd.DataFrame | None = None) -> list[dict]:
    """Findings of the across-year checks; an empty list when no agency has two years.
    ``consecutive``: ``pairs(reports)`` when the caller has it already."""
    out: list[dict] = []
    consecutive = pairs(reports) if consecutive is None else consecutive
    if consecutive.empty:
        return out
    for rid in consecutive.loc[consecutive["prev_id"].isna(), "report_id"]:
        out.append(_finding(rid, "missing_year"))
    consecutive = consecutive[consecutive["prev_id"].notna()]
    cols = list(columns("applications"))
    over = applications.loc[applications["row"] == "carried_over", ["report_id", *cols]]
    fwd = applications.loc[applications["row"] == "carried_forward", ["report_id", *cols]]
    both = consecutive.merge(over, on="report_id").merge(fwd, left_on="prev_id", right_on="report_id", suffixes=("", "_prev"))
    for c in cols:
        now, before = both[c], both[f"{c}_prev"]
        bad = both[now.notna() & before.notna() & (now != before)]
        for rid, b, a in zip(bad["report_id"], bad[f"{c}_prev"], bad[c], strict=True):
            out.append(_finding(rid, "carry_over", "applications", "carried_over", c, float(b), float(a)))
    nd = disclosure[disclosure["row"] == "normative_documents"].pivot_table(
        index="report_id", columns="column", values="value", aggfunc="first"
    )
    if not {"made", "repealed", "valid"} <= set(nd.columns):
        return out
    nd = nd[["made", "repealed", "valid"]]
    both = consecutive.merge(nd, left_on="report_id", right_index=True).merge(
        nd[["valid"]], left_on="prev_id", right_index=True, suffixes=("", "_prev")
    )
    expected = both["valid_prev"] + both["made"] - both["repealed"]
    bad = both[expected.notna() & both["valid"].notna() & ((both["valid"] - expected).abs() > TOLERANCE)]
    for rid, e, p in zip(bad["report_id"], expected[bad.index], bad["valid"], strict=True):
        out.append(_finding(rid, "normative_stock", "disclosure", "normative_documents", "valid", float(e), float(p)))
    return out
