"""The ingest, dictionary and export commands; the synthetic generator's catalog; a Dask cluster."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from govstats.cli import main
from govstats.corpus import ingest, load
from govstats.corpus.dictionary import table_label
from govstats.format import national_format


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Two years of 郏县's government and two departments, text and HTML, with catalog.csv."""
    from govstats.synth.generate import generate_corpus

    root = tmp_path_factory.mktemp("synth")
    manifest = generate_corpus(root / "src", counties="郏县", years="2022-2023", formats="txt,html", departments=2)
    return root, manifest


def test_ingest_command_of_a_synthetic_corpus(synthetic, capsys):
    root, manifest = synthetic
    out = root / "out"
    assert main(["ingest", str(root / "src"), "--out", str(out), "--workers", "2", "--strict", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"parsed {len(manifest)}" in err
    c = load(out)
    assert len(c.reports) == len(manifest) == len(c.ledger)
    assert c.reports["synthetic"].all()
    by_path = manifest.set_index("path")
    rel = c.reports["source_path"].map(lambda p: p.split("/src/", 1)[1])
    assert list(c.reports["level"].astype(str)) == list(by_path.loc[rel, "level"])
    assert set(c.reports["county"]) == {"郏县"}
    assert main(["ingest", str(root / "src"), "--out", str(out), "--quiet"]) == 0
    assert "wrote: nothing" in capsys.readouterr().err


def test_catalog_takes_precedence(tmp_path, synthetic):
    root, manifest = synthetic
    src = tmp_path / "src"
    first = manifest.iloc[0]
    target = src / first["path"]
    target.parent.mkdir(parents=True)
    target.write_bytes((root / "src" / first["path"]).read_bytes())
    with open(src / "catalog.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["path", "province", "city", "county", "agency", "level", "scope", "synthetic"])
        w.writeheader()
        w.writerow({"path": first["path"], "province": "河北省", "city": "石家庄市", "county": "正定县",
                    "agency": first["agency"], "level": "department", "scope": "regional_summary", "synthetic": True})
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    r = load(tmp_path / "out").reports.iloc[0]
    assert (r["province"], r["county"], r["level"], r["scope"]) == ("河北省", "正定县", "department", "regional_summary")


def test_strict_exits_1_on_a_rejected_file(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notes.txt").write_text("这不是年度报告", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert main(["ingest", str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--quiet", "--strict"]) == 1
    assert "rejected files in the ledger: 1" in capsys.readouterr().err


def test_dictionary_lists_every_code(capsys):
    assert main(["dictionary", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    nf = national_format()
    codes = {(r["kind"], r["table"], r["code"]): r["zh"] for r in rows}
    for t, spec in nf.tables.items():
        for row in spec.rows:
            assert ("row", t, row.code) in codes
        for col in spec.columns.values():
            assert codes[("column", t, col.code)] == col.zh
    for i in nf.identities:
        assert ("check", i.table, i.id) in codes
    kinds = {r["kind"] for r in rows}
    assert {"table", "row", "column", "state", "status", "ledger_status", "level", "scope", "check"} <= kinds
    assert codes[("level", "", "township")] == "乡镇街道"
    assert main(["dictionary"]) == 0
    md = capsys.readouterr().out
    assert "| applications | new_received | 一、本年新收政府信息公开申请数量 |" in md


def test_export_xlsx_and_csv(synthetic, tmp_path):
    root, manifest = synthetic
    out = root / "out-export"
    ingest([str(root / "src")], out, workers=0, progress=False)
    assert main(["export", str(out), "--to", str(tmp_path / "x.xlsx")]) == 0
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True)
    assert wb.sheetnames == [
        table_label(t) for t in ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger",
                                 "copies")
    ]
    header = next(wb[table_label("applications")].iter_rows(max_row=1, values_only=True))
    assert header[:8] == ("报告编号", "机关", "省", "市", "县（区）", "年度", "行", "自然人")  # who and where, beside the id
    assert wb["报告"].max_row == len(manifest) + 1
    assert main(["export", str(out), "--to", str(tmp_path / "x.csv")]) == 0
    raw = (tmp_path / "x_reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(tmp_path / "x_applications.csv", encoding="utf-8-sig")
    assert "自然人" in df.columns and "一、本年新收政府信息公开申请数量" in set(df["行"])
    assert main(["export", str(out), "--to", str(tmp_path / "x.json")]) == 2


def test_dask_local_cluster_gives_the_same_dataset(synthetic, tmp_path):
    distributed = pytest.importorskip("distributed")
    root, _ = synthetic
    ingest([str(root / "src")], tmp_path / "local", workers=0, progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        summary = ingest([str(root / "src")], tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert summary.rejected_total == 0
    a, b = load(tmp_path / "local"), load(tmp_path / "dask")
    pd.testing.assert_frame_equal(a.reports, b.reports)
    key = ["report_id", "row"]
    pd.testing.assert_frame_equal(a.applications.sort_values(key, ignore_index=True),
                                  b.applications.sort_values(key, ignore_index=True))


def test_missing_source_is_a_one_line_error(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"govstats ingest: no such file or folder: {tmp_path / 'nowhere'}"
    assert not (tmp_path / "out").exists()


def test_dictionary_statuses_are_the_models():
    from govstats.corpus.dictionary import REPORT_STATUSES
    from govstats.reading.report import STATUSES

    assert tuple(REPORT_STATUSES) == STATUSES


def test_unwritable_out_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("not a report", encoding="utf-8")
    in_the_way = tmp_path / "file"
    in_the_way.write_text("x", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "src"), "--out", str(in_the_way), "--workers", "0", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govstats ingest: cannot write the dataset") and err.count("\n") == 1


def test_an_unexpected_error_is_one_line(tmp_path, capsys, monkeypatch):
    """A bug or a library error (a corrupt Parquet file under render, say) is one line in a cron log."""
    from govstats.cli import main
    from govstats.cli import parse as parse_cli

    def broken(args, name):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(parse_cli, "run", broken)
    assert main(["parse", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected RuntimeError: something unexpected" in err
    monkeypatch.setenv("GOVSTATS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["parse", str(tmp_path)])
