"""The pure part of ingest: bytes of a batch of files in, Arrow tables out. Runs in pool or Dask workers.

Each file is read under limits (`Limits`): a time limit, and in pool workers a memory limit (the
address space, RLIMIT_AS). A file over a limit, or whose reading raises anything at all, is a rejected
outcome with a one-line reason; the other files of the batch are read as usual. A reader stuck where
the time limit cannot interrupt it (inside a C library) ends its worker process a little later
(faulthandler's watchdog), and the pool reads that batch again file by file (govstats.corpus.run).
"""

from __future__ import annotations

import importlib
import inspect
import math
import resource
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pyarrow as pa

from govstats.corpus.schema import WORKER_SCHEMAS, columns
from govstats.corpus.similarity import signature
from govstats.reading.limits import DEFAULT_LIMITS, Limits, TimeLimit, Watch
from govstats.reading.report import NotAReport, Report

READER = "govstats.reading.read:read_bytes"
OCR_NOTE = "read by OCR"  # the ledger's note on a parsed file whose pages were scans
Reader = Callable[[bytes, str], Report]
EXACT = 2**53  # beyond this a value is not exact as a float64 (cells.value); reading already nulls such values


@dataclass
class Outcome:
    path: str
    report_id: str | None  # None when rejected
    reason: str = ""


@dataclass
class Batch:
    outcomes: list[Outcome]
    tables: dict[str, pa.Table] = field(default_factory=dict)


def load_reader(spec: str) -> Reader:
    """``module:function`` -> the function (a string crosses process and machine boundaries)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


@cache
def _takes_progress(read: Reader) -> bool:
    """Whether the reader reports its OCR pages (then each one extends its file's time limit)."""
    return "progress" in inspect.signature(read).parameters


def init_worker(limits: Limits, reader: str = READER) -> None:
    """In each pool worker: end with the ingest process (Linux), cap the address space, import the reader
    (so that its imports do not count against the first file's time)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if limits.memory_mb:
        cap = limits.memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    load_reader(reader)


def _one_line(e: BaseException, limits: Limits) -> str:
    if isinstance(e, TimeLimit):
        return limits.time_reason()
    if isinstance(e, MemoryError):
        return limits.memory_reason()
    text = " ".join(str(e).split())[:300] or type(e).__name__
    return text if isinstance(e, NotAReport) else f"reader error: {type(e).__name__}: {text}"


class _Columns:
    """Column lists per table, turned into Arrow at the end of the batch."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, list]] = {}

    def add(self, name: str, /, **row) -> None:
        cols = self.data.setdefault(name, {k: [] for k in row})
        for k, v in row.items():
            cols[k].append(v)

    def extend(self, other: _Columns) -> None:
        for name, cols in other.data.items():
            mine = self.data.setdefault(name, {k: [] for k in cols})
            for k, v in cols.items():
                mine[k].extend(v)

    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.table(cols, schema=WORKER_SCHEMAS[name]) for name, cols in self.data.items()}


def _int(v: object) -> int | None:
    """A count, or null when the printed value is not a whole number (never truncated: I5 reports it)."""
    f = _float(v)
    return int(f) if f is not None and f.is_integer() else None


def _float(v: object) -> float | None:
    """The value as stored, or null when a float64 cannot hold it exactly (a count of 20 digits)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if math.isfinite(f) and abs(f) < EXACT else None


def _add_report(out: _Columns, rid: str, report: Report) -> None:
    out.add(
        "reports",
        report_id=rid,
        agency=report.agency,
        year=report.year,
        template=report.template,
        status=report.status,
        source_format=report.source_format,
        synthetic=bool(report.synthetic),
        title=report.title or "",
        n_null=sum(c.value is None for c in report.cells.values()),
        parts=",".join(report.parts),
        published=report.published,
    )
    if (sig := signature(report.narrative)) is not None:
        out.add("signatures", report_id=rid, signature=sig)
    cells = out.data.setdefault("cells", {k: [] for k in WORKER_SCHEMAS["cells"].names})
    wide: dict[str, dict[str, dict[str, object]]] = {"applications": {}, "review_litigation": {}}
    for cell in report.cells.values():
        cells["report_id"].append(rid)
        cells["table"].append(cell.table)
        cells["row"].append(cell.row)
        cells["column"].append(cell.column)
        cells["value"].append(_float(cell.value))
        cells["state"].append(cell.state)
        cells["raw"].append(cell.raw or "")
        cells["origin"].append(cell.origin)
        cells["confidence"].append(cell.confidence)
        if cell.table in wide:
            wide[cell.table].setdefault(cell.row, {})[cell.column] = cell.value
    for table, rows in wide.items():
        cols = columns(table)
        for r, values in rows.items():
            out.add(table, report_id=rid, row=r, **{c: _int(values.get(c)) for c in cols})
    for f in report.findings:
        out.add(
            "findings",
            report_id=rid,
            check=f.check,
            severity=f.severity,
            table=f.table,
            row=f.row,
            column=f.column,
            expected=_float(f.expected),
            printed=_float(f.printed),
            message=f.message,
        )


def read_batch(items: list[tuple[str, str, bytes]], reader: str = READER, limits: Limits = DEFAULT_LIMITS,
               pool: bool = False) -> Batch:
    """Read ``(path, sha256, bytes)`` items; one bad file becomes a rejected outcome, never an exception.

    ``pool``: this is a pool worker of its own (the watchdog may end it)."""
    read = load_reader(reader)
    out = _Columns()
    outcomes = []
    watch = Watch(limits, hard=pool)
    extra = {"progress": lambda page, pages: watch.extend(limits.ocr_page)} if _takes_progress(read) else {}
    try:
        for path, sha, data in items:
            rid = sha[:16]
            one = _Columns()
            try:
                with watch.file():
                    report = read(data, path, **extra)
                    _add_report(one, rid, report)
            except (Exception, TimeLimit) as e:  # noqa: BLE001 - whatever a file does, it is recorded as its own
                outcomes.append(Outcome(path, None, _one_line(e, limits)))
                continue
            out.extend(one)
            outcomes.append(Outcome(path, rid, OCR_NOTE if any(f.check == "read_by_ocr" for f in report.findings) else ""))
    finally:
        watch.close()
    return Batch(outcomes, out.tables())
