"""Render cost per county page on the sample and on a large synthetic corpus: a page must cost about the
same whatever the corpus size (issue 13), the shared work is paid once per run.

For each corpus: the once-per-run work (the place-sorted working copy, the shared summaries), a county
page's data access (its filtered load and its comparison rows, in-process, median of 5), and a whole
page rendered again with ``--force`` (kernel start and charts included; CPU of the render and its
workers and kernels). Then every sample county is rendered (latest year, every year) against the
≤ 2 s per report target. CPU seconds are what the work costs; the machine is shared, so wall time is
what this run got.

Usage: python benchmarks/bench_render.py [--reports 100000] [--data DIR]; the large corpus is --data, or
else bench_load's (made with `govstats synth --counties all --reports N` and `govstats ingest`, kept
under bench-out/load/).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import corpus  # noqa: E402
from measures import record  # noqa: E402

from govstats.cli import main  # noqa: E402

COUNTIES = 2844
TARGET = 2.0


def _quiet(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (workers and, through them, kernels)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _middling_county(data: Path) -> str:
    import pyarrow.parquet as pq

    places = pq.read_table(data / "reports.parquet", columns=["county"]).to_pandas()["county"].astype(str)
    counts = places[places != "unknown"].value_counts()
    return str(counts.index[len(counts) // 2])


def measure(data: Path, out: Path) -> dict:
    """Once-per-run costs, one county's data access and one whole page, on ``data``."""
    import govstats
    from govstats.analysis import summaries
    from govstats.render import batch, workset

    county = _middling_county(data)
    t = time.process_time()
    work = workset.prepare(data, out)
    prepare = time.process_time() - t
    t = time.process_time()
    folder, _ = batch.summaries(work)
    build = time.process_time() - t

    def access() -> int:
        c = govstats.load(work, counties=county)
        r = c.reports
        province, city, year = str(r["province"].iloc[0]), str(r["city"].iloc[0]), int(r["year"].max())
        rows = sum(len(getattr(c, n)) for n in ("reports", "applications", "disclosure", "review_litigation",
                                                "findings"))
        for name in summaries.SUMMARIES:
            rows += len(summaries.compare(folder, name, province, city, county, (int(r["year"].min()), year)))
        return rows

    runs = []
    for _ in range(5):
        t = time.process_time()
        access()
        runs.append(time.process_time() - t)
    args = ["render", "--county", county, "--data", str(data), "--out", str(out), "--workers", "1"]
    _quiet(args)  # the first page starts from nothing; the next one is what every further page costs
    cpu, wall = _cpu(), time.perf_counter()
    code = _quiet([*args, "--force"])
    page_cpu, page_wall = _cpu() - cpu, time.perf_counter() - wall
    n = len(govstats.load(data, columns=["report_id"]).reports)
    return {"reports": n, "county": county, "prepare": prepare, "summaries": build,
            "access": statistics.median(runs), "page_cpu": page_cpu, "page_wall": page_wall, "ok": code == 0}


def sample_counties(data: Path, tmp: Path) -> list[tuple]:
    import govstats

    counties = govstats.load(data, columns=["province", "city", "county", "year"]).reports
    counties = counties[counties["county"].astype(str) != "unknown"]
    n_latest = counties[["province", "city", "county"]].drop_duplicates().shape[0]
    n_all = counties[["province", "city", "county", "year"]].drop_duplicates().shape[0]
    rows = []
    for label, extra, n in (("latest year", [], n_latest), ("every year", ["--every-year"], n_all)):
        out = tmp / f"out-{len(rows)}"
        cpu, wall = _cpu(), time.perf_counter()
        code = _quiet(["render", "--all", *extra, "--data", str(data), "--out", str(out), "--workers", "2"])
        rows.append((label, n, time.perf_counter() - wall, (_cpu() - cpu) / max(n, 1), code))
    return rows


def main_bench() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--data", type=Path, help="an existing large dataset (default: bench_load's of --reports)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp_path = Path(tmp)
        small = tmp_path / "sample"
        if _quiet(["ingest", str(ROOT / "data" / "sample"), "--out", str(small), "--quiet"]) != 0:
            print("ingest of data/sample failed", file=sys.stderr)
            return 1
        results = [measure(small, tmp_path / "r-small"), measure(args.data or corpus(args.reports), tmp_path / "r-large")]
        rows = sample_counties(small, tmp_path)
    print(f"\nrender benchmark: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine; "
          "CPU seconds are the cost, wall seconds what this run got)\n")
    print(f"{'corpus':>9} {'county':<10}{'prepare':>9}{'summaries':>10}{'county data':>12}{'page CPU':>10}"
          f"{'page wall':>10}")
    for r in results:
        print(f"{r['reports']:>9,} {r['county']:<10}{r['prepare']:>9.2f}{r['summaries']:>10.2f}{r['access']:>12.3f}"
              f"{r['page_cpu']:>10.2f}{r['page_wall']:>10.2f}{'' if r['ok'] else '  (failed)'}")
    small_r, large_r = results
    print(f"\nratio large/small corpus ({large_r['reports'] / small_r['reports']:.0f}× the reports): county data "
          f"{large_r['access'] / small_r['access']:.2f}×, whole page {large_r['page_cpu'] / small_r['page_cpu']:.2f}× "
          "(issue 13 measured 3.9× before)")
    scale = 1_000_000 / large_r["reports"]
    once = (large_r["prepare"] + large_r["summaries"]) * scale
    amortized = rows[-1][3] * large_r["page_cpu"] / small_r["page_cpu"]  # a kept kernel, as in a full run
    print(f"projection to 1,000,000 reports and {COUNTIES:,} counties on 2 cores: once per run about {once / 60:.0f} "
          f"CPU min, pages {COUNTIES * amortized / 2 / 3600:.1f} h ({amortized:.1f} CPU s each, kernels kept "
          f"from page to page; {large_r['page_cpu']:.1f} s for a lone page that starts its kernel)")
    print(f"\n{'sample run':<14}{'pages':>6}{'wall s':>9}{'CPU s/page':>11}{'target':>8}  status")
    for label, n, wall, per, code in rows:
        print(f"{label:<14}{n:>6}{wall:>9.1f}{per:>11.2f}{TARGET:>8.1f}  {'ok' if per <= TARGET else 'over'}"
              f"{'' if code == 0 else ' (failures)'}")
        record("render", f"sample, {label}: {n} pages", per, "s/page", target=f"≤ {TARGET:g} s",
               met=per <= TARGET and code == 0)
    basis = f"{small_r['reports']:,}-report sample"
    record("render", f"county data at {large_r['reports']:,} reports", large_r["access"], "s",
           floor=small_r["access"], basis=basis, target="about the same")
    record("render", f"lone page at {large_r['reports']:,} reports", large_r["page_cpu"], "s",
           floor=small_r["page_cpu"], basis=basis, target="about the same (3.9× before)")
    record("render", f"page at {large_r['reports']:,} reports, kernel kept", amortized, "s", key="page_cpu")
    record("render", "once per run at 1,000,000 (projected)", once, "s", key="once_cpu_1m")
    print(json.dumps({"small": small_r, "large": large_r}), file=sys.stderr)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main_bench())
