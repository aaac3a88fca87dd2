"""The HTML reader: rows of small pages built here, the real saved pages, and round trips."""

from __future__ import annotations

import re

import pytest

from govstats import NotAReport, read_bytes
from govstats.reading.formats.cells import Grid, clean, is_label
from govstats.reading.formats.html import html_rows
from govstats.reading.report import Cell
from govstats.synth.documents import to_html
from govstats.synth.printing import Quirks
from tests._reports import known_report


def page(body: str, head: str = "", charset: str = "utf-8") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode(charset)


def test_rowspan_label_repeated_colspan_text_once():
    html = page(
        "<table>"
        '<tr><td rowspan="2" colspan="2">申请人情况</td><td colspan="3">法人或其他组织</td></tr>'
        "<tr><td>商业企业</td><td>科研机构</td><td>其他</td></tr>"
        '<tr><td rowspan="3">三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>2</td><td>3</td></tr>'
        '<tr><td>（二）部分公开</td><td rowspan="2">4</td><td>5</td><td>6</td></tr>'
        "<tr><td>（七）总计</td><td>7</td><td>8</td></tr>"
        "</table>"
    )
    assert html_rows(html) == [
        ["申请人情况", "", "法人或其他组织", "", ""],
        ["申请人情况", "", "商业企业", "科研机构", "其他"],
        ["三、本年度办理结果", "（一）予以公开", "1", "2", "3"],
        ["三、本年度办理结果", "（二）部分公开", "4", "5", "6"],
        ["三、本年度办理结果", "（七）总计", "", "7", "8"],  # a value spanning rows is not repeated
    ]


def test_span_in_last_column_and_junk_spans():
    html = page(
        "<table>"
        '<tr><td colspan="x">a</td><td rowspan="0">b</td><td rowspan="2">总计</td></tr>'
        "<tr><td>1</td><td>2</td></tr>"
        "</table>"
    )
    assert html_rows(html) == [["a", "b", "总计"], ["1", "2", "总计"]]


def test_cell_text_joined_across_spans_paragraphs_and_breaks():
    html = page(
        "<table><tr>"
        "<td><p><span>申请人情</span><span>况</span></p></td>"
        "<td><p>社会&nbsp;&nbsp;</p><p>公益</p><span>组织</span></td>"
        "<td>本年新<br/>制作数量</td>"
        "<td>&nbsp;</td>"
        "<td>\n  12 </td>"
        "<td>12&nbsp;34</td>"
        "</tr></table>"
    )
    assert html_rows(html) == [["申请人情况", "社会公益组织", "本年新制作数量", "", "12", "12 34"]]


def test_paragraphs_headings_and_breaks_are_lines():
    html = page(
        "<h1>某县2023年政府信息公开工作年度报告</h1>"
        "<div><p>一、总<b>体</b>情况</p>正文第一行<br>正文第二行<p>&nbsp;</p></div>"
        "<ul><li>条目</li></ul>"
    )
    assert html_rows(html) == [
        ["某县2023年政府信息公开工作年度报告"],
        ["一、总体情况"],
        ["正文第一行"],
        ["正文第二行"],
        ["条目"],
    ]


def test_blank_cells_and_blank_table_rows_kept():
    """A skeleton's rows of empty cells are part of the table (blank, not missing); empty lines are not."""
    html = page(
        "<p>&nbsp;</p><table><tr></tr><tr><td></td><td>&nbsp;</td></tr><tr><td>规章</td><td></td><td>0</td></tr></table>"
    )
    assert html_rows(html) == [["", ""], ["规章", "", "0"]]


REPORT_BODY = (
    "<p>三、收到和处理政府信息公开申请情况</p>"
    "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td></tr></table>"
    "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
)


def test_gbk_page_with_meta_charset():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>沭阳县发展和改革局2023年政府信息公开年度报告</title>'
    rows = html_rows(page(REPORT_BODY, head, "gbk"))
    assert rows[0] == ["沭阳县发展和改革局2023年政府信息公开年度报告"]
    assert ["一、本年新收政府信息公开申请数量", "3"] in rows


