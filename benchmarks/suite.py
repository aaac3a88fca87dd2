"""Run the benchmarks and print one summary table at the end: `make bench` runs every benchmark at its
usual size; `make bench-national` runs ingest, load and render on a 300,000-report synthetic corpus.

Each benchmark runs in its own process and prints its own table as it goes; its measures go to one
results file (benchmarks/measures.py) that benchmarks/summary.py prints with the national projection.
The ingest benchmark's datasets are measured again by the load and render benchmarks, so a corpus is
generated and ingested once.

Usage: python benchmarks/suite.py [--reports 100000] or [--national [--reports 300000] [--keep]]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import summary
from measures import ENV

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
OUT = ROOT / "bench-out"
REPORTS, NATIONAL_REPORTS = 100_000, 300_000
# the pipeline's order; a benchmark not named here runs after these, without arguments
ORDER = ("readers", "html_docx", "pdf", "recover", "ocr", "synth", "ingest", "load", "render")


@dataclass
class Run:
    """One suite run: where the measures go, and what to say about benchmarks that failed or were skipped."""

    results: Path
    notes: list[str] = field(default_factory=list)
    minutes: dict[str, float] = field(default_factory=dict)
    failed: bool = False

    def recorded(self) -> int:
        return len(summary.read(self.results)) if self.results.exists() else 0

    def bench(self, name: str, args: list[str]) -> None:
        """Run benchmarks/bench_NAME.py, its output shown as it comes; a failure or a skip becomes a note."""
        print(f"== bench_{name} {' '.join(args)}".rstrip(), flush=True)
        before, start = self.recorded(), time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(BENCH / f"bench_{name}.py"), *args], stdout=subprocess.PIPE,
                                text=True, cwd=ROOT)
        assert proc.stdout is not None
        out = []
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            out.append(line)
        code = proc.wait()
        self.minutes[name] = (time.perf_counter() - start) / 60
        text = "".join(out)
        skipped = re.findall(r"^skipped: (.*)$", text, re.MULTILINE)
        if code:
            self.failed = True
            self.notes.append(f"bench_{name} FAILED (exit {code}); its measures are missing or partial (output above)")
        elif skipped:
            self.notes.append(f"bench_{name} skipped: {'; '.join(skipped)}")
        elif self.recorded() == before:
            self.notes.append(f"bench_{name} recorded no measures (its own table is above)")
        print(f"   ({self.minutes[name]:.1f} min wall)\n", flush=True)


def national(run: Run, reports: int, keep: bool) -> None:
    """`govstats synth` a national-scale corpus, then ingest, load and render it; removed unless --keep."""
    where = OUT / "national"
    src, work = where / "src", where / "ingest"
    shutil.rmtree(where, ignore_errors=True)
    try:
        print(f"== govstats synth --counties all --reports {reports} --formats txt,html", flush=True)
        made = subprocess.run([sys.executable, "-m", "govstats", "synth", "--out", str(src), "--counties", "all",
                               "--reports", str(reports), "--formats", "txt,html"], cwd=ROOT)
        if made.returncode:
            run.failed = True
            run.notes.append(f"govstats synth FAILED (exit {made.returncode}): nothing was measured")
            return
        data, smaller = work / f"data-{reports}", work / f"data-{max(reports // 5, 1)}"
        run.bench("ingest", ["--src", str(src), "--out", str(work)])
        run.bench("load", ["--data", str(data), "--smaller", str(smaller)])
        run.bench("render", ["--data", str(data)])
    finally:
        if keep:
            print(f"kept {where}")
        else:
            shutil.rmtree(where, ignore_errors=True)


def everything(run: Run, reports: int) -> None:
    """Every benchmarks/bench_*.py; load and render measure the ingest benchmark's two datasets."""
    found = [p.stem.removeprefix("bench_") for p in sorted(BENCH.glob("bench_*.py"))]
    ingested = OUT / "ingest"
    data, smaller = ingested / f"data-{reports}", ingested / f"data-{max(reports // 5, 1)}"
    args = {"synth": ["--reports", str(reports)], "ingest": ["--reports", str(reports), "--out", str(ingested)],
            "load": ["--data", str(data), "--smaller", str(smaller)], "render": ["--data", str(data)]}
    for name in sorted(found, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        run.bench(name, args.get(name, []))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--national", action="store_true", help="ingest, load and render at national scale only")
    ap.add_argument("--reports", type=int, help=f"corpus size (default {REPORTS:,}; national {NATIONAL_REPORTS:,})")
    ap.add_argument("--keep", action="store_true", help="keep the national scenario's corpus and datasets")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    results = OUT / ("results-national.jsonl" if args.national else "results.jsonl")
    results.unlink(missing_ok=True)
    os.environ[ENV] = str(results)  # where the benchmarks record their measures
    run, start = Run(results), time.perf_counter()
    if args.national:
        national(run, args.reports or NATIONAL_REPORTS, args.keep)
    else:
        everything(run, args.reports or REPORTS)
    each = ", ".join(f"{name} {m:.1f}" for name, m in run.minutes.items())
    run.notes.append(f"the whole run took {(time.perf_counter() - start) / 60:.0f} min wall on {os.cpu_count()} "
                     f"cores, load average {os.getloadavg()[0]:.1f} at the end (minutes: {each})")
    title = f"make bench-national: {args.reports or NATIONAL_REPORTS:,} reports" if args.national else "make bench"
    text = summary.summary(summary.read(results) if results.exists() else [], run.notes, title)
    print(text)
    results.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
