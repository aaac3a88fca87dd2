"""Render many counties: prepare the working copy and the shared summaries once, plan the jobs, skip
unchanged ones, run the rest in a process pool (or on a Dask cluster), record each result as it
arrives and write the index. ``govstats render`` is a thin wrapper around ``render_batch``.

The parent never loads the corpus: the working copy (govstats.render.workset) and the summaries
(govstats.analysis.summaries, one province at a time) are built once per dataset version, and each
county notebook reads only its own rows. Workers and their kernels die with the parent; every file
is written whole or not at all; a full disk stops the run with ``DiskFull``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import os
import shutil
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from govstats.render.execute import DISK_FULL, init_worker, render_one
from govstats.render.index import INDEX, read_state, record, write_index, write_state
from govstats.render.jobs import Job, plan

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "county_report.ipynb"  # package data: wheels render too
SUMMARIES = "summaries"


class DiskFull(OSError):
    """The output disk is full: the run stopped, and what it had written is complete."""


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
        pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn"),
                                   initializer=init_worker, initargs=(os.getpid(),))
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def summaries(work: Path) -> tuple[Path, dict[str, pd.DataFrame]]:
    """The shared summaries of the working copy: built once (a province at a time), kept beside it."""
    import govstats
    from govstats.analysis import summaries as shared

    folder = work / SUMMARIES
    if not folder.is_dir():
        provinces = pd.read_parquet(work / "reports.parquet", columns=["province"])["province"].dropna().unique()
        built = shared.build(govstats.load(work, provinces=str(p)).with_corrections() for p in sorted(provinces))
        staging = work / f".{SUMMARIES}-{os.getpid()}"
        try:
            shared.write(built, staging)
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return folder, {f.stem: pd.read_parquet(f) for f in folder.glob("*.parquet")}


def _nav(job: Job, out: Path, pages: dict[int, str]) -> str:
    """Links back to the index and across the county's years (``pages``: year -> stem relative to out)."""
    here = Path(job.stem).parent
    up = os.path.relpath(out / INDEX, here)
    links = [f'<a href="{html.escape(up)}">← 全部县（区） / All counties</a>',
             f"<span>{html.escape(job.province + job.city + job.county)}：</span>"]
    for y in sorted(pages):
        if y == job.year:
            links.append(f'<span class="here">{y}</span>')
        else:
            links.append(f'<a href="{html.escape(os.path.relpath(out / (pages[y] + ".html"), here))}">{y}</a>')
    return f"<nav>{' '.join(links)}</nav>"


def _up_to_date(job: Job, state: dict[str, dict], out: Path) -> bool:
    prev = state.get(job.key)
    return (prev is not None and prev["status"] == "ok" and prev["fingerprint"] == job.fingerprint
            and (out / f"{prev['stem']}.html").exists())


def _with_nav(jobs: list[Job], state: dict[str, dict], out: Path) -> list[tuple[Job, str]]:
    """Each job with its navigation, which joins its fingerprint (a new year re-renders the others' links)."""
    pages: dict[tuple[str, str, str], dict[int, str]] = {}
    for e in state.values():
        if e["status"] == "ok":
            pages.setdefault((e["province"], e["city"], e["county"]), {})[int(e["year"])] = e["stem"]
    for j in jobs:
        pages.setdefault(j.place, {})[j.year] = Path(j.stem).resolve().relative_to(out.resolve()).as_posix()
    out_jobs = []
    for j in jobs:
        nav = _nav(j, out, pages[j.place])
        fingerprint = hashlib.sha256((j.fingerprint + nav).encode()).hexdigest()
        out_jobs.append((dataclasses.replace(j, fingerprint=fingerprint), nav))
    return out_jobs


def _disk_full(e: OSError) -> bool:
    return e.errno in DISK_FULL


def render_batch(data: Path, out: Path, *, county: str | None = None, year: int | None = None,
                 every_year: bool = False, workers: int = 2, scheduler: str | None = None,
                 template: Path = DEFAULT_TEMPLATE, force: bool = False,
                 echo: Callable[[str], None] = print) -> Outcome:
    """Render ``county`` (None: every county) into ``out``; ``echo`` gets a line per county.

    Raises OSError/ValueError for an unreadable dataset (nothing is written then), DiskFull when the
    output disk fills up (what was written before is complete; nothing half-written is left).
    """
    from govstats.corpus import load
    from govstats.render import workset

    load(data)  # a one-line error when there is no dataset
    out = out.resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
        work = workset.prepare(data, out)
        summary_dir, shared = summaries(work)
        jobs = plan(work, shared, county, year, out, template, every_year)
        state = read_state(out)
        todo_nav = _with_nav(jobs, state, out)
        skipped = set() if force else {j.key for j, _ in todo_nav if _up_to_date(j, state, out)}
        todo = [(j, nav) for j, nav in todo_nav if j.key not in skipped]
        echo(f"{len(jobs)} county reports: {len(todo)} to render, {len(skipped)} unchanged")
        failed = 0
        if todo:
            with _executor(workers, scheduler) as pool:
                futures = {_submit(pool, j, nav, template, work, summary_dir): j for j, nav in todo}
                for future in as_completed(futures):
                    result = _result(future, futures[future])
                    if result.get("errno") in DISK_FULL:
                        for f in futures:
                            f.cancel()
                        raise DiskFull(result["errno"], os.strerror(result["errno"]), result["stem"])
                    entry = record(result, out)
                    state[f"{result['province']}/{result['city']}/{result['county']}/{result['year']}"] = entry
                    write_state(out, state)  # after each county, so an interrupted run keeps what it finished
                    failed += result["status"] != "ok"
                    line = f"{result['status']:6} {result['seconds']:5.1f} s  {entry['stem']}.html"
                    echo(line + (f"  ({result['error']})" if result["error"] else ""))
        index = write_index(out, state, skipped)
    except OSError as e:
        if _disk_full(e) and not isinstance(e, DiskFull):
            raise DiskFull(e.errno, e.strerror, e.filename) from e
        raise
    return Outcome(len(jobs), len(todo) - failed, failed, len(skipped), index)


def _result(future, job: Job) -> dict:
    """The worker's result, or a failed one when the worker itself died (killed, out of memory)."""
    try:
        return future.result()
    except BrokenExecutor as e:
        return {**dataclasses.asdict(job), "status": "failed", "errno": 0, "seconds": 0.0,
                "error": f"worker process died ({type(e).__name__}): killed or out of memory"}


def _submit(pool: Executor, job: Job, nav: str, template: Path, work: Path, summary_dir: Path):
    payload = {**dataclasses.asdict(job), "nav": nav, "summaries": str(summary_dir)}
    return pool.submit(render_one, payload, str(template), str(work), str(template.parent))