def test_gbk_page_without_charset_is_detected():
    body = (
        REPORT_BODY
        + "<p>本年度报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。如对本报告有疑问，请与本机关联系。</p>"
    )
    rows = html_rows(page(body, charset="gbk"))
    assert rows[0] == ["三、收到和处理政府信息公开申请情况"]
    assert ["一、本年新收政府信息公开申请数量", "3"] in rows


def test_declared_utf8_page_with_a_damaged_byte():
    body = REPORT_BODY + "<p>" + "本机关认真贯彻落实政府信息公开条例。" * 20 + "</p>"
    data = page(body, '<meta charset="utf-8">')
    cut = data.index("认真".encode())  # damage one character of the narrative
    rows = html_rows(data[:cut] + b"\xff" + data[cut + 1 :])
    assert ["一、本年新收政府信息公开申请数量", "3"] in rows
    # a GBK page that claims to be UTF-8 is detected as GBK, not read as UTF-8 with replacements
    assert ["一、本年新收政府信息公开申请数量", "3"] in html_rows(page(body, '<meta charset="utf-8">', "gbk"))


def test_site_chrome_ignored_and_title_from_page_title():
    html = page(
        "<header><p>网站首页</p></header><nav><a>政务公开</a></nav>"
        "<div class='sidebar'><p>相关链接</p><a>2022年年度报告</a></div>"
        "<div class='content'><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>规章</td><td>本年制发件数</td></tr><tr><td>行政规范性文件</td><td>2</td></tr></table>"
        + REPORT_BODY
        + "</div><script>var x = '本年新收';</script><footer>版权所有</footer>",
        head="<title>某区司法局2022年政府信息公开工作年度报告_某区人民政府</title><style>p {}</style>",
    )
    assert html_rows(html) == [
        ["某区司法局2022年政府信息公开工作年度报告"],
        ["二、主动公开政府信息情况"],
        ["规章", "本年制发件数"],
        ["行政规范性文件", "2"],
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "3"],
        ["四、政府信息公开行政复议、行政诉讼情况"],
    ]


def test_menu_table_naming_format_words_is_not_the_report():
    menu = "<table><tr><td>行政许可</td><td>行政处罚</td><td>行政复议</td></tr></table>"
    report = (
        "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>行政规范性文件</td><td>1</td><td>0</td><td>5</td></tr></table>"
    )
    html = page(f"<div class='left'>{menu}</div><div class='right'><p>二、主动公开政府信息情况</p>{report}</div>")
    assert html_rows(html) == [
        ["二、主动公开政府信息情况"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["行政规范性文件", "1", "0", "5"],
    ]


def test_trs_editor_preferred_and_heading_title_kept_first():
    html = page(
        "<div class='nav'><p>首页</p></div>"
        "<div class='detail'><h2>平潭综合实验区2024年度政府信息公开工作年度报告</h2>"
        "<div class='info'>来源：管委会</div>"
        "<div class=TRS_Editor>" + REPORT_BODY + "</div></div>"
        "<table><tr><td>友情链接</td></tr></table>"
    )
    assert html_rows(html) == [
        ["平潭综合实验区2024年度政府信息公开工作年度报告"],
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "3"],
        ["四、政府信息公开行政复议、行政诉讼情况"],
    ]


LONG = "本机关认真贯彻落实政府信息公开条例，" * 12


def test_page_without_format_tables_takes_the_paragraph_article():
    """An older report (statistics table not in the 2019/2021 format) inside chrome made of divs."""
    html = page(
        "<div class='menu'><p>首页</p><p>机构概况</p></div>"
        "<div class='main'><div class='text'>"
        f"<p>一、概述</p><p>{LONG}</p><table><tr><td>主动公开政府信息数</td><td>条</td><td>120</td></tr></table>"
        "</div><div class='share'><p>分享到</p></div></div>",
        head="<title>某县2013年政府信息公开工作年度报告</title>",
    )
    assert html_rows(html) == [
        ["某县2013年政府信息公开工作年度报告"],
        ["一、概述"],
        [LONG],
        ["主动公开政府信息数", "条", "120"],
    ]


