"""OCR of scanned reports: accuracy against truth, CPU seconds per page (one core) and memory.

The real PDFs with truth in ../shared are scanned by the project's scanner (deterministic) and read
back by OCR; printed: cells exact / truth cells, values that differ from truth without a warning on
their row or column (the target is none), CPU seconds per page and the peak memory of this process
(one reader = one worker). Skips, saying why, when ../shared or the OCR package is absent.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

from govstats import read_bytes
from govstats.reading.formats.ocr import available
from govstats.synth.scanner import scan_pdf

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


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


def main() -> None:
    if not available():
        print("skipped: rapidocr-onnxruntime is not installed")
        return
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((REAL / "truth").glob("*.json"))] if REAL.is_dir() else []
    truths = [t for t in truths if t["source_file"].endswith(".pdf")]
    if not truths:
        print("skipped: no real PDFs with truth in ../shared")
        return
    print(f"{'document':<36}{'pages':>6}{'exact':>12}{'%':>8}{'silent':>8}{'s/page':>8}")
    for truth in truths:
        scan = scan_pdf((REAL / truth["source_file"]).read_bytes(), seed=1)
        pages: list[int] = []
        start = time.process_time()
        report = read_bytes(scan, truth["source_file"], progress=lambda page, n, seen=pages: seen.append(n))
        seconds = time.process_time() - start
        exact, total, silent = _score(report, truth)
        n = pages[-1] if pages else 0
        print(f"{truth['source_file']:<36}{n:>6}{exact:>6}/{total:<5}{100 * exact / total:>8.1f}{silent:>8}{seconds / max(n, 1):>8.2f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of one reader (this process): {rss:.0f} MB; CPU time of one process (one core); "
          "the machine is shared, so times vary")


if __name__ == "__main__":
    main()
