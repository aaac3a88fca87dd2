"""Running batches of the pure reader in parallel: a local process pool or a Dask cluster.

Batches are produced lazily and only a few are in flight at a time, so memory stays flat however
many files there are. Results come back in completion order.

A batch that fails as a whole (its worker process died: killed, out of memory, stuck past the time
limit inside a C library; or the cluster lost it) is read again file by file, so that only the file
that caused it is rejected, with the reason. The local pool is pebble's: a dead worker fails only the
task it ran and is replaced (the standard library's pool breaks as a whole), and a task may have a
timeout after which its worker is ended.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from contextlib import contextmanager

from govstats.corpus.worker import Batch, Outcome, init_worker, read_batch
from govstats.reading.limits import DEFAULT_LIMITS, WATCHDOG_EXIT, Limits

Items = list[tuple[str, str, bytes]]


def _why(e: BaseException, limits: Limits) -> str:
    """One line for a file whose reading ended its worker (or that the cluster could not read)."""
    from pebble import ProcessExpired

    if isinstance(e, TimeoutError) or (isinstance(e, ProcessExpired) and e.exitcode == WATCHDOG_EXIT):
        return limits.time_reason()
    if isinstance(e, ProcessExpired):
        code = e.exitcode
        how = f"signal {signal.Signals(-code).name}" if code < 0 and -code in signal.valid_signals() else f"exit {code}"
        return f"the reader process died ({how}): killed, or out of memory (--memory-limit)"
    text = " ".join(str(e).split())[:200]
    return f"reader process failed: {type(e).__name__}" + (f": {text}" if text else "")


def _bounded(submit: Callable[[Items], object], first_done: Callable[[set], set], result: Callable[[object], Batch],
             batches: Iterable[Items], depth: int, limits: Limits) -> Iterator[Batch]:
    pending: dict[object, Items] = {}
    again: deque[Items] = deque()  # files of failed batches, one per batch
    it = iter(batches)
    exhausted = False
    while pending or again or not exhausted:
        while len(pending) < depth and (again or not exhausted):
            items = again.popleft() if again else next(it, None)
            if items is None:
                exhausted = True
            else:
                pending[submit(items)] = items
        if not pending:
            continue
        for fut in first_done(set(pending)):
            items = pending.pop(fut)
            try:
                batch = result(fut)
            except Exception as e:  # noqa: BLE001 - a worker that died takes only its own file down
                if len(items) > 1:
                    again.extend([item] for item in items)
                else:
                    yield Batch([Outcome(items[0][0], None, _why(e, limits))])
                continue
            yield batch


@contextmanager
def executor(workers: int | None, scheduler: str | None, reader: str, limits: Limits = DEFAULT_LIMITS):
    """A function batches -> Batch results, on a pool, a Dask cluster, or in this process."""
    if scheduler:
        from distributed import Client
        from distributed import wait as dwait

        with Client(scheduler) as client:
            depth = 4 * max(1, sum(client.nthreads().values()))

            def first_done(fs: set) -> set:
                return set(dwait(list(fs), return_when="FIRST_COMPLETED").done)

            yield lambda batches: _bounded(
                lambda items: client.submit(read_batch, items, reader, limits, pure=False), first_done,
                lambda f: f.result(), batches, depth, limits,
            )
        return
    n = (os.cpu_count() or 1) if workers is None else workers
    if n <= 0:
        yield lambda batches: (read_batch(b, reader, limits) for b in batches)
        return
    from pebble import ProcessPool

    pool = ProcessPool(max_workers=n, initializer=init_worker, initargs=(limits, reader))

    def submit(items: Items):
        # A file read alone is ended here if even its worker's watchdog (which OCR pages extend) failed.
        timeout = limits.longest() + limits.grace / 2 if len(items) == 1 and limits.file_timeout > 0 else None
        return pool.schedule(read_batch, (items, reader, limits, True), timeout=timeout)

    try:
        yield lambda batches: _bounded(submit, lambda fs: wait(fs, return_when=FIRST_COMPLETED).done,
                                       lambda f: f.result(), batches, 4 * n, limits)
    except BaseException:
        pool.stop()
        pool.join()
        raise
    pool.close()
    pool.join()
