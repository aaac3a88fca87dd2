"""Print the measures of a benchmark run as one table, then the national projection made from them.

The projection is arithmetic on the measured CPU times and memory, so that the cost of the country
(about 1,000,000 reports: 150,000 a year for 2019–2025, from 2,844 counties) is read off every run.
Usage: python benchmarks/summary.py [bench-out/results.jsonl] (benchmarks/suite.py calls it at the end).
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench-out" / "results.jsonl"
NATIONAL, COUNTIES, CLUSTER, LOCAL = 1_000_000, 2844, 16, 2
COLUMNS = ("bench", "measure", "value", "floor / baseline", "ratio", "target", "met")


def read(path: Path) -> list[dict]:
    """The measures recorded in ``path`` (benchmarks/measures.py), in the order they were recorded."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def number(v: float) -> str:
    """Three significant figures at most, thousands separated."""
    if abs(v) >= 100 or v == int(v):
        return f"{v:,.0f}"
    return f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def cells(m: dict) -> tuple[str, ...]:
    value = f"{number(m['value'])} {m['unit']}".rstrip()
    floor = "" if m["floor"] is None else f"{number(m['floor'])} ({m['basis']})" if m["basis"] else number(m["floor"])
    ratio = "" if m["ratio"] is None else f"{m['ratio']:.2f}×"
    met = "" if m["met"] is None else "yes" if m["met"] else "NO"
    return m["bench"], m["measure"], value, floor, ratio, m["target"], met


def table(rows: list[tuple[str, ...]], header: tuple[str, ...], right: set[int]) -> list[str]:
    """Plain-text columns, numbers aligned right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return [line(r).rstrip() for r in (header, tuple("-" * w for w in widths), *rows)]


def projection(measures: list[dict]) -> list[str]:
    """Hours and memory for the country from the measured rates; the assumptions are printed with them."""
    keyed = {(m["bench"], m["key"]): m["value"] for m in measures if m["key"]}
    get = keyed.get
    rows: list[tuple[str, ...]] = []
    main, readers = get(("ingest", "main_ms")), get(("ingest", "readers_ms"))
    if main is not None and readers is not None:
        local = NATIONAL * max(main, (main + readers) / LOCAL) / 1000 / 3600
        cluster = NATIONAL * max(main, readers / CLUSTER) / 1000 / 3600
        bound = "the main process" if main >= readers / CLUSTER else "the readers"
        rows.append(("ingest, hours", f"{local:.1f}", f"{cluster:.1f}",
                     f"CPU a report: main {main:.2f} ms + readers {readers:.2f} ms; the cluster waits on {bound}"))
    else:
        rows.append(("ingest, hours", "-", "-", "not measured"))
    for label, key, what in ((("ingest, main-process peak MB"), ("ingest", f"main_mb_{NATIONAL}"),
                              "on the line through the ingest benchmark's two sizes"),
                             ("full load, peak MB", ("load", "full_mb_1m"),
                              "on the line through the load benchmark's two sizes")):
        mb = get(key)
        rows.append((label, "-" if mb is None else f"{mb:,.0f}", "", what if mb is not None else "not measured"))
    page, once = get(("render", "page_cpu")), get(("render", "once_cpu_1m"))
    if page is not None and once is not None:
        hours = [(once + COUNTIES * page / w) / 3600 for w in (LOCAL, CLUSTER)]
        rows.append((f"render {COUNTIES:,} county pages, hours", f"{hours[0]:.1f}", f"{hours[1]:.1f}",
                     f"once per run {once / 60:.1f} CPU min (one process) + {page:.2f} CPU s a page"))
    else:
        rows.append((f"render {COUNTIES:,} county pages, hours", "-", "-", "not measured"))
    header = ("national projection", f"{LOCAL} cores", f"{CLUSTER} Dask workers", "from")
    note = (f"{NATIONAL:,} reports (about 150,000 a year, 2019–2025), {COUNTIES:,} counties. Times are the CPU "
            "seconds measured above on one core each, assumed to scale linearly with workers (no scheduler, network "
            "or disk limits counted). Ingest: the readers run in parallel, the main process (writing, places, "
            f"checks) is one process; on {LOCAL} cores they share the cores, on the cluster the main process has a "
            "core of its own. Render: the once-per-run summaries (one process), then one page per county on each "
            "worker, a page costing what it cost on the benchmark corpus (it reads only its own county's rows).")
    return [*table(rows, header, {1, 2}), *textwrap.wrap(note, 110)]


def summary(measures: list[dict], notes: list[str], title: str = "summary") -> str:
    """One table of every measure, any benchmark that failed or was skipped, and the national projection."""
    lines = ["", f"== {title} (CPU seconds, medians where repeated; the machine is shared, so wall times are only what "
             "a run got)", ""]
    lines += table([cells(m) for m in measures], COLUMNS, {2, 3, 4})
    met = [m["met"] for m in measures if m["met"] is not None]
    lines += ["", f"targets met: {sum(met)} of {len(met)}; ratio = cost against the floor or baseline "
              "(× the time or memory; a rate inverted)"]
    lines += [f"  {n}" for n in notes]
    return "\n".join([*lines, "", *projection(measures)])


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    if not path.is_file():
        print(f"summary: {path}: no results (run `make bench`)", file=sys.stderr)
        return 2
    print(summary(read(path), []))
    return 0


if __name__ == "__main__":
    sys.exit(main())