def test_trs_editor_without_tables_and_short_pages():
    html = page(f"<div class='nav'><p>首页</p></div><div class=TRS_Editor><p>{LONG[:20]}</p></div>")
    assert html_rows(html) == [[LONG[:20]]]
    assert html_rows(page("<div><p>首页</p></div><div><p>短文</p></div>")) == [["首页"], ["短文"]]


def test_title_in_the_articles_header_element():
    html = page(
        "<header><h3>政府信息公开年度报告</h3></header>"
        "<article><header><h1>某某市审计局2022年政府信息公开工作年度报告</h1><p>发布日期：2023-01-20</p></header>"
        + REPORT_BODY
        + "</article>",
        head="<title>年报_某某市审计局</title>",
    )
    rows = html_rows(html)
    assert rows[0] == ["某某市审计局2022年政府信息公开工作年度报告"]
    assert ["发布日期：2023-01-20"] not in rows and len(rows) == 4


def test_part_split_over_tables_rows_in_order():
    html = page(
        "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td></tr></table>"
        "<table><tr><td>二、上年结转政府信息公开申请数量</td><td>1</td></tr></table>"
    )
    assert html_rows(html) == [["一、本年新收政府信息公开申请数量", "3"], ["二、上年结转政府信息公开申请数量", "1"]]


def test_nested_tables_layout_cells_walked_as_blocks():
    html = page(
        "<table><tr><td>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        "<table><thead><tr><td>自然人</td><td>总计</td></tr></thead>"
        "<tbody><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td></tr></tbody></table>"
        "</td><td>右栏</td></tr>"
        "<tr><td><table><tr><td>行政复议</td><td>0</td></tr></table></td></tr>"
        "<tr><td>备注</td><td>无</td></tr></table>"
    )
    assert html_rows(html) == [
        ["三、收到和处理政府信息公开申请情况"],
        ["自然人", "总计"],
        ["一、本年新收政府信息公开申请数量", "3"],
        ["右栏"],
        ["行政复议", "0"],
        ["备注", "无"],  # a row without nested tables stays a row of cells
    ]


def test_single_report_table_in_layout_cell_is_the_article():
    html = page(
        "<table><tr><td><p>栏目导航</p></td><td>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td></tr></table>"
        "<p>五、存在的主要问题及改进情况</p>"
        "</td></tr></table>"
    )
    assert html_rows(html) == [
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "3"],
        ["五、存在的主要问题及改进情况"],
    ]


def test_preformatted_text_keeps_lines_and_cells():
    html = page(
        "<pre>三、收到和处理政府信息公开申请情况\n\n一、本年新收政府信息公开申请数量\t3\t0\n（七）总计  3  0</pre>"
    )
    assert html_rows(html) == [
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "3", "0"],
        ["（七）总计", "3", "0"],
    ]


def test_malformed_tables_cells_outside_rows_and_content_between_rows():
    html = page(
        "<table><td>规章</td><td>1</td></table>"
        "<table><tr><td>行政许可<td>2<tr><td>行政处罚<td>3</table>"
        "<table><tbody><tr><td>行政强制</td><td>4</td></tr></tbody><p>注：单位为件</p><tr><td>行政事业性收费</td><td>0.5</td></tr></table>"
    )
    assert html_rows(html) == [
        ["规章", "1"],
        ["行政许可", "2"],
        ["行政处罚", "3"],
        ["行政强制", "4"],
        ["注：单位为件"],
        ["行政事业性收费", "0.5"],
    ]


def test_caption_is_a_line_before_rows():
    html = page("<table><caption>表一</caption><tr><td>规章</td><td>1</td></tr></table>")
    assert html_rows(html) == [["表一"], ["规章", "1"]]


@pytest.mark.parametrize("data", [b"<html><body></body></html>", b"<html><body><script>x</script></body></html>"])
def test_page_without_text_is_not_a_report(data):
    with pytest.raises(NotAReport):
        html_rows(data)


