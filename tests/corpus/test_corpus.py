"""Ingest: mixed trees, bad input, reruns, crashes, across-year checks, load, sql."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from govstats.corpus import ingest, load, store
from govstats.format import national_format
from govstats.reading.report import Cell, Report
from govstats.synth.documents import to_docx, to_html, to_text

ROOT = Path(__file__).resolve().parents[2]
PLACE = ("河南省", "平顶山市", "郏县")


def report(agency: str, year: int, *, new: int = 3, over: int = 0, fwd: int = 0, nd: tuple = (0, 0, 0)) -> Report:
    """A 2021-format report whose natural-person column balances: new + over = granted + fwd."""
    r = Report(agency=agency, year=year, template="2021", synthetic=True)
    values = {
        ("applications", "new_received"): new,
        ("applications", "carried_over"): over,
        ("applications", "granted"): new + over - fwd,
        ("applications", "total_processed"): new + over - fwd,
        ("applications", "carried_forward"): fwd,
    }
    made, repealed, valid = nd
    values |= {("disclosure", "normative_documents", "made"): made, ("disclosure", "normative_documents", "repealed"): repealed,
               ("disclosure", "normative_documents", "valid"): valid}
    for t, row, c in national_format().cell_codes("2021"):
        v = values.get((t, row, c), values.get((t, row), 0) if c in ("natural_person", "total") else 0)
        r.cells[(t, row, c)] = Cell(t, row, c, v, "number", str(v))
    return r


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def mixed_tree(root: Path) -> Path:
    county = root.joinpath(*PLACE)
    write(county / "龙山街道" / "2022.txt", to_text(report("郏县龙山街道办事处", 2022)))
    write(county / "龙山街道" / "2023.html", to_html(report("郏县龙山街道办事处", 2023)))
    write(county / "教育局" / "2023.txt", to_text(report("郏县教育局", 2023, new=5)))
    return root


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.glob("*.parquet"))}


def test_mixed_tree_is_read_placed_and_loaded(tmp_path):
    src = mixed_tree(tmp_path / "src")
    summary = ingest([str(src)], tmp_path / "out", workers=2, progress=False)
    assert summary.counts["parsed"] == 3 and summary.rejected_total == 0
    c = load(tmp_path / "out")
    assert sorted(c.reports["source_format"].astype(str)) == ["html", "text", "text"]
    assert set(c.reports["province"]) == {"河南省"} and set(c.reports["county"]) == {"郏县"}
    assert dict(zip(c.reports["agency"], c.reports["level"].astype(str), strict=True)) == {
        "郏县龙山街道办事处": "township", "郏县教育局": "department"}
    edu = c.reports.loc[c.reports["agency"] == "郏县教育局", "report_id"].item()
    row = c.applications[(c.applications["report_id"] == edu) & (c.applications["row"] == "new_received")]
    assert row["natural_person"].item() == 5 and row["total"].item() == 5
    assert c.reports["report_id"].str.len().eq(16).all()
    assert set(c.ledger["status"]) == {"parsed"}


def test_load_dtypes_labels_and_sql(tmp_path):
    ingest([str(mixed_tree(tmp_path / "src"))], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    r = c.reports
    assert r["year"].dtype == "Int64" and r["n_errors"].dtype == "Int64" and r["synthetic"].dtype == bool
    for col in ("template", "source_format", "level", "scope"):
        assert isinstance(r[col].dtype, pd.CategoricalDtype), col
    apps = c.applications
    assert list(apps["row"].cat.categories[:2]) == ["new_received", "carried_over"]
    assert (apps[["natural_person", "total"]].dtypes == "int32[pyarrow]").all()  # counts: 32-bit
    assert c.disclosure["value"].dtype == "Float64"
    assert c.review_litigation["total"].dtype == "int32[pyarrow]"
    assert c.findings["printed"].dtype == "Float64"
    assert "cells" not in c.__dict__  # lazy
    assert {"table", "row", "column", "value", "state", "raw"} <= set(c.cells.columns)
    assert isinstance(c.cells["state"].dtype, pd.CategoricalDtype)
    zh = load(tmp_path / "out", labels="zh")
    assert "自然人" in zh.applications.columns and "natural_person" not in zh.applications.columns
    assert zh.applications["row"].iloc[0] == "一、本年新收政府信息公开申请数量"
    assert set(zh.reports["level"].astype(str)) == {"乡镇街道", "部门"}
    en = load(tmp_path / "out", labels="en")
    assert "Natural persons" in en.applications.columns
    got = c.sql("select count(*) as n, sum(total) as s from applications where row = 'new_received'")
    assert got["n"].item() == 3 and got["s"].item() == 3 + 3 + 5
    joined = c.sql("select r.agency from reports r join ledger l using (report_id) where l.status = 'parsed'")
    assert len(joined) == 3
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nothing")


def test_bad_input_tree_every_file_in_the_ledger(tmp_path):
    src = tmp_path / "src"
    good = to_text(report("郏县龙山街道办事处", 2023))
    write(src / "good.txt", good)
    write(src / "mirror" / "copy.txt", good)
    write(src / "empty.txt", b"")
    write(src / "binary.bin", bytes(range(256)) * 40)
    write(src / "truncated.docx", to_docx(report("郏县教育局", 2023))[:3000])
    write(src / "summary.txt", "郏县教育局2023年工作总结\n今年我们做了很多工作。".encode())
    write(src / "huge.txt", good + b"\n" + b"x" * 300_000)
    os.symlink(src / "gone.txt", src / "unreadable.txt")  # root can read anything: a dangling link cannot be
    os.mkfifo(src / "pipe")
    summary = ingest([str(src)], tmp_path / "out", workers=2, max_size=200_000, progress=False)
    ledger = load(tmp_path / "out").ledger.set_index("path")
    status = {Path(p).name: s for p, s in ledger["status"].astype(str).items()}
    assert status == {"good.txt": "parsed", "copy.txt": "duplicate", "empty.txt": "rejected", "binary.bin": "rejected",
                      "truncated.docx": "rejected", "summary.txt": "rejected", "huge.txt": "rejected",
                      "unreadable.txt": "rejected", "pipe": "skipped"}
    reason = {Path(p).name: r for p, r in ledger["reason"].items()}
    assert reason["empty.txt"] == "empty file"
    assert "too large" in reason["huge.txt"] and "--max-size" in reason["huge.txt"]
    assert reason["unreadable.txt"].startswith("cannot open")
    assert reason["pipe"] == "not a regular file: a named pipe (FIFO)"
    assert "good.txt" in reason["copy.txt"]
    assert all("\n" not in r for r in reason.values())
    assert summary.rejected_total == 6
    c = load(tmp_path / "out")
    assert len(c.reports) == 1
    assert ledger.loc[str(src / "mirror" / "copy.txt"), "report_id"] == c.reports["report_id"].item()


def test_rerun_changes_nothing(tmp_path):
    src = mixed_tree(tmp_path / "src")
    write(src / "junk.bin", b"\x00\x01garbage")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    before = snapshot(out)
    summary = ingest([str(src)], out, workers=0, progress=False)
    assert summary.written == [] and summary.read == 0  # the rejected junk too: same bytes, same reader
    assert summary.counts["unchanged"] == 4 and summary.rejected == []
    assert snapshot(out) == before


def test_changed_removed_and_new_files(tmp_path):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    county = src.joinpath(*PLACE)
    edu = county / "教育局" / "2023.txt"
    edu.write_bytes(to_text(report("郏县教育局", 2023, new=9)))
    (county / "龙山街道" / "2022.txt").unlink()
    write(src / "mirror.txt", (county / "龙山街道" / "2023.html").read_bytes())
    summary = ingest([str(src)], out, workers=0, progress=False)
    assert summary.read == 1 and summary.counts["removed"] == 1 and summary.counts["duplicate"] == 1
    c = load(out)
    status = dict(zip(c.ledger["path"].map(lambda p: Path(p).name), c.ledger["status"].astype(str), strict=True))
    assert status == {"2022.txt": "removed", "2023.html": "parsed", "2023.txt": "parsed", "mirror.txt": "duplicate"}
    assert len(c.reports) == 2
    edu_id = c.reports.loc[c.reports["agency"] == "郏县教育局", "report_id"].item()
    new = c.applications[(c.applications["report_id"] == edu_id) & (c.applications["row"] == "new_received")]
    assert new["total"].item() == 9
    assert set(c.applications["report_id"]) == set(c.reports["report_id"])
    assert set(c.cells["report_id"]) == set(c.reports["report_id"])
    again = ingest([str(src)], out, workers=0, progress=False)
    assert again.written == []


def slow_read(data: bytes, path: str):
    """A reader that takes its time, so that a test can kill an ingest while it reads."""
    from govstats.reading.read import read_bytes

    time.sleep(0.05)
    return read_bytes(data, path)


def test_killed_ingest_leaves_previous_dataset(tmp_path):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    before = snapshot(out)
    for i in range(200):
        write(src / "more" / f"{i}.txt", to_text(report("郏县教育局", 2000 + i % 20, new=i)))
    code = (f"from govstats.corpus import ingest; ingest([{str(src)!r}], {str(out)!r}, workers=1, "
            "reader='tests.corpus.test_corpus:slow_read', progress=False)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(ROOT)])}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (out / store.SCRATCH / "cells.parquet").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # well inside the reading of 200 slow files
    assert proc.poll() is None, "the ingest finished before it could be killed"
    assert (out / store.SCRATCH).exists(), "the kill should come while new tables are being written"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(out) == before
    assert len(load(out).reports) == 3
    assert (out / store.SCRATCH).exists()  # a reader never deletes: the next writer does
    ingest([str(src)], out, workers=0, progress=False)
    c = load(out)  # the 200 files are 20 years of one agency, ten files each: the same report ten times
    assert len(c.reports) == 3 + 20 and (c.ledger["status"] == "copy").sum() == 180
    assert not (out / store.SCRATCH).exists()


def test_a_commit_killed_before_or_after_its_commit_point(tmp_path):
    """Killed before CURRENT is replaced: the previous version stays; after: the new one is whole. The
    next writer clears what was left and publishes the plain files."""
    out = tmp_path / "out"
    store.write(out, {"a": pa.table({"x": [1]}), "b": pa.table({"x": [1]})})
    first = store.snapshot(out)
    tx = store.Transaction(out)
    tx.put("a", pa.table({"x": [2]}))
    tx.close()  # killed here: staged, not committed
    assert store.snapshot(out) == first and store.read(first, "a")["x"].to_pylist() == [1]
    store.write(out, {"b": pa.table({"x": [3]})})
    second = store.snapshot(out)
    assert second != first and not (out / store.VERSIONS / store.STAGING).exists()
    assert store.read(second, "a")["x"].to_pylist() == [1] and store.read(second, "b")["x"].to_pylist() == [3]
    assert store.read(out, "b")["x"].to_pylist() == [3]  # the plain files follow the current version
    assert store.read(first, "b")["x"].to_pylist() == [1]  # a reader of the last version can still read it
    (out / "b.parquet").unlink()  # killed after the commit point, before the plain files were replaced
    store.recover(out)
    assert store.read(out, "b")["x"].to_pylist() == [3]


def test_reader_crash_is_one_rejected_file(tmp_path):
    src = mixed_tree(tmp_path / "src")
    summary = ingest([str(src)], tmp_path / "out", workers=0, reader="tests.corpus.test_corpus:broken_read", progress=False)
    assert summary.rejected_total == 3
    reasons = set(load(tmp_path / "out").ledger["reason"])
    assert reasons == {"reader error: ZeroDivisionError: division by zero"}


def broken_read(data: bytes, path: str):
    return 1 / 0


def test_across_years(tmp_path):
    src = tmp_path / "src"
    agency = "郏县教育局"
    folder = src.joinpath(*PLACE, agency)
    write(folder / "2021.txt", to_text(report(agency, 2021, new=4, fwd=2, nd=(3, 0, 10))))
    write(folder / "2022.txt", to_text(report(agency, 2022, new=4, over=1, fwd=1, nd=(2, 1, 20))))  # over 1 != fwd 2
    write(folder / "2024.txt", to_text(report(agency, 2024, new=1, over=0, nd=(0, 0, 11))))  # 2023 missing
    write(folder / "2025.txt", to_text(report(agency, 2025, new=1, nd=(1, 0, 12))))  # continuous: no finding
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    year = c.reports.set_index("report_id")["year"]
    f = c.findings[c.findings["check"].isin(["carry_over", "normative_stock", "missing_year"])]
    got = {(int(year[r]), ch, col) for r, ch, col in zip(f["report_id"], f["check"], f["column"], strict=True)}
    assert got == {(2022, "carry_over", "natural_person"), (2022, "carry_over", "total"),
                   (2022, "normative_stock", "valid"), (2024, "missing_year", "")}
    carry = f[(f["check"] == "carry_over") & (f["column"] == "total")]
    assert carry["expected"].item() == 2 and carry["printed"].item() == 1 and carry["severity"].item() == "error"
    stock = f[f["check"] == "normative_stock"]
    assert stock["expected"].item() == 10 + 2 - 1 and stock["printed"].item() == 20
    assert stock["severity"].item() == "warning"
    errors = c.reports.set_index("year")["n_errors"]
    assert errors[2022] == 2 and errors[2021] == 0


def test_duplicate_takes_over_when_the_original_goes(tmp_path):
    src = tmp_path / "src"
    data = to_text(report("郏县教育局", 2023))
    write(src / "a.txt", data)
    write(src / "b.txt", data)
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    first = load(out)
    (src / "a.txt").unlink()
    ingest([str(src)], out, workers=0, progress=False)
    c = load(out)
    assert dict(zip(c.ledger["path"].map(lambda p: Path(p).name), c.ledger["status"].astype(str), strict=True)) == {
        "a.txt": "removed", "b.txt": "parsed"}
    assert c.reports["source_path"].tolist() == [str(src / "b.txt")]
    assert len(c.applications) == len(first.applications) and len(c.cells) == len(first.cells)
    assert len(c.findings) == len(first.findings)


def test_moved_files_are_not_read_again(tmp_path):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    before = load(out)
    src.rename(tmp_path / "moved")
    summary = ingest([str(tmp_path / "moved")], out, workers=0, progress=False)
    assert summary.read == 0 and summary.counts["removed"] == 3 and summary.counts["parsed"] == 3
    after = load(out)
    assert sorted(after.reports["report_id"]) == sorted(before.reports["report_id"])
    assert after.reports["source_path"].str.startswith(str(tmp_path / "moved")).all()
    assert set(after.reports["county"]) == {"郏县"}
    assert len(after.cells) == len(before.cells)


def test_a_fractional_count_is_null_never_truncated():
    from govstats.corpus.worker import _add_report, _Columns

    r = report("郏县教育局", 2023)
    key = ("applications", "new_received", "natural_person")
    r.cells[key] = Cell(*key, 2.5, "number", "2.5")
    out = _Columns()
    _add_report(out, "r", r)
    tables = out.tables()
    apps = tables["applications"].to_pandas().set_index("row")
    assert pd.isna(apps.loc["new_received", "natural_person"])
    assert apps.loc["granted", "natural_person"] == 3  # whole numbers are kept
    cells = tables["cells"].to_pandas()
    assert cells.loc[(cells["row"] == "new_received") & (cells["column"] == "natural_person"), "value"].item() == 2.5


def test_unplaced_homonyms_are_not_compared_across_years():
    from govstats.corpus.years import year_findings

    rows = [("a", 2022, "unknown"), ("b", 2023, "unknown"), ("c", 2022, "河南省"), ("d", 2023, "河南省")]
    reports = pd.DataFrame([{"report_id": rid, "year": y, "status": "parsed", "source_path": rid, "province": prov,
                             "city": "unknown" if prov == "unknown" else "平顶山市", "county": "unknown",
                             "agency_key": "鼓楼区人民政府", "scope": "own", "synthetic": False}
                            for rid, y, prov in rows])
    from govstats.corpus.schema import columns

    apps = pd.DataFrame([{"report_id": rid, "row": row, **{c: None for c in columns("applications")}, "total": v}
                         for rid in "abcd" for row, v in (("carried_over", 1), ("carried_forward", 5))])
    nd = pd.DataFrame(columns=["report_id", "row", "column", "value"])
    got = {(f["report_id"], f["check"]) for f in year_findings(reports, apps, nd)}
    assert got == {("d", "carry_over")}  # placed: 1 carried over != 5 carried forward; a/b never paired


def test_rejected_files_are_read_again(tmp_path):
    """A reader failure is not a property of the bytes: the next run reads the files again."""
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, reader="tests.corpus.test_corpus:broken_read", progress=False)
    assert set(load(out).ledger["status"].astype(str)) == {"rejected"}
    summary = ingest([str(src)], out, workers=0, progress=False)
    assert summary.read == 3 and summary.counts["parsed"] == 3 and summary.rejected_total == 0
    c = load(out)
    assert set(c.ledger["status"].astype(str)) == {"parsed"} and len(c.reports) == 3
    assert set(c.applications["report_id"]) == set(c.cells["report_id"]) == set(c.reports["report_id"])
    before = snapshot(out)
    assert ingest([str(src)], out, workers=0, progress=False).written == []
    assert snapshot(out) == before


def test_dataset_inside_a_source_and_hidden_files(tmp_path):
    src = mixed_tree(tmp_path / "src")
    write(src / ".DS_Store", b"\x00\x01")
    write(src / ".git" / "config", b"[core]")
    out = src / "dataset"
    ingest([str(src)], out, workers=0, progress=False)
    summary = ingest([str(src)], out, workers=0, progress=False)
    assert summary.written == [] and summary.rejected_total == 0 and summary.counts["unchanged"] == 3
    assert not load(out).ledger["path"].str.startswith(str(out)).any()
    assert summary.hidden == 2 and "skipped 2 hidden" in summary.text()
