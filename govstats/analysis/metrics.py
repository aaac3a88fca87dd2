"""The metrics of spec §6, computed from a Corpus into tidy DataFrames.

Every function takes a Corpus (anything with the frames ``reports``, ``applications``,
``disclosure``, ``review_litigation``, ``findings``) and ``by=``: one grouping or a list of them
among agency, county, city, province, level, year, or any other column of ``reports`` such as the
one ``with_area`` adds (``None`` or ``[]`` for the whole corpus).
``county`` groups by province, city and county, and ``city`` by province and city, because the same
county name exists in several provinces.

Rates are pooled (sum of numerators over sum of denominators within a group), and ``<NA>`` where
the denominator is 0: most small agencies report nothing, and an average of their ratios would be
dominated by them. A report whose needed cells are not numbers (an unresolved blank, a dash, words,
a missing cell: null in the dataset) is left out of a metric's sums and rates and counted in its
group's ``incomplete``; reading those cells as 0 would be a silent wrong number.

Labels (``label``, ``labelled``) come from the one registry, govstats.corpus.dictionary.

Scope: a regional summary (全市汇总) repeats its members' numbers, so it must never be summed with
own reports. Functions default to ``scope="own"``; ``scope="regional_summary"`` selects the
summaries; ``scope=None`` keeps both but adds ``scope`` to the grouping, so they stay apart.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace
from typing import Any

import pandas as pd

from govstats.corpus.dictionary import label, outcome_groups, table_of
from govstats.corpus.reviews import FLAG
from govstats.corpus.schema import row_codes
from govstats.format import national_format

GROUPINGS = ("agency", "county", "city", "province", "level", "year")
_EXPANDED = {"county": ["province", "city", "county"], "city": ["province", "city"]}
REFUSAL_GROUPS = ("denied", "unable", "not_processed")  # spec §6: the outcome groups that refuse

MIN_DENOMINATOR = 20
"""Below this denominator a rate is shown greyed and never ranked. An agency with 1 or 2 applications
has a rate of 0 % or 100 % that says nothing: at 20 the 95 % Wilson interval of a rate near 50 % is
still about ±20 points, below it wider than half the scale."""

# Every rate the metrics return: rate -> (numerator, denominator), the columns beside it in the frame.
# Tables show each rate with its counts and interval; rollups recompute rates from summed counts.
RATES: dict[str, tuple[str, str]] = {
    "carry_over_rate": ("carried_forward", "workload"),
    "rate_broad": ("granted_partial", "total_processed"),
    "rate_substantive": ("granted_partial", "decided"),
    "denial_rate": ("denied", "total_processed"),
    "unable_rate": ("unable", "total_processed"),
    "review_rate": ("review", "total_processed"),
    "litigation_rate": ("litigation", "total_processed"),
    "correction_rate": ("corrected", "concluded"),
    "identity_failure_rate": ("identity_failures", "reports"),
    "all_zero_rate": ("all_zero", "numeric"),
}
# The parts of a numerator or denominator that is a sum, for the formulas printed under tables.
PARTS: dict[str, tuple[str, ...]] = {
    "granted_partial": ("granted", "partial"), "decided": ("granted", "partial", "denied"),
    "workload": ("new_received", "carried_over"), "concluded": ("maintained", "corrected", "other_result"),
}


@cache
def review_results() -> tuple[str, ...]:
    """The concluded results of part 四 (the I4 identity's parts but pending), the correction rate's base."""
    i4 = next(i for i in national_format().identities if i.id == "I4_review_total")
    return tuple(c for c in i4.rhs if c != "pending")


def application_rows() -> tuple[str, ...]:
    """Every row code of the applications table, in template order, each once."""
    return row_codes("applications")


def outcome_rows() -> dict[str, tuple[str, ...]]:
    """Outcome group -> its row codes (2019's other_total and 2021's other_* both fall in "other")."""
    return outcome_groups()


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
    frame = getattr(corpus, table)
    frame = frame.drop(columns=[c for c in frame.columns if c in corpus.reports and c != "report_id"])  # places
    frame["report_id"] = frame["report_id"].astype(str)
    if "row" in frame:
        frame["row"] = frame["row"].astype(str)
    ints = [c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c].dtype)]
    frame[ints] = frame[ints].astype("Int64")  # 32-bit counts of a whole country must not overflow a sum
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


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every rate of RATES whose numerator and denominator columns it has (pooled)."""
    out = frame.copy()
    for rate, (num, den) in RATES.items():
        if num in out and den in out:
            out[rate] = _ratio(out[num], out[den])
    return out


def wilson(num: pd.Series, den: pd.Series, z: float = 1.96) -> tuple[pd.Series, pd.Series]:
    """Wilson score interval (95 % by default) of num/den: honest for small counts and for 0 % or 100 %,
    unlike the normal approximation. <NA> where den is 0 or missing, or num is not a part of den."""
    n = den.astype("Float64")
    p = _ratio(num, den)
    valid = (n > 0) & (num.astype("Float64") <= n)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (centre - half).where(valid).clip(lower=0), (centre + half).where(valid).clip(upper=1)


def with_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``<rate>_low`` and ``<rate>_high`` (Wilson, 95 %) beside every rate it holds."""
    out = frame.copy()
    for rate, (num, den) in RATES.items():
        if rate in out and num in out and den in out:
            out[f"{rate}_low"], out[f"{rate}_high"] = wilson(out[num], out[den])
    return out


def small_base(frame: pd.DataFrame, rate: str) -> pd.Series:
    """True where ``rate`` rests on fewer than MIN_DENOMINATOR cases (shown greyed, never ranked)."""
    den = frame[RATES[rate][1]].astype("Float64")
    return (den < MIN_DENOMINATOR).fillna(True).astype(bool)


def ranked(frame: pd.DataFrame, rate: str, ascending: bool = False) -> pd.DataFrame:
    """``frame`` sorted by ``rate`` with its ``rank`` (1 = highest); rates on a small base (below
    MIN_DENOMINATOR) get no rank and come last."""
    small = small_base(frame, rate)
    out = frame.assign(rank=frame[rate].where(~small).rank(ascending=ascending, method="min").astype("Int64"))
    return out.sort_values(["rank", rate], ascending=[True, ascending], na_position="last", kind="stable")


def rollup(frame: pd.DataFrame, keys: list[str], category: str | None = None) -> pd.DataFrame:
    """Counts summed over ``keys`` (and ``category``, such as outcome or applicant), rates and shares
    computed again from the sums: a city from its counties, a province from its cities."""
    index = [*keys, category] if category else list(keys)
    counts = [c for c in frame.columns if c not in index and pd.api.types.is_integer_dtype(frame[c].dtype)]
    out = frame.groupby(index, observed=True, dropna=False, sort=False)[counts].sum().reset_index()
    out = out.sort_values(list(keys), kind="stable").reset_index(drop=True)  # categories keep their order
    out[counts] = out[counts].astype("Int64")
    if category and "count" in out:
        if "total_processed" in out:
            out["share"] = _ratio(out["count"], out["total_processed"])
        else:
            den = out.groupby(keys, dropna=False, observed=True)["count"].transform("sum") if keys else out["count"].sum()
            out["share"] = _ratio(out["count"], pd.Series(den, index=out.index))
    return add_rates(out)


def year_on_year(frame: pd.DataFrame, columns: list[str], by: list[str] | None = None) -> pd.DataFrame:
    """``frame`` (one line per group and year) with ``<column>_change`` on the previous year of the same group
    and ``<column>_change_rate`` (relative); <NA> when the previous year is missing or its value is 0."""
    keys = list(by or [])
    prev = frame[[*keys, "year", *columns]].assign(year=frame["year"] + 1)
    merged = frame.merge(prev, on=[*keys, "year"], how="left", suffixes=("", "_prev"))
    for col in columns:
        before = merged[f"{col}_prev"].astype("Float64")
        merged[f"{col}_change"] = (merged[col].astype("Float64") - before).astype("Float64")
        merged[f"{col}_change_rate"] = _ratio(merged[f"{col}_change"], before)
    return merged.drop(columns=[f"{c}_prev" for c in columns])


def formula(rate: str, lang: str = "zh") -> str:
    """``公开率（广义）=（予以公开 + 部分公开）÷ 总计``: how a rate is computed, in the dictionary's labels."""
    def term(code: str) -> str:
        parts = PARTS.get(code)
        return f"（{' + '.join(label(p, lang) for p in parts)}）" if parts else label(code, lang)

    num, den = RATES[rate]
    return f"{label(rate, lang)} = {term(num)} ÷ {term(den)}"


def with_area(corpus: Any, inside: pd.Series, name_in: str, name_out: str) -> SimpleNamespace:
    """The corpus with a reports column ``area``: ``name_in`` where ``inside`` holds, else ``name_out``.

    For comparisons such as one county against the rest of the corpus: ``by="area"``.
    """
    reports = corpus.reports.assign(area=pd.Series(name_out, index=corpus.reports.index).where(~inside, name_in))
    frames = {t: getattr(corpus, t) for t in ("applications", "disclosure", "review_litigation", "findings")}
    return SimpleNamespace(reports=reports, **frames)


def _incomplete(frame: pd.DataFrame, rows, columns: list[str]) -> set[str]:
    """Reports with a null among ``columns`` of ``rows`` (all rows when None): an unresolved blank, a dash,
    words or a missing cell. Counting them as 0 would be a silent wrong number, so rates leave them out."""
    sel = frame if rows is None else frame[frame["row"].isin(list(rows))]
    return set(sel.loc[sel[columns].isna().any(axis=1), "report_id"])


def _counts(frame: pd.DataFrame, index: list[str], bad: set[str]) -> pd.DataFrame:
    """Reports per group and how many of them are incomplete, indexed by ``index``."""
    per_report = frame.drop_duplicates("report_id")[[*index, "report_id"]]
    per_report = per_report.assign(incomplete=per_report["report_id"].isin(bad))
    counts = per_report.groupby(index, observed=True, dropna=False).agg(
        reports=("report_id", "size"), incomplete=("incomplete", "sum"))
    return counts.astype("Int64")


def applications_wide(corpus: Any, by=None, column: str = "total", scope: str | None = "own",
                      needed: tuple[str, ...] | None = None, exclude: frozenset[str] = frozenset()) -> pd.DataFrame:
    """One line per group, one column per applications row code (values of ``column``), summed.

    ``reports`` counts the group's reports, ``incomplete`` those left out of the sums: a null in
    ``column`` of a ``needed`` row (every row when None), or a report in ``exclude``. Rows a report's
    template does not print count as 0.
    """
    keys = group_keys(by, scope)
    apps = _keyed(corpus, "applications", keys, scope)
    rows = list(application_rows())
    bad = _incomplete(apps, needed, [column]) | set(exclude)
    index = keys or ["_all"]
    if not keys:
        apps = apps.assign(_all=0)
    complete = apps[~apps["report_id"].isin(bad)]
    grouped = complete.groupby([*index, "row"], observed=True, dropna=False)[column].sum(min_count=1)
    sums = grouped.unstack("row").reindex(columns=rows).astype("Int64") if len(grouped) else None
    out = _counts(apps, index, bad)
    out = out.join(sums) if sums is not None else out.assign(**{r: pd.NA for r in rows})
    out = out.astype({r: "Int64" for r in rows}).fillna({r: 0 for r in rows})
    out.columns.name = None
    out = out.reset_index()
    out = out.drop(columns="_all") if not keys else out
    return with_corrected(out, keys, complete)


def with_corrected(out: pd.DataFrame, keys: list[str], *sources: pd.DataFrame) -> pd.DataFrame:
    """``out`` with ``corrected_reports``: per group, the reports among ``sources`` (rows with their
    grouping keys) that a reviewed correction changed, so every figure says whether it includes one.
    A corpus without corrections (no ``has_correction`` column) gets no column."""
    flagged = [f.loc[f[FLAG].astype(bool), ["report_id", *keys]] for f in sources if FLAG in f]
    if not flagged:
        return out
    fixed = pd.concat(flagged, ignore_index=True).drop_duplicates("report_id")
    if not keys:
        return out.assign(corrected_reports=pd.array([len(fixed)] * len(out), dtype="Int64"))
    counts = fixed.groupby(keys, observed=True, dropna=False).size().rename("corrected_reports").reset_index()
    out = out.drop(columns="corrected_reports", errors="ignore").merge(counts, on=keys, how="left")
    out["corrected_reports"] = out["corrected_reports"].fillna(0).astype("Int64")
    return out


_VOLUME_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
_CORRECTED = {"corrected_reports"}  # present when the corpus carries reviewed corrections


def volumes(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Volume N (new received), workload N + carried over, processed, carried forward and carry-over rate."""
    w = applications_wide(corpus, by, scope=scope, needed=_VOLUME_ROWS)
    keys = group_keys(by, scope)
    out = w[[*keys, "reports", "incomplete", *_VOLUME_ROWS, *_CORRECTED.intersection(w.columns)]].copy()
    out["workload"] = out["new_received"] + out["carried_over"]
    return add_rates(out)


def applicant_mix(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Share of each applicant type in new applications (shares of the six columns' sum, adding to 1)."""
    keys = group_keys(by, scope)
    apps = _keyed(corpus, "applications", keys, scope)
    cols = list(applicant_columns())
    new = apps[apps["row"] == "new_received"]
    bad = _incomplete(new, None, cols)
    sums = _group_sum(new[~new["report_id"].isin(bad)], keys, cols)
    long = sums.melt(id_vars=keys, value_vars=cols, var_name="applicant", value_name="count")
    long["count"] = long["count"].astype("Int64")
    den = long.groupby(keys, dropna=False, observed=True)["count"].transform("sum") if keys else long["count"].sum()
    long["share"] = _ratio(long["count"], pd.Series(den, index=long.index))
    return with_corrected(_with_incomplete(long, new, keys, bad), keys, new[~new["report_id"].isin(bad)])


def _with_incomplete(frame: pd.DataFrame, source: pd.DataFrame, keys: list[str], bad: set[str]) -> pd.DataFrame:
    """``frame`` with its group's count of incomplete reports (0 for the whole corpus when keys is empty)."""
    if not keys:
        return frame.assign(incomplete=pd.array([len(bad & set(source["report_id"]))] * len(frame), dtype="Int64"))
    counts = _counts(source, keys, bad)["incomplete"].reset_index()
    out = frame.merge(counts, on=keys, how="left")
    out["incomplete"] = out["incomplete"].fillna(0).astype("Int64")
    return out


def _outcome_needed() -> tuple[str, ...]:
    return (*(r for rows in outcome_rows().values() for r in rows), "total_processed")


def outcomes(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Outcome groups (granted, partial, denied, unable, not_processed, other) and their share of T."""
    keys = group_keys(by, scope)
    w = applications_wide(corpus, by, scope=scope, needed=_outcome_needed())
    frames = []
    for cat, rows in outcome_rows().items():
        part = w[keys].copy()
        part["outcome"] = cat
        part["count"] = w[list(rows)].sum(axis=1).astype("Int64")
        part["total_processed"] = w["total_processed"]
        part["share"] = _ratio(part["count"], w["total_processed"])
        part["incomplete"] = w["incomplete"]
        for col in _CORRECTED.intersection(w.columns):
            part[col] = w[col]
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def disclosure_rates(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """公开率: broad (granted + partial) / T and substantive (granted + partial) / (granted + partial + denied);
    不予公开率 denied / T and 无法提供率 unable / T."""
    keys = group_keys(by, scope)
    cats = outcome_rows()
    w = applications_wide(corpus, by, scope=scope,
                          needed=(*cats["granted"], *cats["partial"], *cats["denied"], *cats["unable"],
                                  "total_processed"))
    out = w[[*keys, "reports", "incomplete", "total_processed", *_CORRECTED.intersection(w.columns)]].copy()
    out["granted_partial"] = w[[*cats["granted"], *cats["partial"]]].sum(axis=1).astype("Int64")
    out["denied"] = w[list(cats["denied"])].sum(axis=1).astype("Int64")
    out["decided"] = (out["granted_partial"] + out["denied"]).astype("Int64")
    out["unable"] = w[list(cats["unable"])].sum(axis=1).astype("Int64")
    return add_rates(out)


def refusal_grounds(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Each ground's share within its group: denied_*, unable_*, not_processed_*."""
    keys = group_keys(by, scope)
    frames = []
    for group in REFUSAL_GROUPS:
        rows = list(outcome_rows()[group])
        w = applications_wide(corpus, by, scope=scope, needed=tuple(rows))
        ids = [*keys, "incomplete", *_CORRECTED.intersection(w.columns)]
        long = w.melt(id_vars=ids, value_vars=rows, var_name="ground", value_name="count")
        long.insert(len(keys), "group", group)
        long["count"] = long["count"].astype("Int64")
        den = long.groupby(keys, dropna=False, observed=True)["count"].transform("sum") if keys else long["count"].sum()
        long["share"] = _ratio(long["count"], pd.Series(den, index=long.index))
        frames.append(long[[*keys, "group", "ground", "count", "share", *ids[len(keys):]]])
    return pd.concat(frames, ignore_index=True)


def review_litigation_rates(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Reviews and lawsuits (their printed totals) over T, the applications processed."""
    keys = group_keys(by, scope)
    rl = _keyed(corpus, "review_litigation", keys, scope)
    bad = _incomplete(rl, None, ["total"])
    rl = rl[~rl["report_id"].isin(bad)]
    rl["kind"] = rl["row"].where(rl["row"] == "review", "litigation")
    index = keys or ["_all"]
    if not keys:
        rl = rl.assign(_all=0)
    counts = rl.groupby([*index, "kind"], observed=True, dropna=False)["total"].sum().unstack("kind")
    counts = counts.reindex(columns=["review", "litigation"]).astype("Int64").reset_index()
    counts.columns.name = None
    counts = counts.drop(columns="_all") if not keys else counts
    t = applications_wide(corpus, by, scope=scope, needed=("total_processed",), exclude=frozenset(bad))
    t = t[[*keys, "reports", "incomplete", "total_processed"]]
    out = t.merge(counts, on=keys, how="left") if keys else pd.concat([t, counts], axis=1)
    out[["review", "litigation"]] = out[["review", "litigation"]].fillna(0).astype("Int64")
    apps = _keyed(corpus, "applications", keys, scope)
    return with_corrected(add_rates(out), keys, rl, apps[apps["row"] == "total_processed"])


def _review_rows() -> tuple[str, ...]:
    return tuple(r.code for r in national_format().tables["review_litigation"].rows)


def correction_rates(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """纠错率 = corrected / (maintained + corrected + other_result) per row and combined; pending left out."""
    keys = group_keys(by, scope)
    results = list(review_results())
    rl = _keyed(corpus, "review_litigation", keys, scope)
    cols = [*results, "pending"]
    bad = _incomplete(rl, None, results)
    complete = rl[~rl["report_id"].isin(bad)]
    per_row = _group_sum(complete, [*keys, "row"], cols)
    combined = _group_sum(per_row, keys, cols)
    combined["row"] = "combined"
    out = pd.concat([per_row, combined], ignore_index=True)
    out[cols] = out[cols].astype("Int64")
    out["concluded"] = out[results].sum(axis=1).astype("Int64")
    out = add_rates(out)
    order = {r: i for i, r in enumerate([*_review_rows(), "combined"])}
    out = out.sort_values([*keys, "row"], key=lambda s: s.map(order) if s.name == "row" else s, kind="stable")
    out = out[[*keys, "row", *cols, "concluded", "correction_rate"]].reset_index(drop=True)
    return with_corrected(_with_incomplete(out, rl, keys, bad), keys, complete)


def disclosure_counts(corpus: Any, by=None, scope: str | None = "own") -> pd.DataFrame:
    """Part 二 values summed per group, year, row and column, with the change on the previous year.

    Year is always part of the grouping. ``incomplete`` counts the reports whose cell is null (not in
    the sum). The change is <NA> when the previous year is absent for the group, row and column, or
    when either year has an incomplete report (2019-format columns such as new_made have no 2021
    counterpart, so the formats' different measures are never subtracted from each other).
    """
    items = [] if by is None else [by] if isinstance(by, str) else list(by)
    keys = group_keys([*items, "year"] if "year" not in items else items, scope)
    d = _keyed(corpus, "disclosure", keys, scope)
    d["column"] = d["column"].astype(str)
    d["incomplete"] = d["value"].isna()
    grouped = d.groupby([*keys, "row", "column"], observed=True, dropna=False)
    out = grouped["value"].sum(min_count=1).to_frame().join(grouped["incomplete"].sum()).reset_index()
    out["value"] = out["value"].astype("Float64")
    out["incomplete"] = out["incomplete"].astype("Int64")
    others = [k for k in keys if k != "year"]
    prev = out.assign(year=out["year"] + 1).rename(columns={"value": "previous", "incomplete": "_prev_incomplete"})
    out = out.merge(prev, on=[*keys, "row", "column"], how="left")
    comparable = (out["incomplete"] == 0) & (out["_prev_incomplete"] == 0)
    out["change"] = (out["value"] - out["previous"]).astype("Float64").where(comparable.fillna(False))
    out = out.drop(columns="_prev_incomplete")
    out = out.sort_values([*others, "row", "column", "year"], kind="stable").reset_index(drop=True)
    return with_corrected(out, keys, d)


def data_quality(corpus: Any, by=None, scope: str | None = None) -> pd.DataFrame:
    """Per group: reports, those failing an accounting identity, all-zero reports, errors and warnings.

    Nothing is summed across reports here, so both scopes are kept by default (``scope=None`` adds
    ``scope`` to the grouping). An identity failure is a finding whose check is one of the identity
    ids of the national format. ``incomplete`` reports have a table cell that is not a number (an
    unresolved blank, a dash, words, a missing cell); an all-zero report has table values, every one
    a number and 0, and ``all_zero_rate`` is over the reports whose cells are all numbers.
    """
    keys = group_keys(by, scope)
    reports = _reports(corpus, scope, keys)
    ids = {i.id for i in national_format().identities}
    findings = corpus.findings.copy()
    findings["report_id"] = findings["report_id"].astype(str)
    failing = set(findings.loc[findings["check"].astype(str).isin(ids), "report_id"])
    totals = _report_totals(corpus)
    reports["identity_failure"] = reports["report_id"].isin(failing)
    reports["incomplete"] = reports["report_id"].isin(set(totals.index[totals["nulls"] > 0]))
    reports["numeric"] = reports["report_id"].isin(set(totals.index[totals["nulls"] == 0]))
    reports["all_zero"] = reports["report_id"].isin(set(totals.index[(totals["nulls"] == 0) & (totals["v"] == 0)]))
    for col in ("n_errors", "n_warnings"):
        reports[col] = reports[col].astype("Int64") if col in reports else pd.array([0] * len(reports), dtype="Int64")
    cols = ["incomplete", "numeric", "identity_failure", "all_zero", "n_errors", "n_warnings"]
    if keys:
        out = reports.groupby(keys, observed=True, dropna=False).agg(
            reports=("report_id", "size"), **{c: (c, "sum") for c in cols}).reset_index()
    else:
        out = pd.DataFrame({"reports": [len(reports)], **{c: [reports[c].sum()] for c in cols}})
    out = out.rename(columns={"identity_failure": "identity_failures", "n_errors": "errors", "n_warnings": "warnings"})
    for col in ("reports", "incomplete", "identity_failures", "all_zero", "errors", "warnings"):
        out[col] = out[col].astype("Int64")
    out["numeric"] = out["numeric"].astype("Int64")
    return add_rates(out)


def _report_totals(corpus: Any) -> pd.DataFrame:
    """Per report with table values: ``v`` the sum of absolute numbers, ``nulls`` the cells that are not numbers.

    A cell read as a number (printed digits, or a blank resolved to 0) has a value; everything else is
    null and makes the report no candidate for "all zero" (spec §1: most townships print zeros).
    """
    def part(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
        values = frame[cols]
        return pd.DataFrame({"report_id": frame["report_id"].astype(str), "v": values.abs().sum(axis=1),
                             "nulls": values.isna().sum(axis=1)})

    parts = [part(corpus.applications, [*applicant_columns(), "total"]),
             part(corpus.review_litigation, [*review_results(), "pending", "total"]),
             part(corpus.disclosure, ["value"])]
    return pd.concat(parts, ignore_index=True).groupby("report_id")[["v", "nulls"]].sum()


def labelled(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A frame for reading: headers and code values as labels, rates and shares as percentages."""
    out = frame.copy()
    for col in out.columns:
        if col.endswith(("rate", "share")) or col.startswith("rate_"):
            out[col] = out[col].astype("Float64").map(lambda v: "–" if pd.isna(v) else f"{v:.1%}")
        elif col in CODE_COLUMNS:
            out[col] = label_values(out[col], col, lang)
    return out.rename(columns=lambda c: label(c, lang))


# Frame columns whose values are codes, and the format table and kind they belong to ("" = find out).
CODE_COLUMNS = {"row": ("", "row"), "column": ("", "column"), "applicant": ("applications", "column"),
                "ground": ("applications", "row"), "outcome": ("", ""), "group": ("", ""), "level": ("", ""),
                "scope": ("", ""), "check": ("", ""), "severity": ("", ""), "status": ("", ""),
                "source_format": ("", ""), "template": ("", ""), "decision": ("", ""), "copied_kind": ("", ""),
                "parts_missing": ("", "section")}


def label_values(values: pd.Series, column: str, lang: str = "zh") -> pd.Series:
    """Code values of frame column ``column`` as labels, format codes looked up in their own table first."""
    table, kind = CODE_COLUMNS.get(column, ("", ""))
    values = values.astype(str)
    if kind == "section":  # comma-separated part codes (the quality table's parts_missing)
        names = national_format().sections
        return values.map(lambda v: "、".join((names[c].zh if lang == "zh" else names[c].en) if c in names else c
                                             for c in v.split(",") if c))
    if kind and not table:
        table = table_of(set(values), kind)
    return values.map(lambda v: label(v, lang, table))
