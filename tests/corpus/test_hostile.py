"""Unattended and hostile input at the corpus edge (issue 10): every file read under limits, a walk
that opens regular files only, one writer at a time, readers that never write. Files are made here."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from govstats.cli import main
from govstats.corpus import ingest, load, scan, store
from govstats.reading.limits import Limits
from govstats.synth.documents import to_text
from tests.corpus.test_corpus import PLACE, mixed_tree, report, write

FAST = Limits(file_timeout=2.0, memory_mb=4096, grace=1.0)  # a good file takes a hundredth of that


def good_files(src: Path, n: int = 5) -> None:
    for i in range(n):
        write(src / "good" / f"{i}.txt", to_text(report("郏县教育局", 2015 + i)))


def statuses(out: Path) -> dict[str, tuple[str, str]]:
    ledger = load(out).ledger
    return {Path(p).name: (str(s), r) for p, s, r in zip(ledger["path"], ledger["status"], ledger["reason"], strict=True)}


def hostile_read(data: bytes, path: str):
    """The real reader, except for files that ask for trouble."""
    from govstats.reading.read import read_bytes

    if b"SPIN" in data:  # a loop in Python (a PDF object that refers to itself)
        while True:
            pass
    if b"STUCK" in data:  # stuck where no alarm reaches (inside a C library)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    if b"HOG" in data:  # a zip bomb
        return bytearray(6 * 2**30)  # within the machine, over the limit
    if b"DIE" in data:  # killed from outside (the out-of-memory killer)
        os.kill(os.getpid(), signal.SIGKILL)
    if b"DEEP" in data:
        def down(n):
            return down(n + 1)
        return down(0)
    return read_bytes(data, path)


HOSTILE = "tests.corpus.test_hostile:hostile_read"


def slow_scan_read(data: bytes, path: str, progress=None):
    """A reader that OCRs three pages of 0.9 s each (2.7 s: over FAST's 2 s) and says so, unless the file
    says SILENT."""
    for page in range(1, 4):
        if progress and b"SILENT" not in data:
            progress(page, 3)
        time.sleep(0.9)
    return hostile_read(data.replace(b"SILENT", b""), path)


@pytest.mark.parametrize("pool", [0, 1])
def test_each_ocr_page_adds_to_its_files_time_limit(tmp_path, pool):
    src = tmp_path / "src"
    write(src / "scan.txt", to_text(report("郏县教育局", 2020)))
    write(src / "silent.txt", to_text(report("郏县财政局", 2020)) + b"SILENT")
    limits = Limits(file_timeout=2.0, memory_mb=4096, grace=1.0, ocr_page=1.0)  # 2 s + 3 pages × 1 s
    ingest([str(src)], tmp_path / "out", workers=pool, reader="tests.corpus.test_hostile:slow_scan_read",
           limits=limits, progress=False)
    got = statuses(tmp_path / "out")
    assert got["scan.txt"][0] == "parsed"
    assert got["silent.txt"] == ("rejected", "time limit: reading took longer than 2 s (--file-timeout)")


@pytest.mark.parametrize(("payload", "reason"), [
    (b"SPIN", "time limit: reading took longer than 2 s (--file-timeout)"),
    (b"STUCK", "time limit: reading took longer than 2 s (--file-timeout)"),
    (b"HOG", "memory limit: reading needed more than 4096 MiB (--memory-limit)"),
    (b"DIE", "the reader process died (signal SIGKILL): killed, or out of memory (--memory-limit)"),
    (b"DEEP", "reader error: RecursionError: maximum recursion depth exceeded"),
])
def test_a_file_over_a_limit_rejects_only_itself(tmp_path, payload, reason):
    src = tmp_path / "src"
    good_files(src)
    write(src / "bad.txt", payload)
    summary = ingest([str(src)], tmp_path / "out", workers=1, reader=HOSTILE, limits=FAST, progress=False)
    got = statuses(tmp_path / "out")
    assert got.pop("bad.txt") == ("rejected", reason)
    assert set(got.values()) == {("parsed", "")} and len(got) == 5
    assert summary.rejected == [(str(src / "bad.txt"), reason)]
    assert len(load(tmp_path / "out").reports) == 5


def test_a_20_digit_count_is_null_with_an_error_and_its_batch_is_read(tmp_path):
    src = tmp_path / "src"
    good_files(src)
    text = to_text(report("郏县财政局", 2023)).decode()
    row = "一、本年新收政府信息公开申请数量\t\t\t3\t0\t0\t0\t0\t0\t3"
    assert row in text
    write(src / "big.txt", text.replace(row, row.replace("\t3\t0", "\t12345678901234567890\t0", 1)).encode())
    ingest([str(src)], tmp_path / "out", workers=1, progress=False)
    c = load(tmp_path / "out")
    assert set(statuses(tmp_path / "out").values()) == {("parsed", "")} and len(c.reports) == 6
    rid = c.reports.loc[c.reports["agency"] == "郏县财政局", "report_id"].item()
    cell = c.cells[(c.cells["report_id"] == rid) & (c.cells["row"] == "new_received")
                   & (c.cells["column"] == "natural_person")]
    assert cell["value"].isna().item() and cell["raw"].item() == "12345678901234567890"
    apps = c.applications[(c.applications["report_id"] == rid) & (c.applications["row"] == "new_received")]
    assert apps["natural_person"].isna().item()
    f = c.findings[(c.findings["report_id"] == rid) & (c.findings["check"] == "value_out_of_range")]
    assert f["severity"].tolist() == ["error"] and "12345678901234567890" in f["message"].item()


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a pipe opened for reading blocks until a writer comes)."""
    def expired(signum, frame):
        raise TimeoutError("blocked")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_walk_opens_regular_files_only(tmp_path):
    src = mixed_tree(tmp_path / "src")
    county = src.joinpath(*PLACE)
    os.mkfifo(county / "catalog.csv")
    os.mkfifo(src / "manifest.csv")
    os.mkfifo(src / "2024.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(src / "report.sock"))
    try:
        with deadline(60):
            ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    finally:
        server.close()
    got = statuses(tmp_path / "out")
    assert got["catalog.csv"] == got["manifest.csv"] == got["2024.txt"] == (
        "skipped", "not a regular file: a named pipe (FIFO)")
    assert got["report.sock"] == ("skipped", "not a regular file: a socket")
    assert len(load(tmp_path / "out").reports) == 3


def test_links_are_followed_inside_the_source_only(tmp_path):
    src = mixed_tree(tmp_path / "src")
    county = src.joinpath(*PLACE)
    os.symlink("/etc/passwd", src / "passwd.txt")
    write(tmp_path / "outside" / "2023.txt", to_text(report("郏县财政局", 2023)))
    os.symlink(tmp_path / "outside", src / "elsewhere")
    os.symlink(county / "教育局", src / "教育局-link")  # a folder inside the tree: followed
    os.symlink(src, county / "loop")  # back to the root
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    ledger = load(tmp_path / "out").ledger.set_index("path")
    row = ledger.loc[str(src / "passwd.txt")]
    assert (row["status"], row["reason"]) == ("skipped", "a symbolic link out of the source folder (to /etc/passwd)")
    assert ledger.loc[str(src / "elsewhere"), "status"] == "skipped"
    linked, real = str(src / "教育局-link" / "2023.txt"), str(county / "教育局" / "2023.txt")
    assert {ledger.loc[linked, "status"], ledger.loc[real, "status"]} == {"parsed", "duplicate"}
    assert ledger.loc[str(county / "loop"), "reason"] == f"a symbolic link loop (back to {src})"
    assert not ledger.index.str.contains("outside").any()
    assert len(load(tmp_path / "out").reports) == 3


def test_a_folder_that_cannot_be_listed_keeps_its_reports(tmp_path, monkeypatch):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    before = load(out)
    locked = str(src.joinpath(*PLACE, "龙山街道"))
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    summary = ingest([str(src)], out, workers=0, progress=False)
    c = load(out)
    assert sorted(c.reports["report_id"]) == sorted(before.reports["report_id"])
    row = c.ledger.set_index("path").loc[locked]
    assert row["status"] == "unlisted" and row["reason"].startswith("cannot list the folder: Permission denied")
    assert summary.counts["removed"] == 0 and summary.counts["unlisted"] == 1 and summary.rejected_total == 1
    monkeypatch.setattr(scan.os, "scandir", real)
    ingest([str(src)], out, workers=0, progress=False)
    c = load(out)
    assert set(c.ledger["status"].astype(str)) == {"parsed"} and len(c.reports) == 3


def test_names_that_are_not_utf8_are_read_and_kept(tmp_path):
    src = tmp_path / "src"
    county = os.fsdecode("郏县".encode("gbk"))  # an archive unpacked from Chinese Windows
    name = os.fsdecode("教育局报告".encode("gbk") + b".txt")
    path = src / "河南省" / "平顶山市" / county / name
    write(path, to_text(report("教育局", 2023)))
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    c = load(out)
    assert c.reports["county"].item() == "郏县"  # the GBK folder name placed it
    row = c.ledger.iloc[0]
    assert row["status"] == "parsed" and row["path"] == scan.shown(str(path)) and "\\xcf" in row["path"]
    assert os.fsdecode(row["raw_path"]) == str(path)  # and kept exactly
    again = ingest([str(src)], out, workers=0, progress=False)
    assert again.written == [] and again.counts["unchanged"] == 1


def test_a_gbk_catalog_is_read_and_noted(tmp_path):
    src = tmp_path / "src"
    write(src / "a" / "2023.txt", to_text(report("某某局", 2023)))
    (src / "catalog.csv").write_bytes("path,province,city,county\na/2023.txt,河北省,石家庄市,正定县\n".encode("gbk"))
    summary = ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    r = load(tmp_path / "out").reports.iloc[0]
    assert (r["province"], r["county"]) == ("河北省", "正定县")
    assert f"note: {src / 'catalog.csv'}: not UTF-8; read as GB18030 (GBK)" in summary.text()


def test_an_oversized_catalog_is_noted_not_read(tmp_path, monkeypatch):
    src = tmp_path / "src"
    write(src / "a" / "2023.txt", to_text(report("某某局", 2023)))
    (src / "catalog.csv").write_text("path,province,city,county\na/2023.txt,河北省,石家庄市,正定县\n" * 20)
    monkeypatch.setattr(scan, "CATALOG_MAX_SIZE", 100)
    summary = ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    assert load(tmp_path / "out").reports.iloc[0]["county"] != "正定县"
    assert f"note: {src / 'catalog.csv'}: too large: grew past the 0 MiB cap" in summary.text()


def test_a_file_that_grows_past_the_cap_after_it_was_measured_is_refused_unread(tmp_path, monkeypatch):
    src = tmp_path / "src"
    good_files(src, 2)
    grown = src / "good" / "0.txt"
    real_inspect = scan.inspect

    def inspect_then_grow(e, max_size=scan.MAX_SIZE):
        e = real_inspect(e, max_size)
        if e.path == str(grown):
            with open(grown, "ab") as f:  # the file grows between hashing and reading
                f.write(b"x" * 4096)
        return e

    monkeypatch.setattr(scan, "inspect", inspect_then_grow)
    ingest([str(src)], tmp_path / "out", workers=0, progress=False, max_size=4000)
    status, reason = statuses(tmp_path / "out")["0.txt"]
    assert status == "rejected" and reason.startswith("too large: grew past the 0 MiB cap")
    assert statuses(tmp_path / "out")["1.txt"][0] == "parsed"


def test_one_writer_at_a_time(tmp_path, capsys):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    with store.lock(out):
        with pytest.raises(store.Busy):
            ingest([str(src)], out, workers=0, progress=False)
        assert main(["ingest", str(src), "--out", str(out), "--workers", "0", "--quiet"]) == 3
    err = capsys.readouterr().err
    assert err == f"govstats ingest: {out} is busy: another ingest is writing it (exit 3; --wait S to wait for it)\n"
    assert not store.path_of(out, "reports").exists()

    held = threading.Event()

    def hold():
        with store.lock(out):
            held.set()
            time.sleep(0.5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait()
    summary = ingest([str(src)], out, workers=0, progress=False, wait=30)  # waits for the other, then writes
    t.join()
    assert summary.counts["parsed"] == 3


def test_a_corpus_whose_version_was_cleaned_up_says_load_again(tmp_path, monkeypatch):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    early = load(out)
    monkeypatch.setattr(store, "KEEP_SECONDS", -1)  # superseded versions go at once
    for i in range(2):
        write(src / "more" / f"{i}.txt", to_text(report("郏县财政局", 2020 + i)))
        ingest([str(src)], out, workers=0, progress=False)
    for read in (lambda: early.applications, lambda: early.sql("select count(*) from reports")):
        with pytest.raises(FileNotFoundError, match="replaced by a newer ingest and removed: load the dataset again"):
            read()
    assert len(load(out).applications)


def test_readers_never_write_and_read_one_version(tmp_path):
    src = mixed_tree(tmp_path / "src")
    out = tmp_path / "out"
    ingest([str(src)], out, workers=0, progress=False)
    (out / store.SCRATCH).mkdir()  # as an ingest running now has them
    (out / store.VERSIONS / store.STAGING).mkdir()
    early = load(out)
    assert (out / store.SCRATCH).is_dir() and (out / store.VERSIONS / store.STAGING).is_dir()
    for i in range(3):  # commits while a reader holds the version it loaded
        write(src / "more" / f"{i}.txt", to_text(report("郏县财政局", 2020 + i)))
        ingest([str(src)], out, workers=0, progress=False)
    assert len(early.cells) and set(early.cells["report_id"]) == set(early.reports["report_id"])
    assert len(early.reports) == 3 and len(load(out).reports) == 6

    stop = threading.Event()
    errors = []

    def writer():
        try:
            for i in range(4):
                write(src / "later" / f"{i}.txt", to_text(report("郏县民政局", 2010 + i)))
                ingest([str(src)], out, workers=0, progress=False)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
        finally:
            stop.set()

    t = threading.Thread(target=writer)
    t.start()
    seen = set()
    while not stop.is_set():
        c = load(out)
        ids = set(c.reports["report_id"])
        assert set(c.applications["report_id"]) == ids == set(c.cells["report_id"])
        assert set(c.ledger["report_id"].dropna()) == ids
        seen.add(len(ids))
    t.join()
    assert not errors and len(load(out).reports) == 10
