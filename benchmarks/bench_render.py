"""Render every sample county with 2 workers; target ≤ 2 s per county report, amortized.

Uses data/sample/ when present (else a synthetic corpus of three 平顶山市 counties, 2019–2024), ingests
it into a temporary dataset, then times `govstats render --all` (each county's latest year) and
`--every-year` (one report per county and year) from a cold start: kernel start-up is included.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from govstats.cli import main

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
WORKERS = "2"


def _quiet(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (workers and, through them, kernels)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _time(argv: list[str]) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), _cpu()
    code = _quiet(argv)
    return time.perf_counter() - start, _cpu() - cpu, code


def main_bench() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp_path = Path(tmp)
        source = ROOT / "data" / "sample"
        if not source.is_dir():
            source = tmp_path / "docs"
            _quiet(["synth", "--out", str(source), "--counties", "郏县,宝丰县,叶县", "--years", "2019-2024",
                    "--formats", "txt", "--seed", "7"])
        data = tmp_path / "data"
        if _quiet(["ingest", str(source), "--out", str(data), "--quiet"]) != 0:
            print(f"ingest of {source} failed", file=sys.stderr)
            return 1
        import govstats.corpus

        counties = govstats.corpus.load(data).reports.query("county != 'unknown'")
        n_latest = counties[["province", "city", "county"]].drop_duplicates().shape[0]
        n_all = counties[["province", "city", "county", "year"]].drop_duplicates().shape[0]
        rows = []
        for label, extra, n in (("latest year", [], n_latest), ("every year", ["--every-year"], n_all)):
            out = tmp_path / f"out-{len(rows)}"
            wall, cpu, code = _time(["render", "--all", *extra, "--data", str(data), "--out", str(out),
                                     "--workers", WORKERS])
            rows.append((label, n, wall, wall / max(n, 1), cpu / max(n, 1), code))
        again, _, _ = _time(["render", "--all", "--every-year", "--data", str(data), "--out", str(out),
                          "--workers", WORKERS])
    print(f"source: {source.relative_to(ROOT) if source.is_relative_to(ROOT) else 'synthetic (data/sample absent)'}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU does not)")
    print(f"{'run':<14}{'reports':>8}{'wall s':>9}{'s/report':>10}{'CPU s/rep':>10}{'target':>8}  status")
    for label, n, wall, per, cpu, code in rows:
        verdict = "ok" if per <= TARGET else "over"
        print(f"{label:<14}{n:>8}{wall:>9.1f}{per:>10.2f}{cpu:>10.2f}{TARGET:>8.1f}  "
              f"{verdict}{'' if code == 0 else ' (failures)'}")
    print(f"{'unchanged':<14}{rows[-1][1]:>8}{again:>9.1f}{again / max(rows[-1][1], 1):>10.2f}  (incremental rerun)")
    return 0 if all(code == 0 for *_, code in rows) else 1


if __name__ == "__main__":
    sys.exit(main_bench())
