"""Ingest N synthetic reports (text and HTML), rerun with nothing changed, load; print a table and
projections to 300,000 and 1 million reports.

Usage: python benchmarks/bench_ingest.py [--reports 100000] [--workers 2] [--src DIR] [--out DIR].
Everything is written under --out (bench-out/ingest/; the generated corpus is kept and reused by later
runs of the same size); --src ingests an existing synthetic corpus (`govstats synth`) instead of
generating one of --reports, beside a generated one a fifth of its size. The datasets are left in
--out as data-N (bench_load and bench_render can measure them).
Each ingest runs in a fresh process, so that the peak memory of its main process (VmHWM) is its own;
the reader processes are measured apart. CPU seconds are printed beside wall time: on a machine
shared with other work the wall time is what this run got, the CPU time is what the work costs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from measures import record

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out" / "ingest"
SCALES = (300_000, 1_000_000)
TARGET_RATE, TARGET_LOAD_S, TARGET_LOAD_MB = 300, 2.0, 1024
TARGET_NOOP_SHARE, TARGET_NOOP_EXTRA_S, TARGET_MAIN_MB = 0.05, 5.0, 1024

# VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child of a big process would report the parent's peak
RSS = r"""
import re
def rss():
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
"""
INGEST_PROBE = RSS + r"""
import json, resource, sys, time
t = time.perf_counter()
from govstats.corpus import ingest
rss_import = rss()
s = ingest([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), progress=False)
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - t, "main_cpu": own.ru_utime + own.ru_stime,
                  "workers_cpu": kids.ru_utime + kids.ru_stime, "rss_mb": rss(), "import_mb": rss_import,
                  "parsed": s.counts["parsed"], "read": s.read, "rejected": s.rejected_total, "written": s.written}))
