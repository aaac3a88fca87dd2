"""Ingest N synthetic reports (text and HTML), rerun, load; print a table and a projection to 1 million.

Usage: python benchmarks/bench_ingest.py [--reports 100000] [--workers 2]. Everything is written
under bench-out/ingest/ (the generated corpus is kept and reused by later runs of the same size).
CPU seconds per report are printed beside wall time: on a machine shared with other work the wall
time is what this run got, the CPU time is what the work costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out" / "ingest"
NATIONAL = 1_000_000
TARGET_RATE, TARGET_LOAD_S, TARGET_LOAD_MB = 300, 2.0, 1024

LOAD_PROBE = r"""
import json, re, sys, time
# VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child of a big process would report the parent's peak
rss = lambda: int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
t = time.perf_counter()
from govstats.corpus import load
t_import, rss_import = time.perf_counter() - t, rss()
c = load(sys.argv[1])
for name in ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger"):
    getattr(c, name)  # tables are read on first use
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": rss(), "import_s": t_import, "import_mb": rss_import}))
"""


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def corpus(n: int, workers: int) -> Path:
    """The synthetic corpus of ``n`` reports, generated once."""
    from govstats.synth.generate import generate_corpus

    src = OUT / f"src-{n}"
    done = src / "manifest.csv"
    if done.exists() and sum(1 for _ in done.open(encoding="utf-8")) - 1 == n:
        return src
    shutil.rmtree(src, ignore_errors=True)
    t = time.perf_counter()
    generate_corpus(src, counties="all", years="2019-2024", formats="txt,html", reports=n, workers=workers)
    print(f"generated {n} documents in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return src


def probe_load(data: Path) -> dict:
    """Load in a fresh process (best of three): wall seconds and peak RSS."""
    runs = []
    for _ in range(3):
        res = subprocess.run([sys.executable, "-c", LOAD_PROBE, str(data)], capture_output=True, text=True, check=True,
                             cwd=ROOT)
        runs.append(json.loads(res.stdout))
    return min(runs, key=lambda r: r["seconds"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from govstats.corpus import ingest

    src = corpus(args.reports, args.workers)
    data = OUT / f"data-{args.reports}"
    shutil.rmtree(data, ignore_errors=True)
    c0, t0 = cpu(), time.perf_counter()
    first = ingest([str(src)], data, workers=args.workers, progress=sys.stderr.isatty())
    wall, cpu_s = time.perf_counter() - t0, cpu() - c0
    t1 = time.perf_counter()
    second = ingest([str(src)], data, workers=args.workers, progress=False)
    rerun = time.perf_counter() - t1
    loaded = probe_load(data)
    n = first.counts["parsed"]
    size_mb = sum(p.stat().st_size for p in data.glob("*.parquet")) / 2**20
    rate = n / wall
    free_rate = args.workers / (cpu_s / n)  # if the workers had the cores to themselves
    scale = NATIONAL / max(n, 1)
    rows = [
        ("reports parsed / rejected", f"{n} / {first.rejected_total}", "all parsed", first.rejected_total == 0),
        ("ingest wall time", f"{wall:.0f} s", "", None),
        ("ingest rate (wall)", f"{rate:.0f} reports/s", f">= {TARGET_RATE}/s", rate >= TARGET_RATE),
        ("ingest CPU per report", f"{cpu_s / n * 1000:.1f} ms", "", None),
        ("ingest peak RSS (main process)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", "", None),
        (f"rate on {args.workers} free cores (CPU bound)", f"{free_rate:.0f} reports/s", f">= {TARGET_RATE}/s",
         free_rate >= TARGET_RATE),
        ("rerun, nothing changed", f"{rerun:.1f} s, wrote {len(second.written)} files", "writes nothing",
         not second.written),
        ("load (fresh process)", f"{loaded['seconds']:.2f} s", f"<= {TARGET_LOAD_S} s", loaded["seconds"] <= TARGET_LOAD_S),
        ("load peak RSS", f"{loaded['rss_mb']:.0f} MB", f"<= {TARGET_LOAD_MB} MB", loaded["rss_mb"] <= TARGET_LOAD_MB),
        ("dataset on disk", f"{size_mb:.1f} MB", "", None),
    ]
    print(f"\ningest benchmark: {n} synthetic reports (text and HTML), {args.workers} workers, {os.cpu_count()} cores\n")
    print(f"{'measure':<36} {'value':<28} {'target':<16} ok")
    for name, value, target, ok in rows:
        print(f"{name:<36} {value:<28} {target:<16} {'' if ok is None else ('yes' if ok else 'NO')}")
    print(f"\nprojection to {NATIONAL:,} reports (linear):")
    print(f"  ingest at the measured rate: {NATIONAL / rate / 3600:.1f} h; on {args.workers} free cores: "
          f"{NATIONAL / free_rate / 3600:.1f} h; per added core: about {NATIONAL / (free_rate / args.workers) / 3600:.1f} core-hours in all")
    load_s = loaded["import_s"] + (loaded["seconds"] - loaded["import_s"]) * scale
    load_mb = loaded["import_mb"] + (loaded["rss_mb"] - loaded["import_mb"]) * scale
    print(f"  load: about {load_s:.1f} s and {load_mb:.0f} MB peak (imports {loaded['import_s']:.1f} s and "
          f"{loaded['import_mb']:.0f} MB, the rest grows with the data; cells stay lazy)")
    print(f"  dataset on disk: about {size_mb * scale / 1024:.1f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
