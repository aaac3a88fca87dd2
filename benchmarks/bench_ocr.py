"""OCR of scanned reports: accuracy against truth, CPU seconds per page (one core) and memory per worker.

The real PDFs with truth in ../shared are scanned by the project's scanner (deterministic, default
settings) and read back by OCR. Printed per document: cells exact / truth cells, values that differ
from truth without a warning on their row or column (the target is none), the median CPU seconds
per page of the reader and of the floor (RapidOCR's own default pass over the same rendered pages:
detection, angle classifier, recognition), and their ratio. Memory per worker: the peak resident
memory (VmHWM) of a fresh process that loads the models and reads one scan (median of a few),
beside one that reads the same report from its text layer. Skips, saying why, when ../shared or
the OCR package is absent.
"""

from __future__ import annotations

import json
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from statistics import median

from measures import record

from govstats import read_bytes
from govstats.reading.formats.ocr import available, engine, pdf_page_images
from govstats.synth.scanner import scan_pdf

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
MEMORY_RUNS = 3  # the peak varies by some tens of MB from run to run


def _score(report, truth: dict) -> tuple[int, int, int]:
    warned = {(f.table, f.row) for f in report.findings if f.severity != "info"}
    warned_cols = {(f.table, f.column) for f in report.findings if f.severity != "info" and f.column and not f.row}
    total = exact = silent = 0
    for t, rows in truth["tables"].items():
        for r, cols in rows.items():
            for c, v in cols.items():
                if v is None:
                    continue
                total += 1
                got = report.value(t, r, c)
                exact += got == v
                silent += got is not None and got != v and (t, r) not in warned and (t, c) not in warned_cols
    return exact, total, silent


def _read_timed(scan: bytes, name: str):
    """The report and the CPU seconds of each page (the reader reports progress before each page;
    the last page's time runs to the end of reading)."""
    marks: list[float] = []
    report = read_bytes(scan, name, progress=lambda page, n: marks.append(time.process_time()))
    marks.append(time.process_time())
    return report, [b - a for a, b in zip(marks[:-1], marks[1:], strict=True)]


def _floor(scan: bytes) -> list[float]:
    """CPU seconds per page of RapidOCR's default pass over the pages as the reader renders them."""
    out = []
    for image, _ in pdf_page_images(scan):
        start = time.process_time()
        engine()(image)
        out.append(time.process_time() - start)
    return out


def _worker_peak_mb(data: bytes, name: str, ocr: str) -> float:
    """Run in a fresh process: read one file, return this process's peak resident memory (MB):
    VmHWM where /proc has it (getrusage's maxrss keeps the parent's peak across exec)."""
    read_bytes(data, name, ocr=ocr)
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb(data: bytes, name: str, ocr: str) -> float:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_worker_peak_mb, data, name, ocr).result()


def main() -> None:
    if not available():
        print("skipped: rapidocr-onnxruntime is not installed")
        return
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((REAL / "truth").glob("*.json"))] if REAL.is_dir() else []
    truths = [t for t in truths if t["source_file"].endswith(".pdf")]
    if not truths:
        print("skipped: no real PDFs with truth in ../shared")
        return
    print(f"{'document':<36}{'pages':>6}{'exact':>12}{'%':>8}{'silent':>8}{'s/page':>8}{'floor':>7}{'x floor':>8}")
    scans, cells, silent_all, per_page = [], [0, 0], 0, []
    for truth in truths:
        text_pdf = (REAL / truth["source_file"]).read_bytes()
        scan = scan_pdf(text_pdf, seed=1)
        scans.append((text_pdf, scan, truth["source_file"]))
        report, seconds = _read_timed(scan, truth["source_file"])
        floor = _floor(scan)
        exact, total, silent = _score(report, truth)
        print(f"{truth['source_file']:<36}{len(seconds):>6}{exact:>6}/{total:<5}{100 * exact / total:>8.1f}{silent:>8}"
              f"{median(seconds):>8.2f}{median(floor):>7.2f}{median(seconds) / median(floor):>8.2f}")
        cells, silent_all = [cells[0] + exact, cells[1] + total], silent_all + silent
        per_page.append((median(seconds), median(floor)))
    record("ocr", f"scanned real PDFs ({len(truths)}): cells exact", 100 * cells[0] / cells[1], "%")
    record("ocr", "values wrong without a warning", silent_all, "cells", target="0", met=silent_all == 0)
    record("ocr", "CPU per page (median of documents)", median(s for s, _ in per_page), "s",
           floor=median(f for _, f in per_page), basis="RapidOCR's own pass")
    text_pdf, scan, name = scans[0]
    ocr_mb = median(_peak_mb(scan, name, "auto") for _ in range(MEMORY_RUNS))
    text_mb = _peak_mb(text_pdf, name, "never")
    print(f"memory per worker (peak RSS of a fresh process reading {name}, median of {MEMORY_RUNS}): "
          f"{ocr_mb:.0f} MB by OCR, {text_mb:.0f} MB from its text layer")
    record("ocr", "peak memory of one reader", ocr_mb, "MB", floor=text_mb, basis="its text layer")
    print("s/page: median CPU seconds of one process (one core); the machine is shared, so times vary")


if __name__ == "__main__":
    main()
