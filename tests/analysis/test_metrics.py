"""govstats.analysis.metrics against numbers computed by hand on a small corpus.

The corpus: in 郏县, the county government (2021 format in 2021 and 2022, 2019 format in 2019) and
its education bureau (2022); a 平顶山市 regional summary (must never be added to own reports); an
all-zero township in 宝丰县.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from govstats.analysis import metrics
from govstats.corpus import dictionary
from govstats.format import national_format

APPLICANTS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]


def _reports() -> pd.DataFrame:
    rows = [
        ("r1", "郏县人民政府", 2022, "2021", "郏县", "county_gov", "own"),
        ("r2", "郏县教育局", 2022, "2021", "郏县", "department", "own"),
        ("r3", "郏县人民政府", 2019, "2019", "郏县", "county_gov", "own"),
        ("r4", "平顶山市人民政府", 2022, "2021", "unknown", "city_gov", "regional_summary"),
        ("r5", "宝丰县石桥镇", 2022, "2021", "宝丰县", "township", "own"),
        ("r6", "郏县人民政府", 2021, "2021", "郏县", "county_gov", "own"),
    ]
    df = pd.DataFrame(rows, columns=["report_id", "agency", "year", "template", "county", "level", "scope"])
    df["year"] = df["year"].astype("Int64")
    df["province"] = "河南省"
    df["city"] = "平顶山市"
    df["level"] = df["level"].astype("category")
    df["scope"] = df["scope"].astype("category")
    df["n_errors"] = pd.array([0, 1, 0, 0, 0, 0], dtype="Int64")
    df["n_warnings"] = pd.array([1, 0, 0, 0, 0, 0], dtype="Int64")
    return df


def _apps(report_id: str, totals: dict[str, int], new_split: dict[str, int]) -> list[dict]:
    out = []
    for row in metrics.application_rows():
        rec = {"report_id": report_id, "row": row, **dict.fromkeys(APPLICANTS, 0), "total": totals.get(row, 0)}
        if row == "new_received":
            rec.update(new_split)
        out.append(rec)
    return out


def _rl(report_id: str, values: dict[str, tuple[int, int, int, int]]) -> list[dict]:
    out = []
    for row in ("review", "litigation_direct", "litigation_after_review"):
        m, c, o, p = values.get(row, (0, 0, 0, 0))
        out.append({"report_id": report_id, "row": row, "maintained": m, "corrected": c, "other_result": o,
                    "pending": p, "total": m + c + o + p})
    return out


@pytest.fixture(scope="module")
def corpus() -> SimpleNamespace:
    apps = (
        _apps("r1", {"new_received": 10, "carried_over": 2, "granted": 5, "partial": 1, "denied_state_secret": 1,
                     "denied_third_party": 1, "unable_not_held": 2, "not_processed_repeat": 1, "other_other": 1,
                     "total_processed": 12}, {"natural_person": 8, "commercial": 2})
        + _apps("r2", {"new_received": 4, "granted": 2, "unable_need_creation": 1, "total_processed": 3,
                       "carried_forward": 1}, {"natural_person": 1, "legal_service": 3})
        + _apps("r3", {"new_received": 6, "granted": 3, "denied_process_info": 1, "other_total": 2,
                       "total_processed": 6}, {"natural_person": 6})
        + _apps("r4", {"new_received": 100, "granted": 100, "total_processed": 100}, {"natural_person": 100})
        + _apps("r5", {}, {})
    )
    applications = pd.DataFrame(apps)
    applications["row"] = pd.Categorical(applications["row"], categories=list(metrics.application_rows()))
    for col in [*APPLICANTS, "total"]:
        applications[col] = applications[col].astype("Int64")
    rl = pd.DataFrame(
        _rl("r1", {"review": (1, 1, 0, 1), "litigation_direct": (2, 0, 1, 0)})
        + _rl("r2", {"review": (0, 1, 0, 0)})
        + _rl("r3", {"review": (1, 0, 0, 0)})
        + _rl("r4", {"review": (50, 50, 0, 0)})
        + _rl("r5", {})
    )
    for col in ("maintained", "corrected", "other_result", "pending", "total"):
        rl[col] = rl[col].astype("Int64")
    disclosure = pd.DataFrame(
        [("r1", "licensing", "decisions", 10), ("r1", "normative_documents", "made", 3),
         ("r1", "normative_documents", "valid", 20), ("r2", "licensing", "decisions", 5),
         ("r3", "licensing", "decisions", 4), ("r3", "normative_documents", "new_made", 2),
         ("r6", "licensing", "decisions", 12), ("r6", "normative_documents", "made", 1),
         ("r4", "licensing", "decisions", 999), ("r5", "licensing", "decisions", 0)],
        columns=["report_id", "row", "column", "value"],
    )
    disclosure["value"] = disclosure["value"].astype("Float64")
    findings = pd.DataFrame(
        [("r2", "I2_outcomes", "error"), ("r1", "carried_over_continuity", "warning")],
        columns=["report_id", "check", "severity"],
    )
    return SimpleNamespace(reports=_reports(), applications=applications, review_litigation=rl,
                           disclosure=disclosure, findings=findings)


def _one(frame: pd.DataFrame, **where) -> pd.Series:
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_volumes_by_county_leave_out_regional_summaries(corpus):
    v = metrics.volumes(corpus, by="county")
    assert list(v.columns[:3]) == ["province", "city", "county"]
    jia = _one(v, county="郏县")
    assert (jia["reports"], jia["new_received"], jia["carried_over"], jia["workload"]) == (3, 20, 2, 22)
    assert (jia["total_processed"], jia["carried_forward"]) == (21, 1)
    assert jia["carry_over_rate"] == pytest.approx(1 / 22)
    assert pd.isna(_one(v, county="宝丰县")["carry_over_rate"])
    assert "unknown" not in set(v["county"])  # the summary r4 is not own scope


def test_volumes_by_year_and_whole_corpus(corpus):
    by_year = metrics.volumes(corpus, by=["county", "year"])
    row = _one(by_year, county="郏县", year=2022)
    assert (row["new_received"], row["workload"], row["total_processed"]) == (14, 16, 15)
    whole = metrics.volumes(corpus)
    assert whole["new_received"].tolist() == [20]


def test_scopes_are_never_summed_together(corpus):
    v = metrics.volumes(corpus, by="city", scope=None)
    assert _one(v, scope="own")["new_received"] == 20
    assert _one(v, scope="regional_summary")["new_received"] == 100
    only = metrics.volumes(corpus, by="city", scope="regional_summary")
    assert only["new_received"].tolist() == [100]


def test_applicant_mix(corpus):
    mix = metrics.applicant_mix(corpus, by="county")
    jia = mix[mix["county"] == "郏县"].set_index("applicant")
    assert jia.loc["natural_person", "count"] == 15
    assert jia.loc["natural_person", "share"] == pytest.approx(15 / 20)
    assert jia.loc["commercial", "share"] == pytest.approx(2 / 20)
    assert jia.loc["legal_service", "share"] == pytest.approx(3 / 20)
    assert jia["share"].sum() == pytest.approx(1)
    assert mix[mix["county"] == "宝丰县"]["share"].isna().all()


def test_outcomes_cover_both_templates(corpus):
    out = metrics.outcomes(corpus, by="county")
    jia = out[out["county"] == "郏县"].set_index("outcome")
    expected = {"granted": 10, "partial": 1, "denied": 3, "unable": 3, "not_processed": 1, "other": 3}
    assert jia["count"].to_dict() == expected  # other = 2021 other_other 1 + 2019 other_total 2
    assert jia.loc["other", "share"] == pytest.approx(3 / 21)
    assert jia["share"].sum() == pytest.approx(1)


def test_disclosure_rates(corpus):
    r = _one(metrics.disclosure_rates(corpus, by="county"), county="郏县")
    assert r["rate_broad"] == pytest.approx(11 / 21)
    assert r["rate_substantive"] == pytest.approx(11 / 14)


def test_refusal_grounds_share_within_group(corpus):
    g = metrics.refusal_grounds(corpus, by="county")
    jia = g[g["county"] == "郏县"].set_index("ground")
    assert jia.loc["denied_state_secret", "share"] == pytest.approx(1 / 3)
    assert jia.loc["denied_process_info", "share"] == pytest.approx(1 / 3)
    assert jia.loc["unable_not_held", "share"] == pytest.approx(2 / 3)
    assert jia.loc["not_processed_repeat", "share"] == pytest.approx(1.0)
    assert jia.loc["denied_admin_query", "count"] == 0
    assert set(jia["group"]) == {"denied", "unable", "not_processed"}


def test_review_and_litigation_rates(corpus):
    r = _one(metrics.review_litigation_rates(corpus, by="county"), county="郏县")
    assert (r["review"], r["litigation"]) == (5, 3)
    assert r["review_rate"] == pytest.approx(5 / 21)
    assert r["litigation_rate"] == pytest.approx(3 / 21)


def test_correction_rates_leave_pending_out(corpus):
    c = metrics.correction_rates(corpus, by="county")
    jia = c[c["county"] == "郏县"].set_index("row")
    assert list(jia.index) == ["review", "litigation_direct", "litigation_after_review", "combined"]
    assert jia.loc["review", "correction_rate"] == pytest.approx(2 / 4)
    assert jia.loc["litigation_direct", "correction_rate"] == 0
    assert pd.isna(jia.loc["litigation_after_review", "correction_rate"])
    assert jia.loc["combined", "correction_rate"] == pytest.approx(2 / 7)
    assert jia.loc["combined", "pending"] == 1


def test_disclosure_counts_and_change(corpus):
    d = metrics.disclosure_counts(corpus, by="county")
    jia = d[d["county"] == "郏县"]
    lic = jia[jia["row"] == "licensing"].set_index("year")
    assert lic.loc[2022, "value"] == 15
    assert lic.loc[2022, "change"] == 3
    assert lic.loc[2021, "value"] == 12
    assert pd.isna(lic.loc[2021, "change"])  # no 2020 report
    assert pd.isna(lic.loc[2019, "change"])
    made = _one(jia, row="normative_documents", column="made", year=2022)
    assert made["change"] == 2
    assert pd.isna(_one(jia, row="normative_documents", column="valid", year=2022)["change"])
    assert 999 not in set(d["value"])  # the regional summary is another scope


def test_data_quality(corpus):
    q = metrics.data_quality(corpus, by="county")
    jia = _one(q, county="郏县")
    assert (jia["reports"], jia["identity_failures"], jia["all_zero"]) == (4, 1, 0)
    assert jia["identity_failure_rate"] == pytest.approx(1 / 4)
    assert (jia["errors"], jia["warnings"]) == (1, 1)
    bao = _one(q, county="宝丰县")
    assert bao["all_zero_rate"] == 1
    assert _one(q, county="unknown")["scope"] == "regional_summary"


def test_labels_come_from_the_national_format():
    assert metrics.label("granted") == "予以公开"
    assert metrics.label("denied") == "不予公开"
    assert metrics.label("other") == "其他处理"
    assert metrics.label("natural_person") == "自然人"
    assert metrics.label("correction_rate") == "纠错率"
    assert metrics.label("denied", "en") == "Denied"


def test_unknown_grouping_is_refused(corpus):
    with pytest.raises(ValueError, match="unknown grouping"):
        metrics.volumes(corpus, by="village")


def test_with_area_compares_a_county_with_the_rest(corpus):
    inside = corpus.reports["county"] == "郏县"
    view = metrics.with_area(corpus, inside, "郏县", "其他")
    v = metrics.volumes(view, by="area").set_index("area")
    assert v.loc["郏县", "new_received"] == 20
    assert v.loc["其他", "new_received"] == 0  # 宝丰县's zeros; the summary r4 stays out
    assert v.loc["其他", "reports"] == 1


def test_labelled_frames_read_in_chinese(corpus):
    out = metrics.labelled(metrics.outcomes(corpus, by="county"))
    assert list(out.columns) == ["省", "市", "县（区）", "办理结果", "件数", "总计", "占比", "数据不全报告数"]
    jia = out[out["县（区）"] == "郏县"].set_index("办理结果")
    assert jia.loc["予以公开", "占比"] == "47.6%"  # 10 / 21
    assert out[out["县（区）"] == "宝丰县"]["占比"].eq("–").all()


def test_complete_corpus_has_no_incomplete_reports(corpus):
    assert metrics.volumes(corpus, by="county")["incomplete"].eq(0).all()
    assert metrics.data_quality(corpus)["incomplete"].eq(0).all()


# A second corpus, in county 甲县 (2022, own reports), with cells that are not numbers (null):
#   n1: new 10, carried over 0, processed 8 (granted 8), forward 2; review 1 upheld + 1 corrected; licensing 3
#   n2: new 5, carried over "/" (null), processed 5 (granted 5), forward 0; part 四 all 0; no part 二
#   n3: every cell "/" (null) in all three tables
#   n4: every cell printed 0 (a township with nothing to report)
_NA = pd.NA


@pytest.fixture(scope="module")
def gappy() -> SimpleNamespace:
    ids = ["n1", "n2", "n3", "n4"]
    reports = pd.DataFrame({"report_id": ids, "agency": ["甲", "乙", "丙", "丁"], "year": pd.array([2022] * 4, "Int64"),
                            "province": "某省", "city": "某市", "county": "甲县", "level": "department",
                            "scope": "own", "n_errors": pd.array([0] * 4, "Int64"),
                            "n_warnings": pd.array([0] * 4, "Int64")})
    apps = _apps("n1", {"new_received": 10, "granted": 8, "total_processed": 8, "carried_forward": 2}, {})
    apps += _apps("n2", {"new_received": 5, "carried_over": _NA, "granted": 5, "total_processed": 5}, {})
    apps += [{**rec, **dict.fromkeys([*APPLICANTS, "total"], _NA)} for rec in _apps("n3", {}, {})]
    apps += _apps("n4", {}, {})
    applications = pd.DataFrame(apps).astype({c: "Int64" for c in [*APPLICANTS, "total"]})
    rl = pd.DataFrame(_rl("n1", {"review": (1, 1, 0, 0)}) + _rl("n2", {}) + _rl("n4", {})
                      + [{**r, **dict.fromkeys(["maintained", "corrected", "other_result", "pending", "total"], _NA)}
                         for r in _rl("n3", {})])
    rl = rl.astype({c: "Int64" for c in ("maintained", "corrected", "other_result", "pending", "total")})
    disclosure = pd.DataFrame({"report_id": ["n1", "n3", "n4"], "row": "licensing", "column": "decisions",
                               "value": pd.array([3, _NA, 0], "Float64")})
    findings = pd.DataFrame({"report_id": pd.Series([], dtype=str), "check": pd.Series([], dtype=str)})
    return SimpleNamespace(reports=reports, applications=applications, review_litigation=rl,
                           disclosure=disclosure, findings=findings)


def test_volumes_leave_incomplete_reports_out(gappy):
    v = _one(metrics.volumes(gappy, by="county"), county="甲县")
    assert (v["reports"], v["incomplete"]) == (4, 2)  # n2 (carried over "/") and n3
    assert (v["new_received"], v["workload"], v["carried_forward"]) == (10, 10, 2)  # n1 + n4, not n2's 5
    assert v["carry_over_rate"] == pytest.approx(2 / 10)  # counting n2's "/" as 0 would give 2 / 15


def test_each_metric_needs_its_own_cells(gappy):
    out = metrics.outcomes(gappy, by="county").set_index("outcome")
    assert out["incomplete"].eq(1).all()  # only n3: n2's outcome rows are all numbers
    assert out.loc["granted", "count"] == 13
    assert out.loc["granted", "share"] == pytest.approx(13 / 13)
    r = _one(metrics.disclosure_rates(gappy, by="county"), county="甲县")
    assert (r["incomplete"], r["total_processed"], r["granted_partial"]) == (1, 13, 13)
    g = metrics.refusal_grounds(gappy, by="county")
    assert g["incomplete"].eq(1).all() and g["share"].isna().all()  # nothing refused: no denominator


def test_review_correction_and_disclosure_leave_nulls_out(gappy):
    rl = _one(metrics.review_litigation_rates(gappy, by="county"), county="甲县")
    assert (rl["incomplete"], rl["review"], rl["total_processed"]) == (1, 2, 13)
    assert rl["review_rate"] == pytest.approx(2 / 13)
    c = metrics.correction_rates(gappy, by="county").set_index("row")
    assert c.loc["combined", "correction_rate"] == pytest.approx(1 / 2)
    assert c["incomplete"].eq(1).all()
    d = _one(metrics.disclosure_counts(gappy, by="county"), row="licensing", column="decisions")
    assert (d["value"], d["incomplete"]) == (3, 1)


def test_an_all_dash_report_is_not_all_zero(gappy):
    q = _one(metrics.data_quality(gappy, by="county"), county="甲县")
    assert (q["reports"], q["incomplete"], q["all_zero"]) == (4, 2, 1)  # n4 only; n3's "/" are not zeros
    assert q["all_zero_rate"] == pytest.approx(1 / 2)  # of n1 and n4, the reports whose cells are all numbers
    assert metrics.data_quality(gappy)["all_zero"].tolist() == [1]


def test_wilson_intervals_match_known_values():
    low, high = metrics.wilson(pd.Series([0, 5, 10, 3, 4]), pd.Series([10, 10, 10, 0, 2]))
    assert low.iloc[0] == 0 and high.iloc[0] == pytest.approx(0.2775, abs=1e-4)
    assert (low.iloc[1], high.iloc[1]) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert high.iloc[2] == 1 and low.iloc[2] == pytest.approx(0.7225, abs=1e-4)
    assert pd.isna(low.iloc[3]) and pd.isna(low.iloc[4])  # no base; a numerator that is not part of it


def test_small_bases_are_not_ranked():
    frame = pd.DataFrame({"agency": ["a", "b", "c", "d"], "granted_partial": pd.array([2, 30, 40, 1], dtype="Int64"),
                          "total_processed": pd.array([2, 40, 100, 19], dtype="Int64")})
    out = metrics.ranked(metrics.add_rates(frame), "rate_broad")
    assert out["agency"].tolist()[:2] == ["b", "c"]  # a (100 % of 2) and d (of 19) come last, unranked
    assert out["rank"].tolist()[:2] == [1, 2] and out["rank"].iloc[2:].isna().all()
    assert metrics.small_base(out, "rate_broad").tolist() == [False, False, True, True]


def test_rollup_pools_counts_not_rates(corpus):
    by_county = metrics.disclosure_rates(corpus, by=["county", "year"])
    city = metrics.rollup(by_county, ["province", "city", "year"])
    direct = metrics.disclosure_rates(corpus, by=["city", "year"])
    merged = city.merge(direct, on=["province", "city", "year"], suffixes=("", "_direct"))
    assert len(merged) == len(direct)
    assert (merged["rate_broad"].astype(float).fillna(-1) == merged["rate_broad_direct"].astype(float).fillna(-1)).all()
    shares = metrics.rollup(metrics.outcomes(corpus, by=["county", "year"]), ["province", "year"], "outcome")
    assert shares.groupby("year")["share"].sum().dropna().round(6).eq(1).all()


def test_year_on_year_change():
    frame = pd.DataFrame({"county": ["x", "x", "x", "y", "y"], "year": [2021, 2022, 2024, 2021, 2022],
                          "new_received": pd.array([10, 15, 5, 0, 3], dtype="Int64")})
    v = metrics.year_on_year(frame, ["new_received"], by=["county"]).set_index(["county", "year"])
    assert v.loc[("x", 2022), "new_received_change"] == 5
    assert v.loc[("x", 2022), "new_received_change_rate"] == pytest.approx(0.5)
    assert pd.isna(v.loc[("x", 2024), "new_received_change"])  # 2023 is missing: no change on it
    assert pd.isna(v.loc[("x", 2021), "new_received_change"])
    assert v.loc[("y", 2022), "new_received_change"] == 3 and pd.isna(v.loc[("y", 2022), "new_received_change_rate"])


def test_formulas_name_numerator_and_denominator():
    assert metrics.formula("rate_broad") == "公开率（广义） = （予以公开 + 部分公开） ÷ 总计"
    assert metrics.formula("correction_rate") == "纠错率 = 结果纠正 ÷ （结果维持 + 结果纠正 + 其他结果）"
    assert set(metrics.RATES) <= set(dictionary.METRICS)


def test_every_figure_says_how_many_reports_it_includes_a_correction_of(corpus):
    """r2 (郏县教育局) has a corrected applications cell, r3 (郏县 2019) a corrected review cell."""
    fixed = SimpleNamespace(**vars(corpus))
    fixed.applications = corpus.applications.assign(has_correction=corpus.applications["report_id"] == "r2")
    fixed.review_litigation = corpus.review_litigation.assign(
        has_correction=corpus.review_litigation["report_id"] == "r3")
    fixed.disclosure = corpus.disclosure.assign(has_correction=False)
    by_agency = {
        metrics.volumes: 1, metrics.applicant_mix: 1, metrics.outcomes: 1, metrics.disclosure_rates: 1,
        metrics.refusal_grounds: 1, metrics.review_litigation_rates: 1, metrics.correction_rates: 0,
        metrics.disclosure_counts: 0,
    }
    for fn, expected in by_agency.items():
        assert "corrected_reports" not in fn(corpus, by="agency"), fn.__name__  # no reviews, no column
        out = fn(fixed, by=["agency", "year"])
        edu = out[(out["agency"] == "郏县教育局") & (out["year"] == 2022)]
        assert not edu.empty and (edu["corrected_reports"] == expected).all(), fn.__name__
        gov = out[(out["agency"] == "郏县人民政府") & (out["year"] == 2019)]
        review_based = fn in (metrics.review_litigation_rates, metrics.correction_rates)
        assert (gov["corrected_reports"] == int(review_based)).all(), fn.__name__
    whole = metrics.review_litigation_rates(fixed)
    assert int(whole["corrected_reports"].iloc[0]) == 2  # r2 through T, r3 through its review row


def test_review_decisions_copy_kinds_and_missing_parts_read_as_labels():
    frame = pd.DataFrame({"decision": ["dismiss"], "copied_kind": ["other_agency"], "parts_missing": ["overview,fees"]})
    out = metrics.labelled(frame)
    overview = national_format().sections["overview"].zh
    assert list(out.iloc[0]) == [dictionary.label("dismiss"), dictionary.label("other_agency"), f"{overview}、fees"]  # an unknown part code stays as printed
    assert "dismiss" not in out.iloc[0, 0] and "other_agency" not in out.iloc[0, 1]