def test_clean_and_is_label():
    assert clean("\u3000 申请 人\xa0情况\u200b ") == "申请人情况"
    assert clean("Times  New\nRoman") == "Times New Roman"
    assert [
        is_label(t) for t in ("1.属于国家秘密", "（三）不予公开", "12", "251000元", "22（其中修订16件）", "/", "")
    ] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]


def test_grid_overlapping_span_is_dropped():
    g = Grid()
    assert g.row([("a", 1, 1), ("x", 1, 3)]) == ["a", "x"]
    assert g.row([("c", 2, 1)]) == ["c", ""]  # malformed: "c" covers the column "x" spans into
    assert g.row([("d", 1, 1), ("e", 1, 1)]) == ["d", "e"]


def test_grid_gap_before_trailing_span():
    g = Grid()
    assert g.row([("a", 1, 1), ("b", 1, 1), ("总计", 1, 2)]) == ["a", "b", "总计"]
    assert g.row([("1", 1, 1)]) == ["1", "", "总计"]


# ---------------------------------------------------------------------------------------------
# The real saved pages (../shared/corpus/real/html)

APP_ROWS = {
    "shuyang_fgj_2023": {
        "一、本年新收政府信息公开申请数量": ["26", "", "", "", "", "", "26"],
        "（一）予以公开": ["26", "", "", "", "", "", "26"],
        "（七）总计": ["26", "", "", "", "", "", "26"],
        "四、结转下年度继续办理": ["0", "", "", "", "", "", "0"],
    },
    "shanghai_gov_office_2019": {
        "一、本年新收政府信息公开申请数量": ["821", "35", "", "", "2", "1", "859"],
        "（一）予以公开": ["258", "12", "", "", "1", "1", ""],
        "（七）总计": ["767", "35", "", "", "2", "1", "805"],
        "四、结转下年度继续办理": ["72", "", "", "", "", "", "72"],
    },
    "pingtan_97791_2024": {
        "一、本年新收政府信息公开申请数量": ["217", "1", "0", "0", "0", "0", "218"],
        "（一）予以公开": ["71", "0", "0", "0", "0", "0", "71"],
        "3.其他": ["1", "1", "0", "0", "0", "0", "2"],
        "（七）总计": ["217", "1", "0", "0", "0", "0", "218"],
    },
}
TITLES = {
    "shuyang_fgj_2023": "沭阳县发展和改革局2023年政府信息公开年度报告",
    "shanghai_gov_office_2019": "2019年上海市人民政府办公厅政府信息公开工作年度报告",
    "pingtan_97791_2024": "平潭综合实验区2024年度政府信息公开工作年度报告",
}


def _real(shared_dir, name: str) -> bytes:
    return (shared_dir / "corpus" / "real" / "html" / f"{name}.html").read_bytes()


def _app_row(rows: list[list[str]], label: str) -> list[str]:
    """The cells after the label columns of the applications row whose last label is ``label``."""
    found = [r for r in rows if len(r) == 10 and label in r[:3]]
    assert len(found) == 1, (label, found)
    return found[0][3:]


@pytest.mark.parametrize("name", sorted(APP_ROWS))
def test_real_page_rows(shared_dir, name):
    rows = html_rows(_real(shared_dir, name))
    assert rows[0] == [TITLES[name]]
    for label, values in APP_ROWS[name].items():
        assert _app_row(rows, label) == values
    apps = [r for r in rows if len(r) == 10 and r[0].startswith(("一、", "二、", "三、", "四、"))]
    assert len(apps) == (23 if name == "shanghai_gov_office_2019" else 25)  # every row of the format
    texts = " ".join(c for r in rows for c in r)
    assert "function" not in texts and "首页" not in texts  # scripts and navigation left out


def test_real_shuyang_metadata_table_and_labels(shared_dir):
    rows = html_rows(_real(shared_dir, "shuyang_fgj_2023"))
    assert not any("索引号" in c for r in rows for c in r)  # the CMS metadata table is site chrome
    assert ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0", "", "", "", "", "", "0"] in rows
    assert ["0", "0", "0", "1", "1", *["0"] * 10] in rows  # table 四 as one row of 15


