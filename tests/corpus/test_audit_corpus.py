"""The audit of a whole corpus (issue 14) end to end: ingest gives the quality table and the corpus
findings (copied text, late publication, year-on-year jumps); `govstats review` records decisions;
a correction changes the metrics while the printed value stays in the data."""

from __future__ import annotations

import shutil

import pytest

from govstats.analysis import metrics
from govstats.cli import main
from govstats.corpus import ingest, load
from govstats.corpus.reviews import finding_ids

HONGZE = "kirogovcompare/hzq2024_working.pdf"
DONOR = "pingtan_depts/pt_jjp_2024_96868.txt"
COPIER = "平潭综合实验区苏澳片区管理局"  # publishes 金井片区管理局's text under its own name


@pytest.fixture(scope="module")
def real(shared_dir, tmp_path_factory):
    """The real reports with truth-level checks in ../shared, plus one report that copies another
    agency's text (金井片区's 2024 report republished by 苏澳片区 with its own name and numbers)."""
    src = tmp_path_factory.mktemp("real")
    real = shared_dir / "corpus" / "real"
    for folder in ("pingtan_depts", "kirogovcompare", "pingtan_transcribed", "html", "govnianbao"):
        shutil.copytree(real / folder, src / folder)
    text = (real / DONOR).read_text(encoding="utf-8")
    copied = text.replace("金井片区管理局", "苏澳片区管理局").replace("8000008二、", "9000009二、").replace(
        "（七）总计 8000008", "（七）总计 9000009")
    (src / "copier.txt").write_text(copied, encoding="utf-8")
    out = tmp_path_factory.mktemp("dataset")
    ingest([str(src)], out, workers=0, progress=False)
    return out


def _report(corpus, path_end: str) -> str:
    r = corpus.reports
    return str(r.loc[r["source_path"].astype(str).str.endswith(path_end), "report_id"].iloc[0])


def test_real_corpus_audit(real):
    c = load(real)
    q = c.quality.astype({"report_id": str}).set_index("report_id")
    assert len(q) == len(c.reports) and q.index.is_unique  # one row per report
    f = c.findings.astype({"report_id": str, "check": str})
    hongze = _report(c, HONGZE)
    assert (f[(f["report_id"] == hongze)]["check"] == "text_table_mismatch").any()
    assert q.loc[hongze, "text_table_mismatches"] >= 1
    copier = _report(c, "copier.txt")
    copied = f[(f["report_id"] == copier) & (f["check"] == "similar_text")]
    assert len(copied) == 1 and "金井片区管理局" in copied["message"].iloc[0]
    assert q.loc[copier, "copied_kind"] == "other_agency" and q.loc[copier, "copied_share"] > 0.9
    missing = f[f["check"] == "section_missing"]
    assert not missing.empty  # the 2013 pages are metadata only; a supported report misses a part
    assert (q.loc[missing["report_id"].unique(), "parts_present"] < 6).all()


def test_a_correction_changes_the_metrics_and_keeps_the_printed_value(real, capsys):
    """平潭农业农村局 2023 prints 本年新收 总计 0 over 7 applicants: identity 3 breaks; a reviewer
    corrects the cell to 7."""
    c = load(real)
    nyn = _report(c, "pt_nyn_2023_86759.txt")
    f = c.findings.astype({"report_id": str, "check": str, "row": str})
    flag = f[(f["report_id"] == nyn) & (f["check"] == "I3_applicant_total") & (f["row"] == "new_received")]
    fid = finding_ids(c.findings)[flag.index[0]]
    assert main(["review", str(real)]) == 0
    assert fid in capsys.readouterr().out  # listed as open
    assert main(["review", str(real), fid, "--correct", "7", "--column", "total", "--reviewer", "王审核",
                 "--note", "总计漏印"]) == 0
    c = load(real, counties="平潭县")
    before = metrics.volumes(c, by="agency").set_index("agency")
    after = metrics.volumes(c.with_corrections(), by="agency").set_index("agency")
    agency = "平潭综合实验区农业农村局"
    assert before.loc[agency, "new_received"] + 7 == after.loc[agency, "new_received"]
    assert after.loc[agency, "corrected_reports"] == 1
    labelled = load(real, counties="平潭县", labels="zh").with_corrections()
    assert int(labelled.applications["has_correction"].sum()) == 1  # corrections apply before display labels
    unchanged = load(real, counties="平潭县").with_corrections()  # part 四's own `corrected` column untouched
    assert unchanged.review_litigation["corrected"].equals(c.review_litigation["corrected"])
    printed = c.applications.astype({"report_id": str, "row": str})
    printed = printed[(printed["report_id"] == nyn) & (printed["row"] == "new_received")]
    assert int(printed["total"].iloc[0]) == 0  # the printed value stays in the data
    assert c.flags.set_index("finding_id").loc[fid, "decision"] == "correct"
    assert main(["review", str(real), fid, "--dismiss", "--reviewer", ""]) == 2  # a decision needs a reviewer
    out = real.parent / "audit.xlsx"
    assert main(["audit", str(real), "--to", str(out)]) == 0 and out.exists()


def test_publication_dates_from_page_metadata_and_catalog(tmp_path):
    """A department's 2023 report is due on 31 January 2024: the page's 发布时间 line, an HTML meta
    tag, a PDF's creation date and a catalog column each date it; the catalog wins."""
    from dataclasses import replace

    from govstats.synth.documents import to_html, to_pdf, to_text
    from tests._reports import known_report

    src = tmp_path / "河南省" / "平顶山市" / "郏县"
    src.mkdir(parents=True)

    def doc(agency: str):
        return replace(known_report("2021", seed=3), agency=agency, year=2023)

    page = to_text(doc("郏县民政局")).decode().replace("【合成示例数据】", "发布时间：2024-03-05 10:00", 1)
    (src / "民政局.txt").write_text(page, encoding="utf-8")
    html = to_html(doc("郏县教育局")).decode().replace("<head>", '<head><meta name="PubDate" content="2024-02-01 09:00">')
    (src / "教育局.html").write_text(html, encoding="utf-8")
    (src / "公安局.pdf").write_bytes(to_pdf(doc("郏县公安局")))  # created 2024-01-20 (the writer's date)
    (src / "财政局.txt").write_text(to_text(doc("郏县财政局")).decode(), encoding="utf-8")
    (tmp_path / "catalog.csv").write_text("path,published\n河南省/平顶山市/郏县/财政局.txt,2024年4月1日\n",
                                          encoding="utf-8")
    ingest([str(tmp_path)], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    q = c.quality.merge(c.reports[["report_id", "agency"]], on="report_id").set_index("agency")
    assert q.loc["郏县民政局", ["published", "days_late"]].tolist() == ["2024-03-05", 34]
    assert q.loc["郏县教育局", ["published", "days_late"]].tolist() == ["2024-02-01", 1]
    assert q.loc["郏县公安局", ["published", "days_late"]].tolist() == ["2024-01-20", 0]
    assert q.loc["郏县财政局", ["published", "days_late"]].tolist() == ["2024-04-01", 61]
    late = c.findings[c.findings["check"].astype(str) == "late_publication"]
    assert len(late) == 3
