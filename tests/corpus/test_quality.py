"""Report quality across a corpus (issue 14): copied text, timeliness, year-on-year jumps, the
quality table and its score, and the review of flags."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from govstats.corpus import jumps, quality, reviews, similarity, timeliness

OWN = "本机关严格落实信息发布审核制度，做好保密审查，持续规范政府网站信息公开专栏，明确专人负责政务公开工作，定期开展业务培训。" * 2
OTHER = "我局坚持以公开为常态、不公开为例外，认真落实条例要求，扎实推进政务公开，不断提升服务水平，为发展营造良好环境。" * 2


def _words(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def test_copied_text_from_another_agency_and_from_last_year():
    sig = similarity.signature
    reports = pd.DataFrame({
        "report_id": ["a23", "b23", "c23", "a22", "short"], "year": [2023, 2023, 2023, 2022, 2023],
        "agency_key": ["A", "B", "C", "A", "D"],
        "signature": [sig(_words(OWN)), sig(_words(OWN)[:-8] + "另作修改的几个字"), sig(_words(OTHER)), sig(_words(OWN)),
                      sig("很短")],
    })
    found = similarity.similar(reports, pairs=pd.DataFrame({"report_id": ["a23"], "prev_id": ["a22"]}))
    got = {r: (o, k) for r, o, k in found[["report_id", "similar_to", "kind"]].itertuples(index=False)}
    assert got["a23"] == ("a22", "previous_year")
    assert got["b23"] == ("a23", "other_agency")
    assert "c23" not in got and "short" not in got
    assert similarity.share(reports["signature"][0], reports["signature"][1]) > 0.8
    f = similarity.similar_findings(found, {"a23": "某某县民政局"})
    assert any("某某县民政局" in x["message"] and x["report_id"] == "b23" for x in f)


def test_deadlines_and_lateness():
    assert timeliness.deadline("department", 2023) == date(2024, 1, 31)
    assert timeliness.deadline("county_gov", 2023) == date(2024, 3, 31)
    assert timeliness.deadline("unknown", 2023) is None
    r = pd.DataFrame({"report_id": ["d", "g", "u", "n"], "year": [2023] * 4,
                      "level": ["department", "county_gov", "unknown", "department"],
                      "published": ["2024-02-10", "2024-03-01", "2024-05-01", None]})
    late = timeliness.lateness(r).set_index("report_id")["days_late"]
    assert late["d"] == 10 and late["g"] == 0 and pd.isna(late["u"]) and pd.isna(late["n"])
    assert [f["report_id"] for f in timeliness.late_findings(timeliness.lateness(r))] == ["d"]


def test_year_on_year_jumps():
    pairs = pd.DataFrame({"report_id": ["t1", "t2", "t3"], "prev_id": ["p1", "p2", "p3"]})
    cells = pd.DataFrame({
        "report_id": ["t1", "p1", "t2", "p2", "t3", "p3"],
        "table": ["applications"] * 6, "row": ["new_received"] * 6, "column": ["total"] * 6,
        "value": [200.0, 25.0, 3.0, 0.0, 50.0, 4.0],  # 8x, tiny, 12.5x
    })
    found = jumps.jumps(pairs, cells)
    assert [(f["report_id"], f["printed"], f["expected"]) for f in found] == [("t3", 50.0, 4.0)]
    assert "本年新收政府信息公开申请数量（总计） 由 4 变为 50" in found[0]["message"]  # as printed, not codes
    assert "new_received" not in found[0]["message"]


def test_quality_table_and_score():
    reports = pd.DataFrame({"report_id": ["ok", "poor", "old"], "status": ["parsed", "parsed", "unsupported_format"],
                            "parts": ["overview,disclosure,applications,review_litigation,problems,other",
                                      "disclosure,applications,review_litigation", ""]})
    findings = pd.DataFrame({
        "report_id": ["poor", "poor", "poor", "ok"],
        "check": ["I1_balance", "text_table_mismatch", "fees_not_stated", "blank_as_zero"],
        "severity": ["error", "warning", "warning", "info"],
    })
    sim = pd.DataFrame({"report_id": ["poor"], "similar_to": ["ok"], "share": [0.95], "kind": ["other_agency"]})
    late = pd.DataFrame({"report_id": ["poor"], "published": [date(2024, 5, 1)], "deadline": [date(2024, 1, 31)],
                         "days_late": pd.array([91], dtype="Int32")})
    q = quality.quality(reports, findings, similar=sim, lateness=late).set_index("report_id")
    assert q.loc["ok", "score"] == 100 and q.loc["ok", "parts_present"] == 6
    assert q.loc["poor", "parts_missing"] == "overview,problems,other"
    # 3 parts missing (30), silent fees (5), one identity (10), one mismatch (10), copied (15), late (10)
    assert q.loc["poor", "score"] == 100 - 30 - 5 - 10 - 10 - 15 - 10
    assert pd.isna(q.loc["old", "score"])
    assert list(q.reset_index().columns) == list(quality.COLUMNS)


def test_what_the_reader_left_null_lowers_the_score():
    """Null values are never zeros, and a report with many is not as good as a complete one: 5 points
    per row, table or blank left null, at most 20."""
    reports = pd.DataFrame({"report_id": ["some", "many"], "status": ["parsed", "parsed"],
                            "parts": ["overview,disclosure,applications,review_litigation,problems,other"] * 2})
    findings = pd.DataFrame({"report_id": ["some", "some"] + ["many"] * 6,
                             "check": ["unresolved_values", "blank_as_zero"] + ["unresolved_values"] * 3
                             + ["row_missing", "blank_unresolved", "table_missing"],
                             "severity": ["warning", "info"] + ["warning"] * 4 + ["warning", "error"]})
    q = quality.quality(reports, findings).set_index("report_id")
    assert (q.loc["some", "unread"], q.loc["some", "score"]) == (1, 95)
    assert (q.loc["many", "unread"], q.loc["many", "score"]) == (6, 80)


def _findings() -> pd.DataFrame:
    return pd.DataFrame({
        "report_id": ["r1", "r1", "r2"], "check": ["I3_applicant_total", "uncorroborated_value", "text_table_mismatch"],
        "severity": ["error", "warning", "warning"], "table": ["applications", "disclosure", "applications"],
        "row": ["new_received", "normative_documents", "new_received"], "column": ["", "", "total"],
    })


def test_review_decisions_corrections_and_dismissals(tmp_path):
    findings = _findings()
    ids = reviews.finding_ids(findings)
    assert ids.is_unique and list(reviews.finding_ids(findings)) == list(ids)  # stable
    assert reviews.flags(findings, reviews.read_reviews(tmp_path))["decision"].isna().sum() == 3
    reviews.record(tmp_path, findings, ids[2], "dismiss", reviewer="王", note="正文口径不同")
    fix = reviews.record(tmp_path, findings, ids[1], "correct", reviewer="李", value=5, column="made",
                         today=date(2025, 1, 2))
    assert fix["date"] == "2025-01-02"
    rv = reviews.read_reviews(tmp_path)
    assert reviews.dismissed(rv) == {ids[2]}
    flagged = reviews.flags(findings, rv)
    assert list(flagged.loc[flagged["decision"].isna(), "finding_id"]) == [ids[0]]
    wide = pd.DataFrame({"report_id": ["r1", "r1"], "row": ["rules", "normative_documents"],
                         "made": pd.array([0, 9], dtype="Int32"), "repealed": pd.array([0, 0], dtype="Int32")})
    fixed = reviews.apply(wide, "disclosure", reviews.corrections(rv))
    assert list(fixed["made"]) == [0, 5] and list(fixed["has_correction"]) == [False, True]
    assert list(wide["made"]) == [0, 9]  # the printed values are untouched


@pytest.mark.parametrize(("decision", "kw", "reason"), [
    ("approve", {}, "decision must be"),
    ("correct", {}, "true value"),
    ("correct", {"value": 2.5, "column": "made"}, "whole"),
    ("confirm", {"reviewer": " "}, "reviewer"),
])
def test_bad_decisions_are_one_line_errors(tmp_path, decision, kw, reason):
    findings = _findings()
    kw = {"reviewer": "王", **kw}
    with pytest.raises(ValueError, match=reason):
        reviews.record(tmp_path, findings, reviews.finding_ids(findings)[1], decision, **kw)
    assert not (tmp_path / reviews.FILE).exists()


def test_a_whole_report_flag_keeps_its_id_when_its_figures_move():
    """A rebuild may change the share copied or the days late: the decision still names the flag,
    while a flag about another part or another source report is another flag."""
    def one(message: str) -> str:
        f = pd.DataFrame({"report_id": ["r1"], "check": ["similar_text"], "severity": ["warning"], "table": [""],
                          "row": [""], "column": [""], "message": [message]})
        return reviews.finding_ids(f).iloc[0]

    assert one("与 某局 2022 年报告雷同 91.5%") == one("与 某局 2022 年报告雷同 93.0%")
    assert one("与 某局 2022 年报告雷同 91.5%") != one("与 另一局 2022 年报告雷同 91.5%")
