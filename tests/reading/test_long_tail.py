"""The long tail of real reports (issue 9): scraped page text whose cells and lines ran together,
sentences with figures around tables, unusual headings, slipped rows, blank cells that vanished.
Every number is exact or flagged; the patterns come from the 平潭 department reports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from govstats import read_bytes
from govstats.format import national_format
from govstats.reading.normalize import nfkc
from govstats.reading.report import ORIGINS
from govstats.reading.sections import split_sections
from govstats.synth.documents import to_html, to_text
from govstats.synth.printing import Quirks
from tests._reports import known_report

FMT = national_format()
TITLE = "平潭综合实验区某某局2022年政府信息公开工作年度报告"
DISCLOSURE = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件505"
              "第二十条第（五）项信息内容本年处理决定数量行政许可0第二十条第（六）项信息内容本年处理决定数量行政处罚0行政强制0"
              "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0")
HEADER = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业"
          "科研机构社会公益组织法律服务机构其他")
REVIEW = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
          "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000")


def _apps(rows: dict[str, str] | None = None, template: str = "2021") -> str:
    """Part 三 as scraped page text: each row's label, then its seven cells run together."""
    rows = rows or {}
    out, group = [], ""
    for spec in FMT.tables["applications"].rows_for(template):
        if spec.group != group and (spec.group.startswith("（") or spec.code == "granted"):
            out.append(spec.group)
        group = spec.group
        out.append(spec.zh + rows.get(spec.code, "0000000"))
    return "".join(out)


def _page(*, disclosure: str = DISCLOSURE, apps_intro: str = "", apps: str | None = None, review: str = REVIEW,
          template: str = "2021") -> bytes:
    body = ("一、总体情况2022年，我局主动公开政府信息121条。" + disclosure + "三、收到和处理政府信息公开申请情况" + apps_intro
            + HEADER + (apps if apps is not None else _apps(template=template)) + review
            + "五、存在的主要问题及改进情况无。六、其他需要报告的事项无。")
    return f"标题: {TITLE}\n发布时间: 2023-01-09 19:52\n{body}\n".encode()


def _bad(report, table: str, row: str, column: str) -> bool:
    """Whether a cell is flagged: a warning or error finding on its table, its row or column (or all)."""
    return any(f.severity in ("warning", "error") and f.table == table and f.row in ("", row)
               and f.column in ("", column) for f in report.findings)


def test_figures_of_sentences_before_a_table_are_not_cells():
    intro = "2022年，主动公开政府信息121条，涵盖政策及规范性文件类8条、规划计划类2条、其他应主动公开的政府信息90条，占41.5%。"
    r = read_bytes(_page(disclosure=DISCLOSURE.replace("第二十条第（一）项", intro + "第二十条第（一）项", 1)))
    t = r.tables()["disclosure"]
    assert t["rules"] == {"made": 0, "repealed": 0, "valid": 0}
    assert t["normative_documents"] == {"made": 5, "repealed": 0, "valid": 5}
    assert any(f.check == "narrative_in_table" for f in r.findings)


def test_a_sentence_between_heading_and_table_is_not_a_row():
    apps = _apps({"new_received": "3000003", "partial": "3000003", "total_processed": "3000003"})
    r = read_bytes(_page(apps_intro="2022年，共收到政府信息公开申请3条。", apps=apps))
    assert r.value("applications", "new_received", "total") == 3
    assert r.value("applications", "new_received", "natural_person") == 3
    assert not [f for f in r.findings if f.severity != "info" and f.table == "applications"]


@pytest.mark.parametrize("heading", ["四、政府信息公开行政复议与行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况",
                                     "四、因政府信息公开申请行政复议、提起行政诉讼的情况"])
def test_part_four_under_its_printed_headings(heading):
    review = REVIEW.replace("四、政府信息公开行政复议、行政诉讼情况", heading + "2022年，未发生行政复议及行政诉讼。")
    review = review.replace("000000000000000", "110021000100000")
    r = read_bytes(_page(review=review))
    assert r.tables()["review_litigation"]["review"] == {"maintained": 1, "corrected": 1, "other_result": 0,
                                                         "pending": 0, "total": 2}
    assert r.value("review_litigation", "litigation_direct", "total") == 1


