"""Report quality by place and year (issue 14): DataFrames in, DataFrames out, like ``metrics``.

A group's figures come from its reports' rows of the quality table: mean and median score, and the
share of reports with a part missing, an identity broken, text disagreeing with a table, text
copied, or published late (of those whose date is known). Groups with fewer than MIN_REPORTS
reports are not ranked: a league table of one or two reports says nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from govstats.analysis.metrics import _ratio, _reports, group_keys, wilson

MIN_REPORTS = 5
SHARES = {  # share column -> (quality column, test); the denominator is the group's reports
    "missing_share": ("parts_present", lambda s: s < 6),
    "identity_share": ("identity_breaks", lambda s: s > 0),
    "mismatch_share": ("text_table_mismatches", lambda s: s > 0),
    "copying_share": ("copied_share", lambda s: s.notna()),
}


def report_quality(corpus: Any, by=None, scope: str | None = "own", min_reports: int = MIN_REPORTS) -> pd.DataFrame:
    """Per group: reports, mean and median score, the shares above, late_share (of reports with a
    known date), each share's 95 % Wilson interval (``<share>_low``, ``<share>_high``) and ``rank``
    by mean score (NA below ``min_reports`` reports)."""
    keys = group_keys(by, scope)
    reports = _reports(corpus, scope, keys)[["report_id", *keys]]
    q = corpus.quality.astype({"report_id": str}).merge(reports, on="report_id", how="inner")
    q = q[q["score"].notna()]
    flags = pd.DataFrame({name: test(q[col]) for name, (col, test) in SHARES.items()}, index=q.index)
    flags["known_date"] = q["days_late"].notna()
    flags["late"] = q["days_late"].fillna(0) > 0
    frame = pd.concat([q[keys], q["score"].astype("Float64"), flags], axis=1)
    grouped = frame.groupby(keys, observed=True, dropna=False) if keys else frame.groupby(lambda _: 0)
    out = grouped.agg(reports=("score", "size"), mean_score=("score", "mean"), median_score=("score", "median"),
                      **{name: (name, "sum") for name in SHARES}, known_date=("known_date", "sum"),
                      late=("late", "sum")).reset_index(drop=not keys)
    counts = {name: (out[name], out["reports"]) for name in SHARES} | {"late_share": (out.pop("late"), out.pop("known_date"))}
    for name, (num, den) in counts.items():  # each share with its Wilson interval: groups are often small
        out[name] = _ratio(num, den)
        out[f"{name}_low"], out[f"{name}_high"] = wilson(num, den)
    small = out["reports"] < min_reports
    out["rank"] = out["mean_score"].where(~small).rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "mean_score"], ascending=[True, False], na_position="last", kind="stable")


def report_scores(corpus: Any, year: int | None = None) -> pd.DataFrame:
    """Each report's quality row with its agency and year (of ``year`` only, when given), lowest score
    first: what a county page lists."""
    ids = corpus.reports[["report_id", "agency", "year"]].astype({"report_id": str})
    scores = corpus.quality.drop(columns=["year"], errors="ignore").astype({"report_id": str})
    scores = scores.merge(ids, on="report_id")
    if year is not None:
        scores = scores[scores["year"] == year]
    return scores.sort_values(["score", "agency"], kind="stable").reset_index(drop=True)


def page_flags(corpus: Any, year: int | None = None) -> pd.DataFrame:
    """Warnings and errors with their review decision, those dismissed on review left out (they leave
    the pages), with agency and year (of ``year`` only, when given)."""
    from govstats.corpus.reviews import dismissed

    flags = corpus.flags.astype({"report_id": str})
    flags = flags[~flags["finding_id"].isin(dismissed(corpus.reviews))]
    ids = corpus.reports[["report_id", "agency", "year"]].astype({"report_id": str})
    flags = flags.drop(columns=["year"], errors="ignore").merge(ids, on="report_id")
    if year is not None:
        flags = flags[flags["year"] == year]
    return flags.sort_values(["year", "agency"], kind="stable").reset_index(drop=True)


def page_corrections(corpus: Any) -> pd.DataFrame:
    """The cells a reviewed correction changed in this corpus (empty without corrections): report,
    agency, year, table, row, column, printed and corrected value, reviewer. Pages list them."""
    fixes = corpus.corrections.astype({"report_id": str})
    ids = corpus.reports[["report_id", "agency", "year"]].astype({"report_id": str})
    return fixes.merge(ids, on="report_id")
