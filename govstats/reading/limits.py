"""What one file may cost while it is read, and the watch that holds it to that: a time limit (an
alarm that interrupts Python code; in a pool worker also a watchdog that ends the process when a C
library cannot be interrupted) that each page sent to OCR extends. Used by ingest's workers and by
``govstats parse``/``validate``; an edge concern kept light (no Arrow), beside the other reading limits."""

from __future__ import annotations

import faulthandler
import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Limits:
    """What one file may cost: seconds of reading, and MiB of address space per worker process (0: none).
    ``grace``: seconds past the time limit after which a worker whose reader cannot be interrupted ends.
    ``ocr_page``: seconds each page sent to OCR adds to its file's time limit (OCR takes ~2.5 s a page
    on one core; a file may send at most 60 pages), so a long scan is not cut off by a limit meant for text."""

    file_timeout: float = 60.0
    memory_mb: int = 4096
    grace: float = 10.0
    ocr_page: float = 5.0

    def longest(self) -> float:
        """The most time one file can have: its limit and the most pages OCR may take."""
        from govstats.reading.formats.ocr import MAX_PAGES

        return self.file_timeout + MAX_PAGES * self.ocr_page

    def time_reason(self) -> str:
        return f"time limit: reading took longer than {self.file_timeout:g} s (--file-timeout)"

    def memory_reason(self) -> str:
        return f"memory limit: reading needed more than {self.memory_mb} MiB (--memory-limit)"


DEFAULT_LIMITS = Limits()


class TimeLimit(BaseException):
    """The file's time is up. A BaseException: a reader's ``except Exception`` must not swallow it."""


def _alarm(signum, frame) -> None:
    raise TimeLimit


WATCHDOG_EXIT = 1  # the status faulthandler's watchdog ends a stuck worker with


@cache
def _devnull():
    """Where the watchdog writes the tracebacks it dumps before it ends a stuck worker."""
    return open(os.devnull, "w")  # noqa: SIM115 - open for the life of the worker


class Watch:
    """The time limit of the file being read: an alarm that interrupts Python code at the limit, and in a
    pool worker a watchdog that ends the process ``grace`` seconds later if the alarm could not."""

    def __init__(self, limits: Limits, hard: bool) -> None:
        self.seconds, self.grace = limits.file_timeout, limits.grace
        self.soft = self.seconds > 0 and threading.current_thread() is threading.main_thread()
        self.hard = hard and self.soft
        self.armed_at = -math.inf

    @contextmanager
    def file(self) -> Iterator[None]:
        if not self.soft:
            yield
            return
        now = time.monotonic()
        if self.hard and now - self.armed_at > self.grace / 2:  # re-armed now and then: it starts a thread
            faulthandler.dump_traceback_later(self.seconds + self.grace, exit=True, file=_devnull())
            self.armed_at = now
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def extend(self, seconds: float) -> None:
        """More time for the file being read (the reader is about to OCR a page)."""
        if not self.soft or seconds <= 0:
            return
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        if left <= 0:  # the alarm has fired or was never set: nothing to extend
            return
        signal.setitimer(signal.ITIMER_REAL, left + seconds)
        if self.hard:
            faulthandler.dump_traceback_later(left + seconds + self.grace, exit=True, file=_devnull())
            self.armed_at = time.monotonic()

    def close(self) -> None:
        if self.hard:
            faulthandler.cancel_dump_traceback_later()