def test_a_part_with_an_unusual_heading_is_found_by_its_table():
    """No heading names part 四 ("复议诉讼" only): its table's header words place it."""
    lines = ["某某县民政局2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", "规章\t0\t0\t0", "行政规范性文件\t1\t0\t5",
             "行政许可\t10", "行政处罚\t2", "行政强制\t0", "行政事业性收费\t0", "三、收到和处理政府信息公开申请情况"]
    lines += ["\t".join([s.zh, *["0"] * 7]) for s in FMT.tables["applications"].rows_for("2021")]
    lines += ["四、复议诉讼", "行政复议\t\t\t\t\t行政诉讼",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t" * 3, "\t".join(["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "2", "0", "2"]),
              "五、存在的主要问题及改进情况", "无。"]
    r = read_bytes("\n".join(lines).encode())
    assert r.value("review_litigation", "review", "total") == 1
    assert r.value("review_litigation", "litigation_after_review", "other_result") == 2
    assert not any(f.check == "table_missing" for f in r.findings)


def test_hybrid_in_flattened_text():
    r = read_bytes(_page(template="hybrid"))
    assert r.template == "hybrid"
    assert r.value("applications", "other_total", "total") == 0
    report = replace(known_report("hybrid", seed=3, zero=True), year=2023, agency="平潭综合实验区海坛片区管理局")
    r = read_bytes(to_text(report, quirks=Quirks(flattened=True)))
    assert r.template == "hybrid" and r.tables() == report.tables()


def test_a_slipped_row_keeps_its_printed_digits_and_breaks_identity_3():
    """`6100000` under 本年新收 with 总计 0, then `0000007` under 上年结转 (平潭农业农村局 2023)."""
    apps = _apps({"new_received": "6100000", "carried_over": "0000007", "granted": "6000006", "partial": "0100001",
                  "total_processed": "6100007"})
    r = read_bytes(_page(apps=apps))
    assert r.tables()["applications"]["new_received"] == dict(zip(FMT.tables["applications"].columns,
                                                                   (6, 1, 0, 0, 0, 0, 0), strict=True))
    assert r.value("applications", "carried_over", "total") == 7
    breaks = {(f.row, f.printed, f.expected) for f in r.findings if f.check == "I3_applicant_total"}
    assert breaks == {("new_received", 0, 7), ("carried_over", 7, 0)}


def test_a_blank_cell_that_vanished_from_a_row_is_zero_where_the_identities_hold():
    """`000000` for seven cells: one blank vanished; every reading the identities allow is zeros."""
    apps = _apps({"new_received": "8000008", "granted": "4000004", "denied_third_party": "1000001",
                  "unable_not_held": "2000002", "not_processed_repeat": "1000001", "total_processed": "8000008",
                  "carried_forward": "000000"})
    r = read_bytes(_page(apps=apps))
    assert all(r.value("applications", "carried_forward", c) == 0 for c in FMT.tables["applications"].columns)


def test_one_bad_row_of_part_four_leaves_the_others():
    lines = ["某某县民政局2023年政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况",
             "行政复议\t1\t0\t0\t0\t1", "未经复议直接起诉\t2\t/\t无\t0\t2x", "复议后起诉\t0\t0\t1\t0\t1"]
    r = read_bytes("\n".join(lines).encode() + b"\n" + _apps_grid())
    t = r.tables()["review_litigation"]
    assert t["review"]["total"] == 1 and t["litigation_after_review"]["other_result"] == 1
    assert t["litigation_direct"]["corrected"] is None


def _apps_grid() -> bytes:
    rows = ["三、收到和处理政府信息公开申请情况"] + ["\t".join([s.zh, *["0"] * 7]) for s in FMT.tables["applications"].rows_for("2021")]
    return "\n".join(rows).encode()


