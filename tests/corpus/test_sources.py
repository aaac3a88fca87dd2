"""A dataset remembers its source roots: ingests of separate folders add up; a rescan removes only what
a scanned root lost; a root is dropped explicitly; a moved root keeps its reports (issue 16)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from govstats.cli import main
from govstats.corpus import assemble, ingest, load, scan, sources
from govstats.synth.documents import to_docx, to_html, to_text
from tests.corpus.test_corpus import report, snapshot, write


def county(root: Path, name: str) -> Path:
    return root / "河南省" / "平顶山市" / name


def two_roots(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "2023_downloads", tmp_path / "2024_downloads"
    for agency in ("郏县教育局", "郏县财政局"):
        write(county(a, "郏县") / agency / "2023.txt", to_text(report(agency, 2023)))
    for agency in ("宝丰县教育局", "宝丰县财政局", "宝丰县民政局"):
        write(county(b, "宝丰县") / agency / "2024.html", to_html(report(agency, 2024)))
    return a, b


def counts(out: Path) -> dict[str, tuple[int, int]]:
    t = sources.listing(out)
    return {Path(r).name: (f, n) for r, f, n in zip(t["root"], t["files"], t["reports"], strict=True)}


def test_two_roots_in_separate_runs_add_up(tmp_path, capsys):
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    second = ingest([str(b)], out, workers=0, progress=False)
    assert second.counts["removed"] == 0 and second.counts["unchanged"] == 2 and second.counts["parsed"] == 3
    c = load(out)
    assert len(c.reports) == 5 and set(c.reports["county"]) == {"郏县", "宝丰县"}
    assert counts(out) == {"2023_downloads": (2, 2), "2024_downloads": (3, 3)}
    assert main(["sources", str(out)]) == 0
    listed = capsys.readouterr().out
    assert str(a) in listed and str(b) in listed and "last_scanned" in listed
    before = snapshot(out)
    again = ingest([str(a)], out, workers=0, progress=False)  # one root again: nothing changed
    assert again.written == [] and snapshot(out) == before


def test_rescan_removes_only_what_a_scanned_root_lost(tmp_path):
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    ingest([str(b)], out, workers=0, progress=False)
    (county(b, "宝丰县") / "宝丰县民政局" / "2024.html").unlink()
    write(county(a, "郏县") / "郏县民政局" / "2023.txt", to_text(report("郏县民政局", 2023)))
    summary = ingest([], out, rescan=True, workers=0, progress=False)
    assert summary.counts["removed"] == 1 and summary.counts["parsed"] == 1 and summary.read == 1
    c = load(out)
    assert sorted(c.reports["agency"]) == sorted(["郏县教育局", "郏县财政局", "郏县民政局", "宝丰县教育局", "宝丰县财政局"])
    assert counts(out) == {"2023_downloads": (3, 3), "2024_downloads": (2, 2)}
    scanned = sources.load(out)["roots"]
    assert set(scanned) == {str(a), str(b)} and all(r["scanned"] for r in scanned.values())


def test_a_root_that_is_not_there_keeps_its_reports(tmp_path):
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a), str(b)], out, workers=0, progress=False)
    hidden = tmp_path / "unmounted"
    a.rename(hidden)  # the disk is not mounted tonight
    summary = ingest([], out, rescan=True, workers=0, progress=False)
    assert summary.counts["removed"] == 0 and len(load(out).reports) == 5
    assert f"note: source {a} is not there: its files keep their last outcome" in summary.text()
    assert sources.listing(out).set_index("root").loc[str(a), "present"] == False  # noqa: E712
    hidden.rename(a)
    assert ingest([], out, rescan=True, workers=0, progress=False).written == []


def test_drop_source_removes_one_roots_reports(tmp_path, capsys):
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    ingest([str(b)], out, workers=0, progress=False)
    assert main(["ingest", "--drop-source", str(b), "--out", str(out), "--quiet"]) == 0
    c = load(out)
    assert sorted(c.reports["agency"]) == ["郏县教育局", "郏县财政局"]
    assert not c.ledger["path"].str.startswith(str(b)).any()
    assert set(c.applications["report_id"]) == set(c.reports["report_id"])
    assert list(counts(out)) == ["2023_downloads"]
    capsys.readouterr()
    assert main(["ingest", "--drop-source", str(tmp_path / "never"), "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (f"govstats ingest: {tmp_path / 'never'} is not a source of {out} "
                                               f"(see `govstats sources {out}`)")


def test_a_moved_root_keeps_its_reports(tmp_path, monkeypatch):
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    ingest([str(b)], out, workers=0, progress=False)
    before = load(out)
    moved = tmp_path / "archive" / "2023"
    moved.parent.mkdir()
    a.rename(moved)
    summary = ingest([str(moved)], out, workers=0, progress=False)
    assert summary.read == 0 and summary.counts["removed"] == 2
    assert f"note: source {a} moved" in summary.text()
    c = load(out)
    assert sorted(c.reports["report_id"]) == sorted(before.reports["report_id"])
    assert c.reports.loc[c.reports["county"] == "郏县", "source_path"].str.startswith(str(moved)).all()
    assert len(c.cells) == len(before.cells)
    assert counts(out) == {"2023": (2, 2), "2024_downloads": (3, 3)}
    reasons = c.ledger.loc[c.ledger["status"] == "removed", "reason"]
    assert reasons.str.startswith(f"moved to {moved}").all()


def test_one_report_across_roots_and_a_drop_lets_the_copy_take_over(tmp_path):
    a, b = tmp_path / "pages", tmp_path / "attachments"
    r = report("郏县教育局", 2023, new=4)
    write(county(a, "郏县") / "郏县教育局" / "2023.html", to_html(r))
    write(county(b, "郏县") / "郏县教育局" / "2023.docx", to_docx(r))
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    ingest([str(b)], out, workers=0, progress=False)
    c = load(out)
    assert len(c.reports) == 1 and c.reports["source_format"].astype(str).item() == "docx"
    assert len(c.copies) == 1 and c.copies["source_path"].item().startswith(str(a))
    summary = ingest([], out, drop=[str(b)], workers=0, progress=False)
    assert summary.read == 1  # the page's data was not kept while it was a copy: read again
    c = load(out)
    assert c.reports["source_format"].astype(str).item() == "html" and c.copies.empty
    new = c.applications.loc[c.applications["row"] == "new_received", "total"].item()
    assert new == 4


def test_a_noop_rerun_neither_hashes_nor_places(tmp_path, monkeypatch):
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a), str(b)], out, workers=0, progress=False)

    def forbidden(*args, **kwargs):
        raise AssertionError("called on a no-op rerun")

    monkeypatch.setattr(scan, "inspect", forbidden)
    monkeypatch.setattr(assemble, "place", forbidden)
    summary = ingest([], out, rescan=True, workers=0, progress=False)
    assert summary.written == [] and summary.counts["unchanged"] == 5
    monkeypatch.undo()
    touched = county(a, "郏县") / "郏县教育局" / "2023.txt"
    os.utime(touched, ns=(1, 1))  # same bytes, another time: hashed, not read, not placed
    monkeypatch.setattr(assemble, "place", forbidden)
    summary = ingest([], out, rescan=True, workers=0, progress=False)
    assert summary.read == 0 and summary.written == ["ledger"]


def test_places_of_a_root_not_scanned_stay_as_they_were(tmp_path):
    a, b = two_roots(tmp_path)
    write(a / "extra" / "2023.txt", to_text(report("某某局", 2023)))
    (a / "catalog.csv").write_text("path,province,city,county\nextra/2023.txt,河北省,石家庄市,正定县\n", encoding="utf-8")
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    (a / "catalog.csv").unlink()  # not rescanned: the stored place stays
    ingest([str(b)], out, workers=0, progress=False)
    r = load(out).reports.set_index("agency")
    assert r.loc["某某局", "county"] == "正定县"
    ingest([str(a)], out, workers=0, progress=False)  # rescanned: the catalog is gone, so is its place
    r = load(out).reports.set_index("agency")
    assert r.loc["某某局", "county"] != "正定县"
    assert pd.notna(r.loc["郏县教育局", "county"])


def test_an_older_dataset_is_rebuilt_whole_or_not_at_all(tmp_path):
    """A dataset written by an older govstats (its ledger lacks a column) cannot keep the files of a
    source not scanned: ingesting one source is refused in one line; --rescan rebuilds it whole."""
    import pyarrow.parquet as pq

    from govstats.corpus import store

    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)
    ingest([str(b)], out, workers=0, progress=False)
    before = len(load(out).reports)
    ledger = store.path_of(store.snapshot(out), "ledger")
    pq.write_table(pq.read_table(ledger).drop(["mtime_ns"]), ledger)
    with pytest.raises(ValueError, match="older govstats"):
        ingest([str(b)], out, workers=0, progress=False)
    ingest([], out, rescan=True, workers=0, progress=False)
    assert len(load(out).reports) == before


def test_reread_reads_every_file_again(tmp_path):
    """After a reader fix, `--reread` reads the files whose reports were read before."""
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    first = ingest([str(a)], out, workers=0, progress=False)
    assert ingest([str(a)], out, workers=0, progress=False).read == 0
    again = ingest([str(a)], out, workers=0, progress=False, reread=True)
    assert again.read == first.read > 0
    assert main(["ingest", str(a), "--out", str(out), "--reread", "--quiet", "--workers", "0"]) == 0


def ocr_like_read(data: bytes, path: str = ""):
    """The reader's answer for a scan, without the cost of OCR: a report with the read_by_ocr note."""
    from govstats import read_bytes
    from govstats.reading.report import Finding

    report = read_bytes(data, path)
    report.add(Finding("read_by_ocr", "info", message_en="scanned pages were read by OCR"))
    return report


