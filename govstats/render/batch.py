"""Render many counties: plan the jobs, skip unchanged ones, run the rest in a process pool (or on a
Dask cluster), record each result as it arrives and write the index. ``govstats render`` is a thin
wrapper around ``render_batch``."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from govstats.render.execute import render_one
from govstats.render.index import read_state, record, write_index, write_state
from govstats.render.jobs import Job, plan

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "county_report.ipynb"  # package data: wheels render too


@dataclass
class Outcome:
    jobs: int
    rendered: int
    failed: int
    unchanged: int
    index: Path


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


def render_batch(data: Path, out: Path, *, county: str | None = None, year: int | None = None,
                 every_year: bool = False, workers: int = 2, scheduler: str | None = None,
                 template: Path = DEFAULT_TEMPLATE, force: bool = False,
                 echo: Callable[[str], None] = print) -> Outcome:
    """Render ``county`` (None: every county) into ``out``; ``echo`` gets a line per county.
    Raises OSError/ValueError for an unreadable dataset (nothing is written then)."""
    from govstats.corpus import load

    corpus = load(data)
    jobs = plan(corpus, county, year, out, template, every_year)
    out.mkdir(parents=True, exist_ok=True)
    state = read_state(out)
    skipped = set() if force else {j.key for j in jobs if _up_to_date(j, state, out)}
    todo = [j for j in jobs if j.key not in skipped]
    echo(f"{len(jobs)} county reports: {len(todo)} to render, {len(skipped)} unchanged")
    failed = 0
    if todo:
        with _executor(workers, scheduler) as pool:
            for future in as_completed(_submit(pool, todo, template, data)):
                result = future.result()
                entry = record(result, out)
                state[f"{result['province']}/{result['city']}/{result['county']}/{result['year']}"] = entry
                write_state(out, state)  # after each county, so an interrupted run keeps what it finished
                failed += result["status"] != "ok"
                line = f"{result['status']:6} {result['seconds']:5.1f} s  {entry['stem']}.html"
                echo(line + (f"  ({result['error']})" if result["error"] else ""))
    index = write_index(out, state, skipped)
    return Outcome(len(jobs), len(todo) - failed, failed, len(skipped), index)
