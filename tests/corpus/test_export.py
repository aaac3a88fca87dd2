"""Excel export for people who never open Python: every sheet reads on its own (agency, place and year
beside the report id), in Chinese (statuses, checks, 是/否), with a frozen header, filters and widths."""

from __future__ import annotations

import openpyxl
import pytest

from govstats.cli import main
from govstats.corpus.dictionary import REPORT_STATUSES, table_label
from govstats.corpus.export import TABLES
from tests._corpus import synthetic_dataset


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> openpyxl.Workbook:
    root = tmp_path_factory.mktemp("export")
    synthetic_dataset(root, "郏县", "2023", seed=2, defects=0.5)
    assert main(["export", str(root / "data"), "--to", str(root / "x.xlsx")]) == 0
    return openpyxl.load_workbook(root / "x.xlsx")


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_every_sheet_carries_agency_place_and_year_beside_the_report_id(workbook):
    for table in TABLES:
        sheet = workbook[table_label(table)]
        header = [c.value for c in sheet[1]]
        at = header.index("报告编号")
        assert header[at:at + 6] == ["报告编号", "机关", "省", "市", "县（区）", "年度"], table
        rows = _rows(sheet)
        assert rows or table == "copies", table  # the sample publishes every report once: no copies
        assert all(r["县（区）"] == "郏县" and r["年度"] == 2023 and r["机关"] for r in rows if r["报告编号"]), table


def test_statuses_checks_and_booleans_are_chinese(workbook):
    reports = _rows(workbook["报告"])
    assert {r["状态"] for r in reports} <= {zh for zh, _ in REPORT_STATUSES.values()}
    assert {r["合成数据"] for r in reports} == {"是"}
    assert {r["状态"] for r in _rows(workbook["文件清单"])} == {"已解析"}
    findings = _rows(workbook["检查结果"])
    assert findings and not any(str(r["检查"]).isascii() for r in findings)  # check codes as their labels
    assert {r["严重程度"] for r in findings} <= {"错误", "警告", "提示"}


def test_header_frozen_filtered_and_columns_sized(workbook):
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        header = [c.value for c in sheet[1]]
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(w >= len(h) for w, h in zip(widths, header, strict=True)), sheet.title
        assert max(widths) <= 60


def test_text_from_data_never_runs_as_a_formula(tmp_path):
    """A hostile agency name (`=HYPERLINK(…)`) is text in the workbook and in the CSV files."""
    import pandas as pd
    from openpyxl import load_workbook

    from govstats.corpus import export

    hostile = '=HYPERLINK("http://evil.example","点此")'
    tables = {"reports": pd.DataFrame({"报告编号": ["r1", "r2"], "机关": [hostile, "-15"], "说明": ["@SUM(1)", "正常"]})}
    export.write(tmp_path / "t.xlsx", tables)
    sheet = load_workbook(tmp_path / "t.xlsx").worksheets[0]
    cells = {c.value: c.data_type for row in sheet.iter_rows(min_row=2) for c in row}
    assert cells[hostile] == "s" and cells["@SUM(1)"] == "s"
    export.write(tmp_path / "t.csv", tables)
    text = (tmp_path / "t_reports.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and ",-15," in text


def test_the_audit_workbook_lists_quality_open_flags_and_decisions_in_chinese(tmp_path):
    from govstats.corpus import load
    from govstats.corpus.dictionary import label
    from govstats.corpus.reviews import record

    data = synthetic_dataset(tmp_path, "郏县", "2023", seed=5, defects=1, workers=0)
    corpus = load(data)
    flags = corpus.flags.astype({"report_id": str})
    assert len(flags) >= 2
    record(data, corpus.findings, flags["finding_id"].iloc[0], "dismiss", reviewer="王", note="口径不同")
    assert main(["audit", str(data), "--to", str(tmp_path / "audit.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "audit.xlsx")
    assert book.sheetnames == [table_label(t) for t in ("quality", "flags", "reviews")]
    quality = _rows(book[table_label("quality")])
    assert len(quality) == len(corpus.reports) and all(r["机关"] and r["县（区）"] == "郏县" for r in quality)
    open_flags = _rows(book[table_label("flags")])
    assert len(open_flags) == len(flags) - 1  # the dismissed one is decided, not open
    assert {r["严重程度"] for r in open_flags} <= {label("warning"), label("error")}
    [decision] = _rows(book[table_label("reviews")])
    assert decision[label("decision")] == label("dismiss") and decision["机关"]