def test_the_ledger_notes_files_read_by_ocr(tmp_path):
    from govstats.corpus.worker import OCR_NOTE

    a, _ = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False, reader="tests.corpus.test_sources:ocr_like_read")
    ledger = load(out).ledger
    parsed = ledger[ledger["status"].astype(str) == "parsed"]
    assert len(parsed) > 0 and set(parsed["reason"].astype(str)) == {OCR_NOTE}


def test_a_run_killed_after_its_commit_leaves_its_root_known(tmp_path, monkeypatch):
    """Killed between the tables' commit and the end of the run: the root is still a source, so
    --rescan reads it and --drop-source can remove it."""
    a, b = two_roots(tmp_path)
    out = tmp_path / "out"
    ingest([str(a)], out, workers=0, progress=False)

    def killed() -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(sources, "now", killed)  # called after the commit, before the run's last write
    with pytest.raises(KeyboardInterrupt):
        ingest([str(b)], out, workers=0, progress=False)
    monkeypatch.undo()
    assert len(load(out).reports) == 5  # the second root's reports were committed
    assert set(counts(out)) == {"2023_downloads", "2024_downloads"}
    assert ingest([], out, rescan=True, workers=0, progress=False).counts["removed"] == 0
    ingest([], out, drop=[str(b)], workers=0, progress=False)
    assert len(load(out).reports) == 2 and set(counts(out)) == {"2023_downloads"}


@pytest.mark.parametrize("args", [["--rescan"], ["--drop-source", "/nowhere"]])
def test_rescan_or_drop_of_a_missing_dataset_makes_no_folder(tmp_path, capsys, args):
    out = tmp_path / "not-yet"
    assert main(["ingest", *args, "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == f"govstats ingest: nothing to scan: {out} is not a dataset (give SRC)\n"
    assert not out.exists()
