"""The text reader and the interpreter on the seed report and on every trap of issue 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from govstats import NotAReport, read_bytes, read_report
from govstats.format import national_format

FMT = national_format()
APP_COLS = list(FMT.tables["applications"].columns)


def test_seed_reads_exactly(seed_path):
    r = read_report(seed_path)
    assert (r.agency, r.year, r.template, r.status) == ("郏县龙山街道办事处", 2023, "2021", "parsed")
    t = r.tables()
    assert len(t["disclosure"]) == 6
    assert len(t["applications"]) == 25
    assert all(len(cols) == 7 for cols in t["applications"].values())
    assert len(t["review_litigation"]) == 3
    values = [v for tb in t.values() for cols in tb.values() for v in cols.values()]
    assert len(values) == 6 + 2 * 3 + 4 * 1 + 25 * 7 + 15 - 6  # rules/normative 3 cols, 4 single-column rows
    assert all(v == 0 for v in values)
    # no check fails; the one note is that the title is printed in traditional characters (郟县)
    assert [(f.check, f.severity) for f in r.findings] == [("traditional_characters", "info")]
    assert all(c.state == "number" for c in r.cells.values())


def test_seed_misplaced_other_row(seed_path):
    """The seed prints "3. 其他" in the first column instead of under （六）其他处理."""
    r = read_report(seed_path)
    assert r.cells[("applications", "other_other", "total")].raw == "0"


def _apps_lines(rows: dict[str, list[str]], sep: str = "\t") -> list[str]:
    out = []
    for spec in FMT.tables["applications"].rows_for("2021"):
        vals = rows.get(spec.code, ["0"] * 7)
        out.append(sep.join([spec.zh, *vals]))
    return out


# Parts 一, 五 and 六 as a complete report prints them (the audit of issue 14 reads them).
OVERVIEW = "本机关依托政府网站主动公开政府信息，依法办理政府信息公开申请。"
PROBLEMS = "公开内容不够全面，下一步将加强培训。"
OTHER = "本年度未收取信息处理费。"


def _doc(app_lines: list[str], *, title: str = "某某县财政局2022年政府信息公开工作年度报告", disclosure: list[str] | None = None,
         review: str = "\t".join(["0"] * 15)) -> bytes:
    disclosure = disclosure if disclosure is not None else [
        "规章\t0\t0\t0", "行政规范性文件\t1\t0\t5", "行政许可\t10", "行政处罚\t2", "行政强制\t0", "行政事业性收费\t1.5"]
    lines = [title, "一、总体情况", OVERVIEW, "二、主动公开政府信息情况", *disclosure,
             "三、收到和处理政府信息公开申请情况", *app_lines,
             "四、政府信息公开行政复议、行政诉讼情况", review, "五、存在的主要问题及改进情况", PROBLEMS,
             "六、其他需要报告的事项", OTHER]
    return "\n".join(lines).encode("utf-8")


def _balanced() -> dict[str, list[str]]:
    """new 5 (3 natural persons, 2 firms) = granted 3 + unable_not_held 1 + carried_forward 1."""
    return {
        "new_received": ["3", "2", "0", "0", "0", "0", "5"],
        "granted": ["2", "1", "0", "0", "0", "0", "3"],
        "unable_not_held": ["1", "0", "0", "0", "0", "0", "1"],
        "total_processed": ["3", "1", "0", "0", "0", "0", "4"],
        "carried_forward": ["0", "1", "0", "0", "0", "0", "1"],
    }


def test_balanced_document_has_no_findings():
    r = read_bytes(_doc(_apps_lines(_balanced())))
    assert r.findings == []
    assert r.value("applications", "granted", "commercial") == 1
    assert r.value("disclosure", "fees", "amount_10k_yuan") == 1.5
    assert r.value("disclosure", "normative_documents", "valid") == 5


def test_broken_identity_is_reported_and_numbers_kept():
    rows = _balanced()
    rows["total_processed"] = ["3", "1", "0", "0", "0", "0", "9"]  # printed 9, parts add to 4
    r = read_bytes(_doc(_apps_lines(rows)))
    assert r.value("applications", "total_processed", "total") == 9
    checks = {(f.check, f.row, f.column) for f in r.findings if f.severity == "error"}
    assert ("I2_outcomes", "", "total") in checks
    assert ("I3_applicant_total", "total_processed", "") in checks
    f = next(f for f in r.findings if f.check == "I2_outcomes")
    assert (f.expected, f.printed) == (4, 9)
    assert f.message_zh and f.message_en


@pytest.mark.parametrize(
    "label",
    ["（一）予以公开", "(一)予以公开", "（一） 予 以 公 开", "(一)\u00a0予以公开", "（一）予以公開"],
)
def test_label_variants(label):
    lines = _apps_lines(_balanced())
    lines = [label + "\t" + ln.split("\t", 1)[1] if ln.startswith("（一）予以公开") else ln for ln in lines]
    r = read_bytes(_doc(lines))
    assert r.value("applications", "granted", "total") == 3
    assert r.findings == []


@pytest.mark.parametrize("numbering", ["1.", "1、", "1．", "１．", "1. "])
def test_numbering_styles(numbering):
    lines = [ln.replace("1.本机关", numbering + "本机关") for ln in _apps_lines(_balanced())]
    r = read_bytes(_doc(lines))
    assert r.value("applications", "unable_not_held", "natural_person") == 1


def test_full_width_digits_thousands_and_notes():
    disclosure = ["规章\t０\t０\t１", "行政规范性文件\t22（其中修订16件）\t0\t55（含自然失效29件）", "行政许可\t1,234", "行政处罚\t2",
                  "行政强制\t0", "行政事业性收费\t1,234.56"]
    r = read_bytes(_doc(_apps_lines(_balanced()), disclosure=disclosure))
    assert r.value("disclosure", "rules", "valid") == 1
    assert r.value("disclosure", "normative_documents", "made") == 22
    assert r.cells[("disclosure", "normative_documents", "made")].raw == "22（其中修订16件）"
    assert r.value("disclosure", "normative_documents", "valid") == 55
    assert r.value("disclosure", "licensing", "decisions") == 1234
    assert r.value("disclosure", "fees", "amount_10k_yuan") == pytest.approx(1234.56)


def test_fees_in_yuan_are_converted_to_10k_yuan():
    disclosure = ["规章\t0\t0\t0", "行政规范性文件\t1\t0\t5", "行政许可\t10", "行政处罚\t2", "行政强制\t0", "行政事业性收费\t5000元"]
    r = read_bytes(_doc(_apps_lines(_balanced()), disclosure=disclosure))
    assert r.value("disclosure", "fees", "amount_10k_yuan") == pytest.approx(0.5)
    assert r.cells[("disclosure", "fees", "amount_10k_yuan")].raw == "5000元"
    assert [f.check for f in r.findings] == ["unit_converted"]


def test_page_footers_and_repeated_headers_inside_table():
    lines = _apps_lines(_balanced())
    header = "\t".join(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
    lines[10:10] = ["- 4 -", "— 5 —", "第 2 页", header]
    r = read_bytes(_doc(lines))
    assert [f.check for f in r.findings] == ["page_footer_in_table"]
    assert r.value("applications", "unable_not_held", "total") == 1


def test_review_printed_as_labelled_rows_with_blank_zeros():
    review = "\n".join(["行政复议\t1\t\t\t\t1", "未经复议直接起诉\t\t\t2\t\t2", "复议后起诉\t\t\t\t\t"])
    r = read_bytes(_doc(_apps_lines(_balanced()), review=review))
    assert r.value("review_litigation", "review", "maintained") == 1
    assert r.value("review_litigation", "litigation_direct", "other_result") == 2
    assert r.value("review_litigation", "litigation_after_review", "total") == 0
    assert [f.check for f in r.findings] == ["blank_as_zero"]


def test_carried_forward_row_is_not_section_four():
    r = read_bytes(_doc(_apps_lines(_balanced())))
    assert r.value("applications", "carried_forward", "total") == 1
    assert r.value("review_litigation", "review", "total") == 0


@pytest.mark.parametrize("layout", ["tabs", "spaces", "pipes", "one_per_line"])
def test_layouts(layout):
    rows = _balanced()
    if layout == "tabs":
        lines = _apps_lines(rows)
    elif layout == "spaces":
        lines = _apps_lines(rows, sep="   ")
    elif layout == "pipes":
        lines = ["| " + ln.replace("\t", " | ") + " |" for ln in _apps_lines(rows)]
        lines.insert(0, "|---|---|---|---|---|---|---|---|")
    else:
        lines = [cell for ln in _apps_lines(rows) for cell in ln.split("\t")]
    r = read_bytes(_doc(lines))
    assert r.value("applications", "new_received", "commercial") == 2
    assert r.value("applications", "carried_forward", "total") == 1
    assert not [f for f in r.findings if f.severity != "info"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5"])
def test_encodings(encoding):
    text = _doc(_apps_lines(_balanced()), title="郟縣財政局2022年政府信息公開工作年度報告").decode("utf-8")
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2t").convert(text).replace("“", '"').replace("”", '"')
    r = read_bytes(text.encode(encoding))
    assert r.agency == "郏县财政局"
    assert r.value("applications", "granted", "total") == 3


def test_supported_tables_are_read_whatever_the_title_year():
    r = read_bytes(_doc(_apps_lines(_balanced()), title="某某县财政局2018年政府信息公开工作年度报告"))
    assert (r.status, r.template, r.year) == ("parsed", "2021", 2018)
    assert r.value("applications", "granted", "total") == 3
    assert [f.check for f in r.findings] == ["year_before_format"]


def test_title_normalised():
    r = read_bytes(_doc(_apps_lines(_balanced()), title="郟县龙山街道办事处 2023 年政府信息公开工作年度 报告"))
    assert (r.agency, r.year) == ("郏县龙山街道办事处", 2023)


def test_a_title_without_an_agency_names_none():
    """`2023年度政府信息公开工作年度报告`: 政府 belongs to the report's name; the agency is unknown (a
    warning), the year known; a full title on the next line is read as the title."""
    r = read_bytes(_doc(_apps_lines(_balanced()), title="2023年度政府信息公开工作年度报告"))
    assert (r.agency, r.year) == (None, 2023)
    assert any(f.check == "metadata_missing" for f in r.findings)
    r = read_bytes(_doc(_apps_lines(_balanced()), title="2023年度政府信息公开工作年度报告\n郏县教育局2023年政府信息公开工作年度报告"))
    assert (r.agency, r.year) == ("郏县教育局", 2023)


def test_template_from_tables_not_year():
    lines = [ln for ln in _apps_lines(_balanced()) if not ln.startswith(("1.申请人无正当", "2.申请人逾期", "3.其他"))]
    i = next(i for i, ln in enumerate(lines) if ln.startswith("（七）"))
    lines.insert(i, "\t".join(["（六）其他处理", *["0"] * 7]))
    r = read_bytes(_doc(lines, title="某某县财政局2023年政府信息公开工作年度报告"))
    assert r.template == "hybrid"
    assert r.value("applications", "other_total", "total") == 0
    assert r.findings == []


def test_blank_total_is_recovered_not_zero():
    rows = _balanced()
    rows["carried_forward"] = ["0", "1", "0", "0", "0", "0", ""]
    r = read_bytes(_doc(_apps_lines(rows)))
    assert r.value("applications", "carried_forward", "total") == 1
    assert r.cells[("applications", "carried_forward", "total")].state == "blank"
    assert any(f.check == "blank_recovered" for f in r.findings)


def test_whole_blank_total_column_is_not_zero():
    """Spec §7: a blank 总计 beside non-zero applicant columns is missing, not zero."""
    rows = {code: [*vals[:6], ""] for code, vals in _balanced().items()}
    r = read_bytes(_doc(_apps_lines(rows)))
    assert r.value("applications", "new_received", "total") == 5
    assert r.value("applications", "granted", "total") == 3
    assert r.value("applications", "carried_over", "total") == 0
    assert not [f for f in r.findings if f.severity == "error"]


def test_blank_part_that_breaks_an_identity_is_not_zero():
    rows = _balanced()
    rows["granted"] = ["", "1", "0", "0", "0", "0", "3"]  # the blank natural_person must be 2
    r = read_bytes(_doc(_apps_lines(rows)))
    assert r.value("applications", "granted", "natural_person") == 2
    assert any(f.check == "blank_recovered" and f.row == "granted" for f in r.findings)


def test_blank_zeros():
    rows = _balanced()
    rows["carried_over"] = [""] * 7
    r = read_bytes(_doc(_apps_lines(rows)))
    assert r.value("applications", "carried_over", "total") == 0
    assert [f.check for f in r.findings] == ["blank_as_zero"]


def test_slash_cells_are_null():
    disclosure = ["规章\t/\t/\t/", "行政规范性文件\t1\t0\t5", "行政许可\t—", "行政处罚\t2", "行政强制\t0", "行政事业性收费\t0"]
    r = read_bytes(_doc(_apps_lines(_balanced()), disclosure=disclosure))
    assert r.cells[("disclosure", "rules", "made")].state == "dash"
    assert r.value("disclosure", "rules", "made") is None
    assert r.value("disclosure", "licensing", "decisions") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe" * 200, "binary"),
        ("2023年工作总结\n一、工作开展情况\n今年我局完成了各项工作。".encode(), "no tables"),
    ],
)
def test_not_a_report(data, reason):
    with pytest.raises(NotAReport, match=reason):
        read_bytes(data)


def test_pre2019_report_is_recognised():
    text = "某某县人民政府2013年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n全年主动公开信息100条。"
    r = read_bytes(text.encode())
    assert (r.status, r.year, r.template) == ("unsupported_format", 2013, None)
    assert r.cells == {}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govstats", *args], capture_output=True, text=True)


def test_cli_parse_json(seed_path):
    out = _cli("parse", "--json", str(seed_path))
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["agency"] == "郏县龙山街道办事处" and d["year"] == 2023 and d["template"] == "2021"
    assert d["tables"]["applications"]["new_received"]["total"] == 0
    assert d["tables"]["review_litigation"]["litigation_after_review"]["total"] == 0
    assert [f["check"] for f in d["findings"]] == ["traditional_characters"]


def test_cli_bad_input_one_line(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = _cli("parse", str(bad))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and str(bad) in out.stderr and "empty" in out.stderr
    assert "Traceback" not in out.stderr


def test_cli_validate_exit_codes(tmp_path):
    rows = _balanced()
    rows["total_processed"][6] = "9"
    broken = tmp_path / "broken.txt"
    broken.write_bytes(_doc(_apps_lines(rows)))
    good = tmp_path / "good.txt"
    good.write_bytes(_doc(_apps_lines(_balanced())))
    assert _cli("validate", str(good)).returncode == 0
    out = _cli("validate", str(broken))
    assert out.returncode == 1 and "I2_outcomes" in out.stdout


def test_every_finding_code_is_in_the_data_dictionary():
    """A check id written anywhere in the package is described in a registry the dictionary lists."""
    import re

    from govstats.corpus.dictionary import entries
    from tests.conftest import ROOT

    used = set()
    for path in (ROOT / "govstats").rglob("*.py"):
        used |= set(re.findall(r'Finding\(\s*"([A-Za-z0-9_]+)"', path.read_text(encoding="utf-8")))
    listed = {e.code for e in entries() if e.kind == "check"}
    assert used and used <= listed, sorted(used - listed)
