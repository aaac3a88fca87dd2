"""`govstats.load` at scale: a full load and a one-county load of a synthetic corpus, in fresh processes,
CPU time and peak memory, each beside the bare library floor, and the projection to a million reports.

Usage: python benchmarks/bench_load.py [--reports 100000] [--data DIR [--smaller DIR]]. The corpus is
made as a user would (`govstats synth --counties all --reports N`, then `govstats ingest`) under
bench-out/load/ and kept for later runs; --data measures an existing dataset instead, and --smaller an
existing smaller one for the growth per report (default: one made of a quarter of the reports). Times are CPU seconds (the machine
is shared; wall time is what this run got), medians of three runs; memory is the process's peak RSS.
Targets (issue 13): a full load of 1,000,000 reports within 1.5 GB; one county in under a second.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from measures import record

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out" / "load"
NATIONAL = 1_000_000
TARGET_MB, TARGET_COUNTY_S = 1536, 1.0
ANALYSIS = ("reports", "applications", "disclosure", "review_litigation", "findings")

PROBE = r"""
import json, re, sys, time
peak = lambda: int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
mode, data, county = sys.argv[1], sys.argv[2], sys.argv[3]
tables = ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger")
import pandas, pyarrow.parquet as pq, duckdb  # imports are not the load
import govstats.corpus
base = peak()
t = time.process_time()
if mode == "full":
    c = govstats.corpus.load(data)
    rows = sum(len(getattr(c, name)) for name in tables)
elif mode == "full-floor":  # the bare Parquet read into pandas, no dtypes
    rows = sum(pq.read_table(f"{data}/{name}.parquet").to_pandas().shape[0] for name in tables)
elif mode == "county":
    c = govstats.corpus.load(data, counties=county)
    rows = sum(len(getattr(c, name)) for name in tables[:-1])
else:  # county-floor: the same rows by one bare DuckDB query per table
    con = duckdb.connect()
    ids = f"(select report_id from read_parquet('{data}/reports.parquet') where county = '{county}')"
    rows = sum(len(con.sql(f"select * from read_parquet('{data}/{name}.parquet') where report_id in {ids}").df())
               for name in tables[:-1])
print(json.dumps({"cpu": time.process_time() - t, "peak_mb": peak(), "base_mb": base, "rows": rows}))
"""


def corpus(n: int) -> Path:
    """`govstats synth --counties all --reports n` then `govstats ingest`, made once and kept."""
    data = OUT / f"data-{n}"
    if (data / "reports.parquet").exists():
        return data
    src = OUT / f"src-{n}"
    gov = [sys.executable, "-m", "govstats"]
    subprocess.run([*gov, "synth", "--out", str(src), "--counties", "all", "--reports", str(n), "--formats", "txt",
                    "--years", "2019-2024"], check=True, capture_output=True)
    subprocess.run([*gov, "ingest", str(src), "--out", str(data), "--quiet"], check=True, capture_output=True)
    return data


def probe(mode: str, data: Path, county: str) -> dict:
    runs = [json.loads(subprocess.run([sys.executable, "-c", PROBE, mode, str(data), county], capture_output=True,
                                      text=True, check=True, cwd=ROOT).stdout) for _ in range(3)]
    return {"cpu": statistics.median(r["cpu"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs),
            "base_mb": min(r["base_mb"] for r in runs), "rows": runs[0]["rows"]}


def _county(data: Path) -> tuple[str, int, int]:
    """A county of middling size, its reports, and the corpus's reports."""
    import pyarrow.parquet as pq

    places = pq.read_table(data / "reports.parquet", columns=["county"]).to_pandas()["county"].astype(str)
    counts = places[places != "unknown"].value_counts()
    county = str(counts.index[len(counts) // 2])
    return county, int(counts[county]), len(places)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--data", type=Path, help="an existing dataset (default: a synthetic one of --reports)")
    ap.add_argument("--smaller", type=Path, help="an existing smaller dataset (default: a synthetic one of a quarter)")
    args = ap.parse_args()
    data = args.data or corpus(args.reports)
    county, in_county, n = _county(data)
    smaller = args.smaller or corpus(n // 4)  # the slope between two sizes: the per-scan buffers do not grow
    full, full_floor = probe("full", data, county), probe("full-floor", data, county)
    small_full = probe("full", smaller, county)
    one, one_floor = probe("county", data, county), probe("county-floor", data, county)
    n_small = _county(smaller)[2]
    per_report = (full["peak_mb"] - small_full["peak_mb"]) / (n - n_small)
    national_mb = full["peak_mb"] + per_report * (NATIONAL - n)
    print(f"\nload benchmark: {n:,} reports ({data}), county {county} ({in_county} reports); "
          f"CPU seconds, median of 3 fresh processes; shared machine\n")
    print(f"{'measure':<34}{'CPU s':>8}{'floor s':>9}{'ratio':>7}{'peak MB':>9}{'floor MB':>10}  target")
    for name, m, f, target in (("full load (6 tables)", full, full_floor, ""),
                               ("one county (5 tables)", one, one_floor, f"< {TARGET_COUNTY_S} s")):
        print(f"{name:<34}{m['cpu']:>8.2f}{f['cpu']:>9.2f}{m['cpu'] / max(f['cpu'], 1e-9):>7.2f}"
              f"{m['peak_mb']:>9.0f}{f['peak_mb']:>10.0f}  {target}")
    print(f"{'full load of ' + format(n_small, ',') + ' reports':<34}{small_full['cpu']:>8.2f}{'':>16}"
          f"{small_full['peak_mb']:>9.0f}")
    print(f"\nprojection to {NATIONAL:,} reports (peak grows {per_report * 1024:.2f} KB per report between the two "
          f"sizes; imports {full['base_mb']:.0f} MB):")
    verdict = "ok" if national_mb <= TARGET_MB else "OVER"
    for measure, m, f, more in ((f"full load, {n:,} reports", full, full_floor, {}),
                                (f"one county ({in_county} reports)", one, one_floor,
                                 {"target": f"< {TARGET_COUNTY_S:g} s", "met": one["cpu"] < TARGET_COUNTY_S})):
        basis = "Parquet→pandas" if f is full_floor else "DuckDB query"
        record("load", f"{measure}, CPU", m["cpu"], "s", floor=f["cpu"], basis=basis, **more)
        record("load", f"{measure}, peak RSS", m["peak_mb"], "MB", floor=f["peak_mb"], basis=basis)
    record("load", f"full load, peak RSS at {NATIONAL:,} (projected)", national_mb, "MB", target=f"≤ {TARGET_MB} MB",
           met=national_mb <= TARGET_MB, key="full_mb_1m")
    print(f"  full load: about {full['cpu'] * NATIONAL / n:.0f} CPU s and {national_mb:,.0f} MB peak "
          f"(target {TARGET_MB} MB: {verdict})")
    print(f"  one county: {one['cpu']:.2f} CPU s at {n:,} reports; on the ingest dataset the scan of report ids "
          f"grows with the corpus (about {one['cpu'] * NATIONAL / n:.1f} s at a million); render's working copy is "
          "sorted by place and prunes to the county (bench_render)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