def test_real_pingtan_disclosure_kept_apart(shared_dir):
    rows = html_rows(_real(shared_dir, "pingtan_97791_2024"))
    assert ["行政规范性文件", "62", "33", "440"] in rows
    assert ["行政事业性收费", "18651.06", "", ""] in rows
    assert ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3 in rows
    assert ["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"] in rows


def test_real_shanghai_fragment_2019(shared_dir):
    rows = html_rows(_real(shared_dir, "shanghai_gov_office_2019"))
    assert ["信息内容", "本年新制作数量", "本年新公开数量", "", "对外公开总数量"] in rows
    assert ["规章", "13", "13", "", "524"] in rows
    assert ["政府集中采购", "6", "", "251000元", ""] in rows
    assert ["三、本年度办理结果", "（六）其他处理", *[""] * 8] in rows  # the single 2019 row, all blank


# ---------------------------------------------------------------------------------------------
# End to end through the interpreter (values checked by eye in the pages)

APPS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _apps(report, row: str) -> list:
    return [report.value("applications", row, c) for c in APPS]


def test_read_shuyang(shared_dir):
    r = read_bytes(_real(shared_dir, "shuyang_fgj_2023"), "shuyang_fgj_2023.html")
    assert (r.agency, r.year, r.template, r.source_format) == ("沭阳县发展和改革局", 2023, "2021", "html")
    assert _apps(r, "new_received") == [26, 0, 0, 0, 0, 0, 26]
    assert _apps(r, "granted") == [26, 0, 0, 0, 0, 0, 26]
    assert _apps(r, "total_processed") == [26, 0, 0, 0, 0, 0, 26]
    assert r.tables()["disclosure"]["normative_documents"] == {"made": 8, "repealed": 0, "valid": 18}
    assert r.tables()["review_litigation"]["review"] == {
        "maintained": 0,
        "corrected": 0,
        "other_result": 0,
        "pending": 1,
        "total": 1,
    }
    assert r.cells[("applications", "new_received", "commercial")].state == "blank"
    assert not [f for f in r.findings if f.severity == "error"]


def test_read_pingtan(shared_dir):
    r = read_bytes(_real(shared_dir, "pingtan_97791_2024"), "pingtan_97791_2024.html")
    assert (r.agency, r.year, r.template) == ("平潭综合实验区", 2024, "2021")
    t = r.tables()
    assert t["disclosure"]["normative_documents"] == {"made": 62, "repealed": 33, "valid": 440}
    assert t["disclosure"]["licensing"] == {"decisions": 4529}
    assert t["disclosure"]["fees"] == {"amount_10k_yuan": 18651.06}
    assert _apps(r, "new_received") == [217, 1, 0, 0, 0, 0, 218]
    assert _apps(r, "unable_not_held") == [75, 0, 0, 0, 0, 0, 75]
    assert _apps(r, "other_other") == [1, 1, 0, 0, 0, 0, 2]
    assert t["review_litigation"]["litigation_after_review"] == {
        "maintained": 13,
        "corrected": 2,
        "other_result": 4,
        "pending": 0,
        "total": 19,
    }
    assert r.findings == []


def test_read_shanghai_2019_totals(shared_dir):
    r = read_bytes(_real(shared_dir, "shanghai_gov_office_2019"), "shanghai_gov_office_2019.html")
    assert (r.agency, r.year, r.template) == ("上海市人民政府办公厅", 2019, "2019")
    assert _apps(r, "new_received") == [821, 35, 0, 0, 2, 1, 859]
    assert _apps(r, "total_processed") == [767, 35, 0, 0, 2, 1, 805]
    assert _apps(r, "carried_forward") == [72, 0, 0, 0, 0, 0, 72]
    assert r.tables()["review_litigation"]["litigation_direct"] == {
        "maintained": 8,
        "corrected": 0,
        "other_result": 0,
        "pending": 1,
        "total": 9,
    }


