"""One label registry (govstats.corpus.dictionary): metrics, charts, export and the render index agree."""

from __future__ import annotations

import argparse

import openpyxl
import pandas as pd
import pytest

from govstats.analysis import metrics
from govstats.cli import export as export_cli
from govstats.corpus import dictionary, export
from govstats.corpus.schema import row_codes
from govstats.format import TABLES, national_format
from govstats.render.index import write_index


def test_one_label_per_code_everywhere():
    for code, zh in (("township", "乡镇街道"), ("unknown", "未知"), ("regional_summary", "全地区汇总"),
                     ("county", "县（区）")):
        assert dictionary.label(code) == metrics.label(code) == zh
    assert dictionary.labels("level", "zh")["township"] == metrics.label("township")
    assert dictionary.labels("scope", "zh")["regional_summary"] == metrics.label("regional_summary")
    assert export.headers()["county"] == metrics.label("county")
    assert metrics.label("township", "en") == "Township"


def test_table_labels_come_from_the_format():
    nf = national_format()
    for t in TABLES:
        assert dictionary.table_label(t) == nf.tables[t].zh
    assert dictionary.table_label("applications") == "收到和处理政府信息公开申请情况"
    assert dictionary.table_label("reports") == "报告"


def test_format_codes_are_looked_up_in_their_table_first():
    assert metrics.label("change") == "同比变化"  # the metric
    assert metrics.label("change", table="disclosure") == "本年增/减"  # the 2019 disclosure column
    frame = pd.DataFrame({"year": [2019], "row": ["licensing"], "column": ["change"], "value": [1.0],
                          "change": [1.0]})
    out = metrics.labelled(frame)
    assert out.columns.tolist() == ["年度", "行", "列", "数值", "同比变化"]
    assert out["列"].tolist() == ["本年增/减"] and out["行"].tolist() == ["行政许可"]


def test_titles_for_notebooks_come_from_the_registry():
    assert metrics.label("made", table="disclosure") == "本年制发件数"
    assert metrics.label("decisions", table="disclosure") == "本年处理决定数量"
    assert metrics.label("amount_10k_yuan", table="disclosure") == "本年收费金额（单位：万元）"
    assert metrics.label("2021") == "2021 年格式"
    assert metrics.label("carry_over_rate") == "结转率"


def test_groups_are_derived_from_the_identities():
    nf = national_format()
    i2 = next(i for i in nf.identities if i.id == "I2_outcomes")
    groups = metrics.outcome_rows()
    assert [r for rows in groups.values() for r in rows] == list(i2.rhs)
    assert list(groups) == ["granted", "partial", "denied", "unable", "not_processed", "other"]
    assert groups["other"] == ("other_overdue_correction", "other_overdue_fee", "other_other", "other_total")
    assert metrics.review_results() == ("maintained", "corrected", "other_result")
    assert metrics.application_rows() == row_codes("applications")
    assert metrics.label("not_processed") == "不予处理" and metrics.label("other", "en") == "Other"


def test_every_registry_code_is_in_the_dictionary():
    kinds = {(e.kind, e.code) for e in dictionary.entries()}
    for kind, registry in (("metric", dictionary.METRICS), ("field", dictionary.FIELDS),
                           ("render_status", dictionary.RENDER_STATUSES)):
        assert {(kind, c) for c in registry} <= kinds


def _tiny_tables() -> dict[str, pd.DataFrame]:
    return {t: pd.DataFrame({"报告编号": ["r1"], "说明": ["x"]}) for t in export.TABLES}


def test_export_sheets_are_named_by_the_registry(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "frames", lambda d: _tiny_tables())
    args = argparse.Namespace(dir="unused", to=str(tmp_path / "x.xlsx"))
    assert export_cli.run(args, "export") == 0
    names = openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True).sheetnames
    assert names == [dictionary.table_label(t) for t in export.TABLES]
    assert names[1] == "收到和处理政府信息公开申请情况"
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]  # no partial file left behind


@pytest.mark.parametrize("case", ["not_a_directory", "illegal_character"])
def test_export_write_errors_are_one_line(tmp_path, monkeypatch, capsys, case):
    tables = _tiny_tables()
    target = tmp_path / "out.xlsx"
    if case == "not_a_directory":
        (tmp_path / "file").write_text("", encoding="utf-8")
        target = tmp_path / "file" / "out.xlsx"
    else:
        tables["reports"].loc[0, "说明"] = "bad\x01char"  # openpyxl refuses control characters
    monkeypatch.setattr(export, "frames", lambda d: tables)
    assert export_cli.run(argparse.Namespace(dir="unused", to=str(target)), "export") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"govstats export: {target}: cannot write:")
    assert "Traceback" not in err and not target.exists()
    assert not list(tmp_path.glob(".*partial*"))


def test_render_index_headings_and_statuses_from_the_registry(tmp_path):
    state = {"k": {"province": "河南省", "city": "平顶山市", "county": "郏县", "year": 2023, "status": "ok",
                   "error": "", "seconds": 1.0, "rendered_at": "now", "stem": "a/b"}}
    page = write_index(tmp_path, state, {"k"}).read_text(encoding="utf-8")
    assert f"<th>{metrics.label('county')} county</th>" in page
    assert "成功 ok" in page and "未变化，跳过 unchanged" in page
