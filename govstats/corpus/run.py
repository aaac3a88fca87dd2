"""Running batches of the pure reader in parallel: a local process pool or a Dask cluster.

Batches are produced lazily and only a few are in flight at a time, so memory stays flat however
many files there are. Results come back in completion order with their batch index.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager

from govstats.corpus.worker import Batch, Outcome, read_batch

Items = list[tuple[str, str, bytes]]


def _bounded(submit: Callable[[Items], object], first_done: Callable[[set], set], result: Callable[[object], Batch],
             batches: Iterable[Items], depth: int) -> Iterator[tuple[int, Batch]]:
    pending: dict[object, tuple[int, Items]] = {}
    it = enumerate(batches)
    exhausted = False
    while pending or not exhausted:
        while not exhausted and len(pending) < depth:
            nxt = next(it, None)
            if nxt is None:
                exhausted = True
                break
            pending[submit(nxt[1])] = nxt
        if not pending:
            break
        for fut in first_done(set(pending)):
            index, items = pending.pop(fut)
            try:
                yield index, result(fut)
            except Exception as e:  # noqa: BLE001 - a worker that died takes only its own batch down
                reason = f"reader process failed: {type(e).__name__}"
                yield index, Batch([Outcome(path, None, reason) for path, _, _ in items])


def _die_with_parent() -> None:
    """Pool workers end when the ingest process is killed (Linux), instead of reading on as orphans."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextmanager
def executor(workers: int | None, scheduler: str | None, reader: str):
    """A function batches -> (index, Batch) results, on a pool, a Dask cluster, or in this process."""
    if scheduler:
        from distributed import Client
        from distributed import wait as dwait

        with Client(scheduler) as client:
            depth = 4 * max(1, sum(client.nthreads().values()))

            def first_done(fs: set) -> set:
                return set(dwait(list(fs), return_when="FIRST_COMPLETED").done)

            yield lambda batches: _bounded(
                lambda items: client.submit(read_batch, items, reader, pure=False), first_done,
                lambda f: f.result(), batches, depth,
            )
        return
    n = (os.cpu_count() or 1) if workers is None else workers
    if n <= 0:
        yield lambda batches: ((i, read_batch(b, reader)) for i, b in enumerate(batches))
        return
    with ProcessPoolExecutor(max_workers=n, initializer=_die_with_parent) as pool:

        def first_done_local(fs: set) -> set:
            return wait(fs, return_when=FIRST_COMPLETED).done

        def result(f: Future) -> Batch:
            return f.result()

        yield lambda batches: _bounded(
            lambda items: pool.submit(read_batch, items, reader), first_done_local, result, batches, 4 * n
        )