"""
LOAD_PROBE = RSS + r"""
import json, sys, time
t = time.perf_counter()
from govstats.corpus import load
t_import, rss_import = time.perf_counter() - t, rss()
c = load(sys.argv[1])
for name in ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger"):
    getattr(c, name)  # tables are read on first use
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": rss(), "import_s": t_import, "import_mb": rss_import}))
"""


def documents(src: Path) -> int:
    """The documents of a synthetic corpus, by its manifest (0 when it has none)."""
    done = src / "manifest.csv"
    return sum(1 for _ in done.open(encoding="utf-8")) - 1 if done.exists() else 0


def corpus(n: int, workers: int, out: Path) -> Path:
    """The synthetic corpus of ``n`` reports under ``out``, generated once."""
    from govstats.synth.generate import generate_corpus

    src = out / f"src-{n}"
    if documents(src) == n:
        return src
    shutil.rmtree(src, ignore_errors=True)
    t = time.perf_counter()
    generate_corpus(src, counties="all", years="2019-2024", formats="txt,html", reports=n, workers=workers)
    print(f"generated {n} documents in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return src


def fresh(n: int, out: Path) -> Path:
    data = out / f"data-{n}"
    shutil.rmtree(data, ignore_errors=True)
    return data


def probe(code: str, *args: str) -> dict:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--src", type=Path, help="an existing synthetic corpus to ingest (default: one of --reports)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"where corpora and datasets go (default {OUT})")
    args = ap.parse_args()
    out = args.out.resolve()

    src = args.src.resolve() if args.src else corpus(args.reports, args.workers, out)
    big_n = documents(src) if args.src else args.reports
    small_n = max(big_n // 5, 1)
    small_src, small_data = corpus(small_n, args.workers, out), fresh(small_n, out)
    small = probe(INGEST_PROBE, str(small_src), str(small_data), str(args.workers))
    data = fresh(big_n, out)
    first = probe(INGEST_PROBE, str(src), str(data), str(args.workers))
    noop = probe(INGEST_PROBE, str(src), str(data), str(args.workers))
    small_noop = probe(INGEST_PROBE, str(small_src), str(small_data), str(args.workers))
    loaded = min((probe(LOAD_PROBE, str(data)) for _ in range(3)), key=lambda r: r["seconds"])
    n = first["parsed"]
    cpu_first = first["main_cpu"] + first["workers_cpu"]
    cpu_noop = noop["main_cpu"] + noop["workers_cpu"]
    size_mb = sum(p.stat().st_size for p in data.glob("*.parquet")) / 2**20
    rate = n / first["seconds"]
    free_rate = args.workers / (cpu_first / n)  # if the workers had the cores to themselves
    noop_cap = TARGET_NOOP_SHARE * first["seconds"] + TARGET_NOOP_EXTRA_S
    rows = [
        ("reports parsed / rejected", f"{n} / {first['rejected']}", "all parsed", first["rejected"] == 0),
        ("first ingest, wall", f"{first['seconds']:.0f} s", "", None),
        ("first ingest, CPU main + readers", f"{first['main_cpu']:.0f} + {first['workers_cpu']:.0f} s", "", None),
        ("ingest rate (wall)", f"{rate:.0f} reports/s", f">= {TARGET_RATE}/s", rate >= TARGET_RATE),
        (f"rate on {args.workers} free cores (CPU bound)", f"{free_rate:.0f} reports/s", f">= {TARGET_RATE}/s",
         free_rate >= TARGET_RATE),
        ("first ingest, main peak RSS", f"{first['rss_mb']:.0f} MB (imports {first['import_mb']:.0f})", "", None),
        ("no-op rerun, wall", f"{noop['seconds']:.1f} s ({noop['seconds'] / first['seconds']:.1%} of first)",
         f"<= {noop_cap:.0f} s", noop["seconds"] <= noop_cap),
        ("no-op rerun, CPU", f"{cpu_noop:.1f} s ({cpu_noop / cpu_first:.1%} of first)", "", None),
        ("no-op rerun, read / wrote", f"{noop['read']} files / {len(noop['written'])} tables", "0 / 0",
         noop["read"] == 0 and not noop["written"]),
        ("no-op rerun, main peak RSS", f"{noop['rss_mb']:.0f} MB", "", None),
        ("load (fresh process)", f"{loaded['seconds']:.2f} s", f"<= {TARGET_LOAD_S} s", loaded["seconds"] <= TARGET_LOAD_S),
        ("load peak RSS", f"{loaded['rss_mb']:.0f} MB", f"<= {TARGET_LOAD_MB} MB", loaded["rss_mb"] <= TARGET_LOAD_MB),
        ("dataset on disk", f"{size_mb:.1f} MB", "", None),
    ]
    print(f"\ningest benchmark: {n} synthetic reports (text and HTML), {args.workers} workers, {os.cpu_count()} cores "
          "(a shared machine: CPU times are the cost, wall times what this run got)\n")
    print(f"{'measure':<36} {'value':<40} {'target':<16} ok")
    for name, value, target, ok in rows:
        print(f"{name:<36} {value:<40} {target:<16} {'' if ok is None else ('yes' if ok else 'NO')}")
    noop_cpu_cap = TARGET_NOOP_SHARE * cpu_first + TARGET_NOOP_EXTRA_S
    for measure, value, unit, more in (
        (f"{n:,} reports: rejected", first["rejected"], "reports", {"target": "0", "met": first["rejected"] == 0}),
        ("first ingest, main process CPU", first["main_cpu"] / n * 1000, "ms/report", {"key": "main_ms"}),
        ("first ingest, readers' CPU", first["workers_cpu"] / n * 1000, "ms/report", {"key": "readers_ms"}),
        (f"rate on {args.workers} free cores (CPU bound)", free_rate, "reports/s",
         {"target": f"≥ {TARGET_RATE}/s", "met": free_rate >= TARGET_RATE}),
        ("first ingest, main peak RSS", first["rss_mb"], "MB", {}),
        ("no-op rerun, CPU", cpu_noop, "s", {"floor": cpu_first, "basis": "first ingest",
                                            "target": f"≤ {TARGET_NOOP_SHARE:.0%} + {TARGET_NOOP_EXTRA_S:g} s",
                                            "met": cpu_noop <= noop_cpu_cap}),
        ("no-op rerun, files read + tables written", noop["read"] + len(noop["written"]), "", {"target": "0",
         "met": noop["read"] == 0 and not noop["written"]}),
        ("no-op rerun, main peak RSS", noop["rss_mb"], "MB", {}),
        ("load after ingest, peak RSS", loaded["rss_mb"], "MB", {"target": f"≤ {TARGET_LOAD_MB} MB",
                                                                 "met": loaded["rss_mb"] <= TARGET_LOAD_MB}),
    ):
        record("ingest", measure, value, unit, **more)

    def line(big: float, little: float, scale: int) -> float:
        """A measure at ``scale`` reports, on the line through the two sizes measured."""
        return big + (big - little) / (n - small["parsed"]) * (scale - n)

    print(f"\nmain-process peak RSS measured at {small['parsed']} and {n} reports: first ingest {small['rss_mb']:.0f} "
          f"and {first['rss_mb']:.0f} MB, no-op rerun {small_noop['rss_mb']:.0f} and {noop['rss_mb']:.0f} MB")
    for scale in SCALES:
        k = scale / max(n, 1)
        main_mb = line(first["rss_mb"], small["rss_mb"], scale)
        noop_mb = line(noop["rss_mb"], small_noop["rss_mb"], scale)
        noop_s = noop["seconds"] * k
        first_s = first["seconds"] * k
        load_mb = loaded["import_mb"] + (loaded["rss_mb"] - loaded["import_mb"]) * k
        print(f"\nprojection to {scale:,} reports (times linear in the reports, memory on the line through the two "
              "sizes):")
        print(f"  first ingest: {first_s / 3600:.1f} h at the measured rate, {scale / free_rate / 3600:.1f} h on "
              f"{args.workers} free cores; main process peak about {main_mb:.0f} MB "
              f"({'within' if main_mb <= TARGET_MAIN_MB else 'OVER'} {TARGET_MAIN_MB} MB)")
        print(f"  no-op rerun: about {noop_s:.0f} s, {noop_s / first_s:.1%} of the first "
              f"(target {TARGET_NOOP_SHARE:.0%} + {TARGET_NOOP_EXTRA_S:.0f} s: "
              f"{'met' if noop_s <= TARGET_NOOP_SHARE * first_s + TARGET_NOOP_EXTRA_S else 'NOT met'}); "
              f"main process peak about {noop_mb:.0f} MB")
        print(f"  load: about {load_mb:.0f} MB peak; dataset on disk about {size_mb * k / 1024:.1f} GB")
        record("ingest", f"first ingest, main peak RSS at {scale:,} (projected)", main_mb, "MB",
               target=f"≤ {TARGET_MAIN_MB} MB" if scale == SCALES[0] else "",
               met=main_mb <= TARGET_MAIN_MB if scale == SCALES[0] else None, key=f"main_mb_{scale}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