def test_read_shanghai_2019_result_rows_and_disclosure(shared_dir):
    """Blank (&nbsp;) cells are 0; the blank 总计 of the result rows is recovered by the row sums."""
    r = read_bytes(_real(shared_dir, "shanghai_gov_office_2019"), "shanghai_gov_office_2019.html")
    assert _apps(r, "granted") == [258, 12, 0, 0, 1, 1, 272]
    assert _apps(r, "unable_not_held") == [252, 12, 0, 0, 1, 0, 265]
    assert _apps(r, "other_total") == [0] * 7
    assert r.cells[("applications", "granted", "total")].state == "blank"
    recovered = {f.row for f in r.findings if f.check == "blank_recovered"}
    assert {"granted", "unable_not_held", "not_processed_repeat"} <= recovered
    t = r.tables()["disclosure"]
    assert t["rules"] == {"new_made": 13, "new_published": 13, "published_total": 524}
    assert t["licensing"] == {"prior_items": 0, "change": 0, "decisions": 0}
    assert t["procurement"] == {"items": 6, "amount": 251000}


# ---------------------------------------------------------------------------------------------
# Round trips: a known Report written as HTML by govstats.synth reads back exactly


@pytest.mark.parametrize("template", ["2021", "2019", "hybrid"])
@pytest.mark.parametrize("seed", [1, 2])
def test_round_trip(template, seed):
    known = known_report(template, seed)
    r = read_bytes(to_html(known), "synthetic.html")
    assert (r.agency, r.year, r.template, r.synthetic) == (known.agency, known.year, template, True)
    assert r.tables() == known.tables()
    assert r.findings == []


def test_round_trip_gbk_all_zero():
    known = known_report("2021", zero=True)
    data = to_html(known, quirks=Quirks(encoding="gbk"))
    assert b'charset="gbk"' in data
    assert read_bytes(data, "synthetic.html").tables() == known.tables()


def test_round_trip_negative_change():
    known = known_report("2019")
    known.cells[("disclosure", "punishment", "change")] = Cell("disclosure", "punishment", "change", -9, "number", "-9")
    assert any(row[0] == "行政处罚" and "-9" in row for row in html_rows(to_html(known)))  # the reader keeps it
    assert read_bytes(to_html(known), "synthetic.html").value("disclosure", "punishment", "change") == -9


@pytest.mark.parametrize(
    "quirks", [Quirks(footer_in_table=True), Quirks(traditional_title=True, encoding="gb18030")], ids=["footer", "trad"]
)
def test_round_trip_quirks(quirks):
    known = known_report("hybrid", seed=5)
    r = read_bytes(to_html(known, quirks=quirks), "synthetic.html")
    assert (r.agency, r.year) == (known.agency, known.year)
    assert r.tables() == known.tables()


SIDEBAR = "<ul><li><a href='#'>某某县发展和改革局2022年政府信息公开工作年度报告</a></li><li><a>收到和处理政府信息公开申请情况说明</a></li></ul>"


@pytest.mark.parametrize("layout", ["divs", "layout-table"])
def test_round_trip_inside_site_chrome(layout):
    """The synthetic page's body inside a CMS page: menus, a sidebar of other reports, scripts, footer."""
    known = known_report("2021", seed=11)
    doc = to_html(known).decode()
    title = doc[doc.index("<title>") + 7 : doc.index("</title>")]
    body = doc[doc.index("<body>") + 6 : doc.index("</body>")].replace("<h1>", "<h1 class='t'>")
    if layout == "divs":
        main = f"<div class='side'>{SIDEBAR}</div><div class='main'><div class='con'>{body}</div></div>"
    else:
        main = f"<table width='100%'><tr><td class='side'>{SIDEBAR}</td><td>{body}</td></tr></table>"
    page_ = (
        f"<html><head><meta charset='utf-8'><title>{title}_某某县人民政府</title><script>var a='<table>';</script></head>"
        f"<body><div class='top'><a>首页</a><a>政务公开</a></div><nav>导航</nav>{main}"
        "<div class='foot'><table><tr><td>主办单位：某某县人民政府办公室</td><td>网站标识码</td></tr></table></div>"
        "<footer>版权所有</footer></body></html>"
    )
    rows = html_rows(page_.encode())
    assert rows[0] == [title]
    assert not any("首页" in c or "主办单位" in c or "2022年" in c for r in rows for c in r)
    r = read_bytes(page_.encode(), "cms.html")
    assert (r.agency, r.year) == (known.agency, known.year)
    assert r.tables() == known.tables()


