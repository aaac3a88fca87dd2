"""The audit of one report (issue 14): parts present and saying something, part 六 on fees, the
figures the narrative states against the tables, the publication date."""

from __future__ import annotations

import pytest

from govstats import read_bytes, read_report
from govstats.format import national_format
from tests.reading.test_text_reader import OTHER, OVERVIEW, PROBLEMS, _apps_lines, _balanced, _doc

PARTS = {code: s.zh for code, s in national_format().sections.items()}


def _audit(report) -> list[tuple[str, str]]:
    return [(f.check, f.severity) for f in report.findings
            if f.check in ("section_missing", "section_empty", "fees_not_stated", "text_table_mismatch")]


def _with(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new).encode("utf-8")


def _text() -> str:
    return _doc(_apps_lines(_balanced())).decode("utf-8")


def test_a_complete_consistent_report_has_no_audit_flags():
    assert _audit(read_bytes(_text().encode())) == []


@pytest.mark.parametrize("part", ["overview", "problems", "other"])
def test_a_missing_part_is_named(part):
    heading = PARTS[part]
    body = {"overview": OVERVIEW, "problems": PROBLEMS, "other": OTHER}[part]
    r = read_bytes(_with(_text(), f"{heading}\n{body}", ""))
    missing = [f for f in r.findings if f.check == "section_missing"]
    assert len(missing) == 1 and heading in missing[0].message_zh


def test_boilerplate_part_and_unstated_fees():
    r = read_bytes(_with(_text(), PROBLEMS, "无。"))
    assert ("section_empty", "warning") in _audit(r)
    r = read_bytes(_with(_text(), OTHER, "本年度无其他需要报告的情况，工作按计划推进。"))
    assert _audit(r) == [("fees_not_stated", "warning")]


def test_a_figure_of_the_text_against_its_table():
    """new 5 in the table; the overview says 7."""
    r = read_bytes(_with(_text(), OVERVIEW, "2022年，本机关共收到政府信息公开申请7件，均按时答复。"))
    f = next(f for f in r.findings if f.check == "text_table_mismatch")
    assert (f.severity, f.table, f.row, f.column, f.expected, f.printed) == (
        "warning", "applications", "new_received", "total", 7, 5)
    assert "共收到政府信息公开申请7件" in f.message_zh
    same = read_bytes(_with(_text(), OVERVIEW, "2022年，本机关共收到政府信息公开申请5件，均按时答复。"))
    assert _audit(same) == []


def test_scope_other_years_and_qualified_negations():
    regional = read_bytes(_with(_text(), OVERVIEW, "2022年，全县共受理政府信息公开申请749件。"))
    assert _audit(regional) == [("text_table_mismatch", "info")]
    other_year = read_bytes(_with(_text(), OVERVIEW, "2021年，本机关共收到政府信息公开申请9件。"))
    assert _audit(other_year) == []
    review = _text().replace("\t".join(["0"] * 15), "\t".join(["1", "0", "0", "0", "1"] + ["0"] * 10))
    no_loss = read_bytes(_with(review, OVERVIEW, "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。"))
    assert _audit(no_loss) == []
    none_said = read_bytes(_with(review, OVERVIEW, "全年未发生因政府信息公开工作被申请行政复议的情况。"))
    assert [(f.check, f.row, f.expected, f.printed) for f in none_said.findings if f.check == "text_table_mismatch"] == [
        ("text_table_mismatch", "review", 0, 1)]


def test_publication_date():
    page = _text().replace("某某县财政局2022年", "发布时间：2023-01-09 19:52\n某某县财政局2022年", 1)
    assert read_bytes(page.encode()).published == "2023-01-09"
    signed = _text() + "\n某某县财政局\n2023年1月20日"
    assert read_bytes(signed.encode()).published == "2023-01-20"
    assert read_bytes(_text().encode()).published is None


def test_hongze_2024_text_disagrees_with_its_table(shared_dir):
    """区政府办代表区政府受理政府信息公开申请 17 件, while table 三 prints 95 new applications."""
    r = read_report(shared_dir / "corpus" / "real" / "kirogovcompare" / "hzq2024_working.pdf")
    f = next(f for f in r.findings if f.check == "text_table_mismatch")
    assert (f.row, f.expected, f.printed, f.severity) == ("new_received", 17, 95, "warning")
    assert "代表区政府" in f.message_zh
    assert r.parts == tuple(PARTS)
