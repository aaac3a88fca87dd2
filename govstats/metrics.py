"""The metrics of spec §6, computed from a Corpus into tidy DataFrames.

Every function takes a Corpus (anything with the frames ``reports``, ``applications``,
``disclosure``, ``review_litigation``, ``findings``) and ``by=``: one grouping or a list of them
among agency, county, city, province, level, year, or any other column of ``reports`` such as the
one ``with_area`` adds (``None`` or ``[]`` for the whole corpus).
``county`` groups by province, city and county, and ``city`` by province and city, because the same
county name exists in several provinces.

Rates are pooled (sum of numerators over sum of denominators within a group), and ``<NA>`` where
the denominator is 0: most small agencies report nothing, and an average of their ratios would be
dominated by them.

Scope: a regional summary (全市汇总) repeats its members' numbers, so it must never be summed with
own reports. Functions default to ``scope="own"``; ``scope="regional_summary"`` selects the
summaries; ``scope=None`` keeps both but adds ``scope`` to the grouping, so they stay apart.
"""

from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace
from typing import Any

import pandas as pd

from govstats.template import national_format

GROUPINGS = ("agency", "county", "city", "province", "level", "year")
_EXPANDED = {"county": ["province", "city", "county"], "city": ["province", "city"]}

# Outcome categories of the applications table, by code prefix (the codes are the data contract).
OUTCOME_PREFIXES = {
    "granted": "granted",
    "partial": "partial",
    "denied": "denied_",
    "unable": "unable_",
    "not_processed": "not_processed_",
    "other": "other_",
}
REFUSAL_GROUPS = ("denied", "unable", "not_processed")
REVIEW_RESULTS = ("maintained", "corrected", "other_result")

