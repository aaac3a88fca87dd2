"""The same agency across years: reports that name it differently are one series, and the
across-year identities 6 and 7 run on it."""

from __future__ import annotations

from govstats.corpus import ingest, load
from govstats.corpus.years import pairs
from govstats.reading.report import SYNTHETIC_MARKER
from govstats.synth.documents import to_html, to_pdf, to_text
from tests.corpus.test_corpus import report, write


def _years_of(c, check: str) -> set[int]:
    year = c.reports.set_index("report_id")["year"]
    return {int(year[r]) for r in c.findings.loc[c.findings["check"] == check, "report_id"]}


def test_names_of_one_agency_make_one_series(tmp_path):
    src = tmp_path / "src"
    write(src / "a" / "2022.txt", to_text(report("洪泽区政府", 2022, new=3, fwd=2)))
    write(src / "b" / "2023.html", to_html(report("洪泽区人民政府", 2023, new=1, over=2, fwd=1)))
    write(src / "c" / "2024.pdf", to_pdf(report("淮安市洪泽区人民政府", 2024, new=1, over=5)))  # 5 != 1 carried forward
    write(src / "d" / "2024.txt", to_text(report("平潭综合实验区", 2024, new=1, fwd=4)))
    write(src / "d" / "2025.txt", to_text(report("平潭综合实验区管委会", 2025, new=1, over=3)))  # 3 != 4
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    keys = dict(zip(c.reports["year"].astype(int).astype(str) + c.reports["agency"].astype(str), c.reports["agency_key"],
                    strict=True))
    assert set(keys.values()) == {"洪泽区人民政府", "平潭综合实验区管理委员会"}
    assert _years_of(c, "carry_over") == {2024, 2025} and _years_of(c, "missing_year") == set()
    over = c.findings[(c.findings["check"] == "carry_over") & (c.findings["column"] == "total")]
    assert sorted(zip(over["expected"], over["printed"], strict=True)) == [(1, 5), (4, 3)]


def test_real_and_synthetic_reports_are_not_one_series(tmp_path):
    src = tmp_path / "src"
    real = to_text(report("郏县教育局", 2022, fwd=7)).decode().replace(SYNTHETIC_MARKER, "")
    write(src / "real" / "2022.txt", real.encode())
    write(src / "synthetic" / "2023.txt", to_text(report("郏县教育局", 2023, over=1)))
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    assert sorted(c.reports["synthetic"]) == [False, True]
    assert not c.findings["check"].isin(["carry_over", "missing_year"]).any()


def test_real_pingtan_and_hongze_reports_are_series(shared_dir, tmp_path):
    real = shared_dir / "corpus" / "real"
    sources = [real / "pingtan_transcribed", real / "pingtan_depts", real / "kirogovcompare"]
    ingest([str(s) for s in sources], tmp_path / "out", workers=2, progress=False)
    c = load(tmp_path / "out")
    r = c.reports
    pingtan = r[r["agency"] == "平潭综合实验区"]
    assert sorted(pingtan["year"]) == [2017, *range(2019, 2026)]
    assert set(pingtan["agency_key"]) == {"平潭综合实验区管理委员会"}
    assert set(zip(pingtan["province"], pingtan["city"], pingtan["county"], strict=True)) == {("福建省", "福州市", "平潭县")}
    assert set(r.loc[r["agency"].str.startswith("平潭综合实验区"), "province"]) == {"福建省"}  # departments too
    hongze = r[r["agency"].str.contains("洪泽区")]
    assert sorted(hongze["agency"]) == ["洪泽区人民政府", "淮安市洪泽区人民政府"]
    assert set(hongze["agency_key"]) == {"洪泽区人民政府"}
    found = pairs(r)  # consecutive years of one agency: the pairs identities 6 and 7 are checked on
    linked = found[found["prev_id"].notna()]
    assert sorted(linked.loc[linked["agency_key"] == "平潭综合实验区管理委员会", "year"]) == list(range(2020, 2026))
    assert linked.loc[linked["agency_key"] == "洪泽区人民政府", "year"].tolist() == [2024]
    assert _years_of(c, "missing_year") == set()
    # the published series carries over (SOURCES.md): 2021 carried 1 forward, 2022 carried 1 over; no carry_over finding
    apps = c.applications.merge(r[["report_id", "agency_key", "year"]], on="report_id")
    series = apps[apps["agency_key"] == "平潭综合实验区管理委员会"].set_index(["year", "row"])["total"]
    assert series[(2021, "carried_forward")] == series[(2022, "carried_over")] == 1
    assert not c.findings["check"].eq("carry_over").any()
