"""Write N synthetic reports (text and HTML, one document each) with a pool of worker processes,
and time each writer alone on a few documents.

Usage: python benchmarks/bench_synth.py [--reports 100000] [--workers 2]. Output goes to
bench-out/synth/ (removed before and, without --keep, after). The target is 100,000 reports in under 5 minutes on 2 cores.
CPU seconds are printed beside wall time: on a shared machine the wall time is what this run got.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

from measures import record

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out" / "synth"
TARGET_S = 300.0
WRITER_DOCS = {"txt": 2000, "html": 2000, "docx": 20, "pdf": 10}


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def writers() -> list[tuple[str, int, float]]:
    """Documents per CPU second of each writer alone (one process, reports planned beforehand)."""
    from govstats.synth.generate import plan, resolve_counties

    docs = list(plan(resolve_counties("all")[:20], [2022, 2023], ("txt",), seed=1, reports=max(WRITER_DOCS.values())))
    out = []
    for fmt, n in WRITER_DOCS.items():
        batch = [docs[i % len(docs)] for i in range(n)]
        for d in batch:
            d.fmt = fmt
        batch[0].render()  # imports and font loading are not per document
        t = time.process_time()
        for d in batch:
            d.render()
        out.append((fmt, n, n / (time.process_time() - t)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the corpus (about 7 MB per 1,000 reports)")
    args = ap.parse_args()
    from govstats.synth.generate import generate_corpus

    shutil.rmtree(OUT, ignore_errors=True)
    c0, t0 = cpu(), time.perf_counter()
    df = generate_corpus(OUT, counties="all", years="2019-2024", formats="txt,html", seed=7, defects=0.05, reports=args.reports, workers=args.workers)
    wall, used = time.perf_counter() - t0, cpu() - c0
    size = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print("| what | documents | wall s | CPU s | reports/s | target |")
    print("|---|---|---|---|---|---|")
    cap = TARGET_S * args.reports / 100_000
    verdict = "ok" if wall < cap else "SLOW"
    print(f"| corpus txt+html, {args.workers} workers | {len(df)} | {wall:.1f} | {used:.1f} | {len(df) / wall:.0f} | "
          f"{args.reports} in < {cap:.0f} s: {verdict} |")
    record("synth", f"{len(df):,} reports txt+html, CPU s / {args.workers} workers", used / args.workers, "s",
           target=f"< {cap:.0f} s", met=used / args.workers < cap)
    for fmt, n, rate in writers():
        print(f"| writer {fmt} alone, per CPU second | {n} | | | {rate:.1f} | |")
        record("synth", f"writer {fmt} alone", rate, "docs/s")
    print(f"\n{size / 1e6:.0f} MB written under {OUT.relative_to(ROOT)}" + ("" if args.keep else " (removed)"))
    if not args.keep:
        shutil.rmtree(OUT, ignore_errors=True)


if __name__ == "__main__":
    main()
