"""The pure part of ingest: bytes of a batch of files in, Arrow tables out. Runs in pool or Dask workers."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from govstats.corpus.schema import WORKER_SCHEMAS, columns
from govstats.reading.report import NotAReport, Report

READER = "govstats.reading.read:read_bytes"
Reader = Callable[[bytes, str], Report]


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


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if isinstance(e, NotAReport) else f"reader error: {type(e).__name__}: {text}"


class _Columns:
    """Column lists per table, turned into Arrow at the end of the batch."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, list]] = {}

    def add(self, name: str, /, **row) -> None:
        cols = self.data.setdefault(name, {k: [] for k in row})
        for k, v in row.items():
            cols[k].append(v)

    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.table(cols, schema=WORKER_SCHEMAS[name]) for name, cols in self.data.items()}


def _int(v: object) -> int | None:
    """A count, or null when the printed value is not a whole number (never truncated: I5 reports it)."""
    if v is None:
        return None
    try:
        return int(v) if float(v).is_integer() else None
    except (TypeError, ValueError, OverflowError):
        return None


def _float(v: object) -> float | None:
    return None if v is None else float(v)


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
    )
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


def read_batch(items: list[tuple[str, str, bytes]], reader: str = READER) -> Batch:
    """Read ``(path, sha256, bytes)`` items; one bad file becomes a rejected outcome, never an exception."""
    read = load_reader(reader)
    out = _Columns()
    outcomes = []
    for path, sha, data in items:
        try:
            report = read(data, path)
        except Exception as e:  # noqa: BLE001 - a reader bug must not stop a run: it is recorded per file
            outcomes.append(Outcome(path, None, _one_line(e)))
            continue
        rid = sha[:16]
        _add_report(out, rid, report)
        outcomes.append(Outcome(path, rid))
    return Batch(outcomes, out.tables())