def test_part_two_rows_split_only_one_digit_per_cell():
    """Part 二 has no identities: `505` for three cells stands (flagged), `4920` is null (flagged),
    a run of zeros is zeros whichever way it splits."""
    r = read_bytes(_page(disclosure=DISCLOSURE.replace("行政规范性文件505", "行政规范性文件4920")))
    assert r.tables()["disclosure"]["normative_documents"] == {"made": None, "repealed": None, "valid": None}
    assert _bad(r, "disclosure", "normative_documents", "made")
    r = read_bytes(_page())
    assert r.tables()["disclosure"]["normative_documents"] == {"made": 5, "repealed": 0, "valid": 5}
    assert r.cells[("disclosure", "normative_documents", "made")].origin == "split"
    assert any(f.check == "uncorroborated_value" and f.row == "normative_documents" for f in r.findings)
    assert not _bad(r, "disclosure", "rules", "made")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("2022年，本机关制发规范性文件49件，废止规范性文件2件，现行有效规范性文件0件。", (49, 2, 0)),
    ("2021年，本机关制发规范性文件49件，废止规范性文件2件，现行有效规范性文件0件。", None),  # another year
    ("2022年，全区制发规范性文件49件，废止规范性文件2件，现行有效规范性文件0件。", None),  # a whole region
    ("本机关制发规范性文件49件，较上年废止规范性文件2件，现行有效规范性文件0件。", None),  # a comparison
])
def test_only_the_narrative_about_this_report_splits_a_part_two_row(sentence, expected):
    """`4920` under 制发/废止/现行有效 splits several ways; the narrative settles it only when it speaks
    for this agency in this year."""
    r = read_bytes(_page(disclosure=sentence + DISCLOSURE.replace("行政规范性文件505", "行政规范性文件4920")))
    cells = [r.cells[("disclosure", "normative_documents", c)] for c in ("made", "repealed", "valid")]
    if expected is None:
        assert [c.value for c in cells] == [None, None, None]
        assert _bad(r, "disclosure", "normative_documents", "made")
    else:
        assert tuple(c.value for c in cells) == expected and {c.origin for c in cells} == {"narrative"}


def test_a_signed_change_keeps_its_sign():
    """2019 format: `行政事业性收费15-15` is 上一年项目数量 15, 本年增/减 -15."""
    disclosure = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件335"
                  "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费15-15")
    r = read_bytes(_page(disclosure=disclosure, template="2019"))
    assert r.template == "2019"
    assert (r.value("disclosure", "fees", "prior_items"), r.value("disclosure", "fees", "change")) == (15, -15)


def test_every_value_records_its_origin():
    r = read_bytes(_page())
    assert {c.origin for c in r.cells.values()} <= set(ORIGINS)
    assert r.cells[("disclosure", "licensing", "decisions")].origin == "printed"
    assert r.cells[("applications", "granted", "total")].origin == "split"
    page = to_html(known_report("2021", seed=4))
    assert {c.origin for c in read_bytes(page).cells.values() if c.value is not None} == {"printed"}


def test_detached_numbers_in_part_two_are_never_silent():
    """A number whose label was lost: in scraped text (run together with the next label) no identity
    can check a placement by row order, so it is null; on a line of its own it is placed, flagged."""
    lines = ["某某县民政局2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", "规章\t0\t0\t0", "行政规范性文件\t1\t0\t5"]
    r = read_bytes("\n".join([*lines, "17行政处罚\t2", "行政强制\t0", "行政事业性收费\t0"]).encode() + b"\n" + _apps_grid())
    assert r.value("disclosure", "licensing", "decisions") is None
    assert r.value("disclosure", "punishment", "decisions") == 2
    assert any(f.check == "row_order_unsafe" and f.row == "licensing" for f in r.findings)
    r = read_bytes("\n".join([*lines, "行政许口", "17", "行政处罚\t2"]).encode() + b"\n" + _apps_grid())
    assert r.value("disclosure", "licensing", "decisions") == 17
    assert r.cells[("disclosure", "licensing", "decisions")].origin == "row_order"
    assert _bad(r, "disclosure", "licensing", "decisions")


def test_a_table_found_in_a_long_cell_is_cut_where_it_starts_whatever_nfkc_does_before_it():
    """No heading, one long scraped cell: part 三 starts at its header even when the text before it
    changes length under NFKC (…… is ......), so the header stays with its table."""
    cell = "本机关依申请公开工作情况如下……" * 12 + HEADER + _apps()
    parts = split_sections([[TITLE], [cell]])
    assert parts["applications"][0][0].startswith(nfkc(HEADER)[:10])


@pytest.mark.parametrize(("heading", "unusual"), [
    ("二、主动公开政府信息情况", "二、公开信息"),
    ("三、收到和处理政府信息公开申请情况", "三、依申请公开"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四、复议诉讼"),
])
def test_scraped_text_with_an_unusual_heading_still_finds_its_table(heading, unusual):
    """One long line holding every part: a part whose heading is not recognised starts where its
    table prints its first words (第二十条第（一）项, the balance note, 行政复议行政诉讼)."""
    apps = _apps({"new_received": "3000003", "partial": "3000003", "total_processed": "3000003"})
    page = _page(apps=apps, review=REVIEW.replace("000000000000000", "110021000100000")).decode()
    assert heading in page
    want = read_bytes(page.encode()).tables()
    got = read_bytes(page.replace(heading, unusual).encode())
    assert got.tables() == want
    assert not any(f.check == "table_missing" for f in got.findings)