def test_pre2019_report_as_a_cms_page_is_metadata_only(shared_dir):
    """The 2013 平潭县 report's text laid out as a CMS article between menus and a footer of divs."""
    page_txt = next((shared_dir / "corpus" / "real" / "pingtan_transcribed").glob("80754_*/page.txt"))
    text = page_txt.read_text(encoding="utf-8").split("正文 ====================", 1)[1]
    body = "".join(f"<p>{s}。</p>" for s in text.strip().split("。") if s.strip())
    html = (
        "<html><head><title>平潭县人民政府2013年政府信息公开工作年度报告_平潭综合实验区</title></head><body>"
        f"<div class='top'><p>首页</p><p>政务公开</p></div><div class='con'>{body}</div>"
        "<div class='bottom'><p>版权所有 平潭综合实验区管委会</p></div></body></html>"
    ).encode()
    rows = html_rows(html)
    assert rows[0] == ["平潭县人民政府2013年政府信息公开工作年度报告"]
    assert ["首页"] not in rows and ["政务公开"] not in rows
    assert not any(r[0].startswith("版权所有") for r in rows)
    r = read_bytes(html, "80754.html")
    assert (r.status, r.agency, r.year, r.cells) == ("unsupported_format", "平潭县人民政府", 2013, {})


def _one_table(doc: str) -> str:
    """The synthetic page with every heading, paragraph and table after the title in ONE table."""
    head, rest = doc.split("<h2>", 1)
    content = re.sub(r"</?table[^>]*>", "", "<h2>" + rest[: rest.index("</body>")])
    content = re.sub(r"<(h2|p)>(.*?)</\1>", r'<tr><td colspan="15">\2</td></tr>', content)
    return f'{head}<table border="1">{content}</table></body></html>'


def test_one_table_for_everything_round_trip():
    known = known_report("2021", seed=4)
    data = _one_table(to_html(known).decode()).encode()
    assert data.count(b"<table") == 1
    assert [r[0] for r in html_rows(data) if r[0].startswith("三、收到")][:1] == ["三、收到和处理政府信息公开申请情况"]
    r = read_bytes(data, "one-table.html")
    assert r.tables() == known.tables()
    assert r.findings == []


def test_part_split_over_two_tables_round_trip():
    """Table 三 printed as two tables (a page break in the Word original) with a page number between."""
    known = known_report("2019", seed=9)
    doc = to_html(known).decode()
    cut = doc.rindex("<tr>", 0, doc.index("三、本年度办理结果"))
    data = (doc[:cut] + '</table><p>— 3 —</p><table border="1">' + doc[cut:]).encode()
    assert data.count(b"<table") == 4
    r = read_bytes(data, "split.html")
    assert r.tables() == known.tables()


def test_round_trip_blank_other_row():
    """（六）其他处理 3.其他 printed with every cell blank (its counts moved to 予以公开: identities hold)."""
    known = known_report("2021", seed=2)
    for col in APPS:
        granted, other = ("applications", "granted", col), ("applications", "other_other", col)
        v = known.cells[granted].value + known.cells[other].value
        known.cells[granted] = Cell(*granted, value=v, state="number", raw=str(v))
        known.cells[other] = Cell(*other, value=0, state="blank", raw="")
    assert ["三、本年度办理结果", "（六）其他处理", "3.其他", *[""] * 7] in html_rows(to_html(known))
    r = read_bytes(to_html(known), "synthetic.html")
    assert r.tables() == known.tables()