# Labels of the metrics themselves (spec §6; they are not printed in the reports).
METRIC_LABELS = {
    "reports": ("报告数", "Reports"),
    "workload": ("办理量（新收+上年结转）", "Workload (new + carried over)"),
    "carry_over_rate": ("结转率", "Carry-over rate"),
    "rate_broad": ("公开率（广义）", "Disclosure rate (broad)"),
    "rate_substantive": ("公开率（实质）", "Disclosure rate (substantive)"),
    "review_rate": ("行政复议率", "Review rate"),
    "litigation_rate": ("行政诉讼率", "Litigation rate"),
    "correction_rate": ("纠错率", "Correction rate"),
    "identity_failure_rate": ("勾稽关系不符比例", "Share failing an identity"),
    "all_zero_rate": ("全零报告比例", "Share of all-zero reports"),
    "share": ("占比", "Share"),
    "count": ("件数", "Count"),
    "change": ("同比变化", "Change on last year"),
    "combined": ("合计", "Combined"),
    "litigation": ("行政诉讼", "Litigation"),
    "province": ("省", "Province"),
    "city": ("市", "City"),
    "county": ("县", "County"),
    "agency": ("机关", "Agency"),
    "level": ("层级", "Level"),
    "year": ("年度", "Year"),
    "scope": ("范围", "Scope"),
    "own": ("本机关", "Own report"),
    "regional_summary": ("地区汇总", "Regional summary"),
    "area": ("范围", "Area"),
    "outcome": ("办理结果", "Outcome"),
    "applicant": ("申请人类型", "Applicant"),
    "group": ("类别", "Group"),
    "ground": ("理由", "Ground"),
    "row": ("项目", "Item"),
    "column": ("指标", "Measure"),
    "value": ("数值", "Value"),
    "previous": ("上年", "Previous year"),
    "granted_partial": ("公开与部分公开", "Granted or partly granted"),
    "concluded": ("已审结", "Concluded"),
    "identity_failures": ("勾稽关系不符报告数", "Reports failing an identity"),
    "all_zero": ("全零报告数", "All-zero reports"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "n_errors": ("错误", "Errors"),
    "n_warnings": ("警告", "Warnings"),
    "template": ("格式模板", "Template"),
    "source_format": ("来源格式", "Source format"),
    "status": ("状态", "Status"),
    "check": ("检查", "Check"),
    "severity": ("严重程度", "Severity"),
    "message": ("说明", "Message"),
    "table": ("表", "Table"),
}
LEVEL_LABELS = {
    "province_gov": ("省级政府", "Provincial government"),
    "city_gov": ("市级政府", "City government"),
    "county_gov": ("县级政府", "County government"),
    "department": ("政府部门", "Department"),
    "township": ("乡镇（街道）", "Township or street office"),
    "unknown": ("未定", "Unknown"),
}


@cache
def application_rows() -> tuple[str, ...]:
    """Every row code of the applications table, in template order, each once."""
    return tuple(dict.fromkeys(r.code for r in national_format().tables["applications"].rows))


@cache
def outcome_rows() -> dict[str, tuple[str, ...]]:
    """Outcome category -> its row codes (2019's other_total and 2021's other_* both fall in "other")."""
    return {
        cat: tuple(c for c in application_rows() if c == prefix or (prefix.endswith("_") and c.startswith(prefix)))
        for cat, prefix in OUTCOME_PREFIXES.items()
    }


def applicant_columns() -> tuple[str, ...]:
    """Applicant-type columns of the applications table (without the printed total)."""
    return tuple(c for c in national_format().tables["applications"].columns if c != "total")


def group_keys(by: str | list[str] | None, scope: str | None = "own") -> list[str]:
    """The report columns a grouping stands for, in order, each once."""
    items = [] if by is None else [by] if isinstance(by, str) else list(by)
    keys: list[str] = []
    for item in items:
        keys.extend(k for k in _EXPANDED.get(item, [item]) if k not in keys)
    if scope is None and "scope" not in keys:
        keys.append("scope")
    return keys


def _reports(corpus: Any, scope: str | None, keys: list[str] = ()) -> pd.DataFrame:
    reports = corpus.reports.copy()
    unknown = [k for k in keys if k not in reports]
    if unknown:
        raise ValueError(f"unknown grouping {unknown[0]!r}; use one of {', '.join(GROUPINGS)} or a reports column")
    reports["report_id"] = reports["report_id"].astype(str)
    if scope is not None:
        reports = reports[reports["scope"].astype(str) == scope]
    return reports


def _keyed(corpus: Any, table: str, keys: list[str], scope: str | None) -> pd.DataFrame:
    """Rows of ``table`` with their report's grouping columns, for reports of ``scope``."""
    frame = getattr(corpus, table).copy()
    frame["report_id"] = frame["report_id"].astype(str)
    if "row" in frame:
        frame["row"] = frame["row"].astype(str)
    reports = _reports(corpus, scope, keys)[["report_id", *keys]]
    return frame.merge(reports, on="report_id", how="inner")


def _group_sum(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    if not keys:
        return frame[columns].sum().to_frame().T.astype("Int64")
    return frame.groupby(keys, observed=True, dropna=False, sort=True)[columns].sum().reset_index()


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den as Float64, <NA> where den is 0 or missing."""
    num = num.astype("Float64")
    den = den.astype("Float64")
    return (num / den.where(den != 0)).astype("Float64")


def with_area(corpus: Any, inside: pd.Series, name_in: str, name_out: str) -> SimpleNamespace:
    """The corpus with a reports column ``area``: ``name_in`` where ``inside`` holds, else ``name_out``.

    For comparisons such as one county against the rest of the corpus: ``by="area"``.
    """
    reports = corpus.reports.assign(area=pd.Series(name_out, index=corpus.reports.index).where(~inside, name_in))
    frames = {t: getattr(corpus, t) for t in ("applications", "disclosure", "review_litigation", "findings")}
    return SimpleNamespace(reports=reports, **frames)


def applications_wide(corpus: Any, by=None, column: str = "total", scope: str | None = "own") -> pd.DataFrame:
    """One line per group, one column per applications row code (values of ``column``), summed."""
    keys = group_keys(by, scope)
    apps = _keyed(corpus, "applications", keys, scope)
    rows = list(application_rows())
    if not keys:
        apps = apps.assign(_all=0)
    index = keys or ["_all"]
    grouped = apps.groupby([*index, "row"], observed=True, dropna=False)[column].sum(min_count=1)
    out = grouped.unstack("row").reindex(columns=rows).astype("Int64")
    out.columns.name = None
    out.insert(0, "reports", apps.groupby(index, observed=True, dropna=False)["report_id"].nunique().astype("Int64"))
    out = out.fillna({r: 0 for r in rows}).reset_index()
    return out.drop(columns="_all") if not keys else out


def volumes(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Volume N (new received), workload N + carried over, processed, carried forward and carry-over rate."""
    w = applications_wide(corpus, by, scope=scope)
    keys = group_keys(by, scope)
    out = w[[*keys, "reports", "new_received", "carried_over", "total_processed", "carried_forward"]].copy()
    out["workload"] = out["new_received"] + out["carried_over"]
    out["carry_over_rate"] = _ratio(out["carried_forward"], out["workload"])
    return out


def applicant_mix(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Share of each applicant type in new applications (shares of the six columns' sum, adding to 1)."""
    keys = group_keys(by, scope)
    apps = _keyed(corpus, "applications", keys, scope)
    cols = list(applicant_columns())
    sums = _group_sum(apps[apps["row"] == "new_received"], keys, cols)
    long = sums.melt(id_vars=keys, value_vars=cols, var_name="applicant", value_name="count")
    long["count"] = long["count"].astype("Int64")
    den = long.groupby(keys, dropna=False, observed=True)["count"].transform("sum") if keys else long["count"].sum()
    long["share"] = _ratio(long["count"], pd.Series(den, index=long.index))
    return long


def outcomes(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Outcome categories (granted, partial, denied, unable, not_processed, other) and their share of T."""
    keys = group_keys(by, scope)
    w = applications_wide(corpus, by, scope=scope)
    frames = []
    for cat, rows in outcome_rows().items():
        part = w[keys].copy()
        part["outcome"] = cat
        part["count"] = w[list(rows)].sum(axis=1).astype("Int64")
        part["share"] = _ratio(part["count"], w["total_processed"])
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def disclosure_rates(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """公开率: broad (granted + partial) / T and substantive (granted + partial) / (granted + partial + denied)."""
    keys = group_keys(by, scope)
    w = applications_wide(corpus, by, scope=scope)
    cats = outcome_rows()
    out = w[[*keys, "reports", "total_processed"]].copy()
    out["granted_partial"] = (w["granted"] + w["partial"]).astype("Int64")
    out["denied"] = w[list(cats["denied"])].sum(axis=1).astype("Int64")
    out["rate_broad"] = _ratio(out["granted_partial"], out["total_processed"])
    out["rate_substantive"] = _ratio(out["granted_partial"], out["granted_partial"] + out["denied"])
    return out


def refusal_grounds(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Each ground's share within its group: denied_*, unable_*, not_processed_*."""
    keys = group_keys(by, scope)
    w = applications_wide(corpus, by, scope=scope)
    frames = []
    for group in REFUSAL_GROUPS:
        rows = list(outcome_rows()[group])
        long = w.melt(id_vars=keys, value_vars=rows, var_name="ground", value_name="count") if keys else (
            w[rows].melt(var_name="ground", value_name="count"))
        long.insert(len(keys), "group", group)
        long["count"] = long["count"].astype("Int64")
        den = long.groupby(keys, dropna=False, observed=True)["count"].transform("sum") if keys else long["count"].sum()
        long["share"] = _ratio(long["count"], pd.Series(den, index=long.index))
        frames.append(long)
    return pd.concat(frames, ignore_index=True)


def review_litigation_rates(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Reviews and lawsuits (their printed totals) over T, the applications processed."""
    keys = group_keys(by, scope)
    rl = _keyed(corpus, "review_litigation", keys, scope)
    rl["kind"] = rl["row"].where(rl["row"] == "review", "litigation")
    index = keys or ["_all"]
    if not keys:
        rl = rl.assign(_all=0)
    counts = rl.groupby([*index, "kind"], observed=True, dropna=False)["total"].sum().unstack("kind")
    counts = counts.reindex(columns=["review", "litigation"]).astype("Int64").reset_index()
    counts.columns.name = None
    counts = counts.drop(columns="_all") if not keys else counts
    t = applications_wide(corpus, by, scope=scope)[[*keys, "total_processed"]]
    out = t.merge(counts, on=keys, how="left") if keys else pd.concat([t, counts], axis=1)
    out["review_rate"] = _ratio(out["review"], out["total_processed"])
    out["litigation_rate"] = _ratio(out["litigation"], out["total_processed"])
    return out


def _review_rows() -> tuple[str, ...]:
    return tuple(r.code for r in national_format().tables["review_litigation"].rows)


def correction_rates(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """纠错率 = corrected / (maintained + corrected + other_result) per row and combined; pending left out."""
    keys = group_keys(by, scope)
    rl = _keyed(corpus, "review_litigation", keys, scope)
    cols = [*REVIEW_RESULTS, "pending"]
    per_row = _group_sum(rl, [*keys, "row"], cols) if keys else _group_sum(rl, ["row"], cols)
    combined = _group_sum(per_row, keys, cols)
    combined["row"] = "combined"
    out = pd.concat([per_row, combined], ignore_index=True)
    out[cols] = out[cols].astype("Int64")
    out["concluded"] = out[list(REVIEW_RESULTS)].sum(axis=1).astype("Int64")
    out["correction_rate"] = _ratio(out["corrected"], out["concluded"])
    order = {r: i for i, r in enumerate([*_review_rows(), "combined"])}
    out = out.sort_values([*keys, "row"], key=lambda s: s.map(order) if s.name == "row" else s, kind="stable")
    return out[[*keys, "row", *cols, "concluded", "correction_rate"]].reset_index(drop=True)


def disclosure_counts(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Part 二 values summed per group, year, row and column, with the change on the previous year.

    Year is always part of the grouping. The change is <NA> when the previous year is absent for the
    group, row and column (2019-format columns such as new_made have no 2021 counterpart, so the
    formats' different measures are never subtracted from each other).
    """
    items = [] if by is None else [by] if isinstance(by, str) else list(by)
    keys = group_keys([*items, "year"] if "year" not in items else items, scope)
    d = _keyed(corpus, "disclosure", keys, scope)
    d["column"] = d["column"].astype(str)
    out = d.groupby([*keys, "row", "column"], observed=True, dropna=False)["value"].sum(min_count=1).reset_index()
    out["value"] = out["value"].astype("Float64")
    others = [k for k in keys if k != "year"]
    prev = out.assign(year=out["year"] + 1).rename(columns={"value": "previous"})
    out = out.merge(prev, on=[*keys, "row", "column"], how="left")
    out["change"] = (out["value"] - out["previous"]).astype("Float64")
    return out.sort_values([*others, "row", "column", "year"], kind="stable").reset_index(drop=True)


def data_quality(corpus: Any, by=None, scope: str | None = None) -> pd.DataFrame:
    """Per group: reports, those failing an accounting identity, all-zero reports, errors and warnings.

    Nothing is summed across reports here, so both scopes are kept by default (``scope=None`` adds
    ``scope`` to the grouping). An identity failure is a finding whose check is one of the identity
    ids of the national format; an all-zero report has table values and none of them is non-zero.
    """
    keys = group_keys(by, scope)
    reports = _reports(corpus, scope, keys)
    ids = {i.id for i in national_format().identities}
    findings = corpus.findings.copy()
    findings["report_id"] = findings["report_id"].astype(str)
    failing = set(findings.loc[findings["check"].astype(str).isin(ids), "report_id"])
    reports["identity_failure"] = reports["report_id"].isin(failing)
    reports["all_zero"] = reports["report_id"].isin(_all_zero_reports(corpus))
    for col in ("n_errors", "n_warnings"):
        reports[col] = reports[col].astype("Int64") if col in reports else pd.array([0] * len(reports), dtype="Int64")
    cols = ["identity_failure", "all_zero", "n_errors", "n_warnings"]
    if keys:
        out = reports.groupby(keys, observed=True, dropna=False).agg(
            reports=("report_id", "size"), **{c: (c, "sum") for c in cols}).reset_index()
    else:
        out = pd.DataFrame({"reports": [len(reports)], **{c: [reports[c].sum()] for c in cols}})
    out = out.rename(columns={"identity_failure": "identity_failures", "n_errors": "errors", "n_warnings": "warnings"})
    for col in ("reports", "identity_failures", "all_zero", "errors", "warnings"):
        out[col] = out[col].astype("Int64")
    out["identity_failure_rate"] = _ratio(out["identity_failures"], out["reports"])
    out["all_zero_rate"] = _ratio(out["all_zero"], out["reports"])
    return out


def _all_zero_reports(corpus: Any) -> set[str]:
    """Reports with some table values, every one of them 0 or blank (most townships: spec §1)."""
    parts = []
    apps = corpus.applications
    parts.append(pd.DataFrame({"report_id": apps["report_id"].astype(str),
                               "v": apps[list(applicant_columns()) + ["total"]].fillna(0).abs().sum(axis=1)}))
    rl = corpus.review_litigation
    parts.append(pd.DataFrame({"report_id": rl["report_id"].astype(str),
                               "v": rl[[*REVIEW_RESULTS, "pending", "total"]].fillna(0).abs().sum(axis=1)}))
    d = corpus.disclosure
    parts.append(pd.DataFrame({"report_id": d["report_id"].astype(str), "v": d["value"].fillna(0).abs()}))
    total = pd.concat(parts, ignore_index=True).groupby("report_id")["v"].sum()
    return set(total.index[total == 0])


def labelled(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A frame for reading: headers and code values as labels, rates and shares as percentages."""
    out = frame.copy()
    for col in out.columns:
        if col.endswith(("rate", "share")) or col.startswith("rate_"):
            out[col] = out[col].astype("Float64").map(lambda v: "–" if pd.isna(v) else f"{v:.1%}")
        elif col in ("row", "column", "outcome", "applicant", "group", "ground", "level", "scope"):
            out[col] = out[col].astype(str).map(lambda v: label(v, lang))
    return out.rename(columns=lambda c: label(c, lang))


def label(code: str, lang: str = "zh") -> str:
    """Display label of a code: a metric, a level, an outcome group, or any code of the national format."""
    i = 0 if lang == "zh" else 1
    if code in METRIC_LABELS:
        return METRIC_LABELS[code][i]
    if code in LEVEL_LABELS:
        return LEVEL_LABELS[code][i]
    return _format_labels(lang).get(code, code)


@cache
def _format_labels(lang: str) -> dict[str, str]:
    """Code -> label from the national format: rows and columns of every table, and outcome groups.

    Chinese labels drop the printed numbering (（一）, 1.) and long notes after a row's name
    (部分公开（区分处理的，…）) so that charts read cleanly.
    """
    fmt = national_format()
    zh = lang == "zh"
    out: dict[str, str] = {}
    for table in fmt.tables.values():
        for code, col in table.columns.items():
            out.setdefault(code, _unnumbered(col.zh) if zh else col.en)
        for row in table.rows:
            out.setdefault(row.code, re.sub(r"（[^（）]{6,}）$", "", _unnumbered(row.zh)) if zh else row.en)
    apps = {r.code: r for r in fmt.tables["applications"].rows}
    for cat, rows in outcome_rows().items():
        first = apps[rows[0]]
        if len(rows) == 1:
            out[cat] = out[first.code]
        elif zh:
            out[cat] = _unnumbered(first.group)
        else:
            out[cat] = first.en.split(":")[0]
    return out


def _unnumbered(text: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])+", "", text).strip()
