"""``govstats render``: one HTML report per county, in parallel, skipping counties whose data did not change.

Scheduled use (cron): ``govstats render --all --data data/processed --out reports`` after each ingest;
unchanged counties cost a hash each.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from govstats.render.execute import render_one
from govstats.render.index import read_state, record, write_index, write_state
from govstats.render.jobs import Job, plan

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "notebooks" / "county_report.ipynb"


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--county", help="county name, or 省/市/县 when the name exists in several provinces")
    which.add_argument("--all", action="store_true", help="every county placed in the dataset")
    years = parser.add_mutually_exclusive_group()
    years.add_argument("--year", type=int, help="report year (default: each county's latest)")
    years.add_argument("--every-year", action="store_true", help="one report per county and year")
    parser.add_argument("--data", type=Path, default=Path("data/processed"), help="dataset written by govstats ingest (default data/processed)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="output directory (default reports/)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler (tcp://HOST:PORT) to render on a cluster")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="papermill template notebook")
    parser.add_argument("--force", action="store_true", help="render even counties whose data did not change")


@contextmanager
def _executor(workers: int, scheduler: str | None):
    """A process pool, or a Dask cluster's executor; both speak concurrent.futures."""
    if scheduler:
        from distributed import Client

        with Client(scheduler) as client:
            yield client.get_executor(pure=False)
    else:
        with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn")) as pool:
            yield pool


def _up_to_date(job: Job, state: dict[str, dict], out: Path) -> bool:
    prev = state.get(job.key)
    return (prev is not None and prev["status"] == "ok" and prev["fingerprint"] == job.fingerprint
            and (out / f"{prev['stem']}.html").exists())


def _submit(pool: Executor, jobs: list[Job], template: Path, data: Path) -> list:
    return [pool.submit(render_one, asdict(j), str(template), str(data), str(template.parent)) for j in jobs]


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus import load

    out: Path = args.out
    template: Path = args.template.resolve()
    data: Path = args.data.resolve()
    if not template.is_file():
        print(f"govstats {name}: {template}: template notebook not found", file=sys.stderr)
        return 2
    try:
        corpus = load(data)
        jobs = plan(corpus, args.county, args.year, out, template, args.every_year)
        out.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"govstats {name}: {reason if str(data) in reason else f'{data}: {reason}'}", file=sys.stderr)
        return 2
    state = read_state(out)
    skipped = set() if args.force else {j.key for j in jobs if _up_to_date(j, state, out)}
    todo = [j for j in jobs if j.key not in skipped]
    print(f"{len(jobs)} county reports: {len(todo)} to render, {len(skipped)} unchanged")
    failed = 0
    if todo:
        with _executor(args.workers, args.scheduler) as pool:
            for future in as_completed(_submit(pool, todo, template, data)):
                result = future.result()
                entry = record(result, out)
                state[f"{result['province']}/{result['city']}/{result['county']}/{result['year']}"] = entry
                write_state(out, state)  # after each county, so an interrupted run keeps what it finished
                failed += result["status"] != "ok"
                line = f"{result['status']:6} {result['seconds']:5.1f} s  {entry['stem']}.html"
                print(line + (f"  ({result['error']})" if result["error"] else ""), flush=True)
    index = write_index(out, state, skipped)
    print(f"{len(todo) - failed} rendered, {failed} failed, {len(skipped)} unchanged; index: {index.resolve()}")
    return 1 if failed else 0
