"""Folders of report files -> the Parquet dataset, incrementally and idempotently by sha256.

Every input file gets one ledger row (dot-files are counted in the summary). Unchanged parsed files
(same path, same sha256) are not read again; rejected ones are, since a rejection may be transient (a
reader that crashed, a converter missing, a file that could not be opened); identical bytes at another
path are duplicates of one canonical file; files gone since the last run are marked removed. Tables
are written only when their content changes, atomically as a set.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from govstats.corpus import scan, store
from govstats.corpus.places import place
from govstats.corpus.run import executor
from govstats.corpus.schema import LEDGER_SCHEMA, PLACE_COLUMNS, REPORTS_SCHEMA, WORKER_SCHEMAS
from govstats.corpus.worker import READER
from govstats.corpus.years import CHECKS as YEAR_CHECKS
from govstats.corpus.years import KEY, year_findings

DATA_TABLES = ("cells", "applications", "review_litigation", "disclosure")  # large: streamed
CARRY_ROWS = pa.array(["carried_over", "carried_forward"])  # what the across-year checks need
DERIVED_CHECKS = frozenset(YEAR_CHECKS) | {"place_unknown", "place_ambiguous"}


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    read: int = 0
    seconds: float = 0.0
    written: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # newly rejected in this run
    rejected_total: int = 0  # rejected files in the ledger, this run or before
    hidden: int = 0  # dot-files and dot-folders under the sources, not read

    def text(self) -> str:
        order = ("parsed", "unchanged", "duplicate", "rejected", "removed")
        counts = ", ".join(f"{k} {self.counts[k]}" for k in order)
        rate = self.read / self.seconds if self.seconds else 0.0
        wrote = ", ".join(self.written) if self.written else "nothing (no change)"
        hidden = f"; skipped {self.hidden} hidden (dot-files and dot-folders)" if self.hidden else ""
        lines = [f"{sum(self.counts.values())} files: {counts}{hidden}; "
                 f"read {self.read} in {self.seconds:.1f} s ({rate:.0f} files/s)",
                 f"rejected files in the ledger: {self.rejected_total}", f"wrote: {wrote}"]
        lines += [f"rejected: {p}: {r}" for p, r in self.rejected[:20]]
        if len(self.rejected) > 20:
            lines.append(f"... and {len(self.rejected) - 20} more rejected (see ledger.parquet)")
        return "\n".join(lines)


def _ledger_row(e: scan.Entry, status: str, reason: str = "", rid: str | None = None) -> dict:
    return {"path": e.path, "sha256": e.sha256, "size": e.size, "status": status, "reason": reason, "report_id": rid}


def _plan(entries: list[scan.Entry], prev: dict[str, dict]) -> tuple[dict[str, dict], list[scan.Entry],
                                                                    list[scan.Entry], dict[str, str]]:
    """Ledger rows known before reading, the new entries to read, the rejected ones to read again,
    and duplicate path -> canonical path.

    A parsed file is read again only when its bytes are new: same path and hash is unchanged, and a
    hash that was parsed at a path now gone is a moved file (a source given as a relative path one
    day and an absolute one the next is the same corpus). A rejected file is read again every run."""
    ledger: dict[str, dict] = {}
    by_sha: dict[str, list[scan.Entry]] = defaultdict(list)
    for e in entries:
        if e.error:
            ledger[e.path] = _ledger_row(e, "rejected", e.error)
        else:
            by_sha[e.sha256].append(e)
    present = {e.path for e in entries}
    moved = {p["sha256"]: p for p in prev.values() if p["status"] == "parsed" and p["path"] not in present}
    to_read, retry, dup_of = [], [], {}
    for sha, group in by_sha.items():
        known = [e for e in group if prev.get(e.path, {}).get("sha256") == sha
                 and prev[e.path]["status"] in ("parsed", "rejected")]
        known.sort(key=lambda e: prev[e.path]["status"] != "parsed")  # a parsed copy stays canonical
        canonical = known[0] if known else group[0]
        for e in group:
            if e is not canonical:
                dup_of[e.path] = canonical.path
        p = prev[canonical.path] if known else moved.get(sha)  # moved or renamed: the same report, not read again
        if p is not None and p["status"] == "rejected":
            retry.append(canonical)
        elif p is not None:
            ledger[canonical.path] = _ledger_row(canonical, p["status"], p["reason"], p["report_id"])
        else:
            to_read.append(canonical)
    return ledger, to_read, retry, dup_of


def _batches(entries: list[scan.Entry], size: int, on_unreadable) -> Iterator[list[tuple[str, str, bytes]]]:
    """Lazily read bytes at the edge, ``size`` files per batch (hashed again: a file may change meanwhile)."""
    batch = []
    for e in entries:
        data = scan.read(e.path)
        if isinstance(data, str):
            on_unreadable(e, data)
            continue
        e.sha256, e.size = hashlib.sha256(data).hexdigest(), len(data)
        batch.append((e.path, e.sha256, data))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Held:
    """Large tables of re-read files, kept until the transaction they go to exists."""

    def __init__(self) -> None:
        self.tables: list[dict[str, pa.Table]] = []

    def add_batch(self, tables: dict[str, pa.Table]) -> None:
        if tables:
            self.tables.append(tables)


def _concat(name: str, parts: list[pa.Table]) -> pa.Table:
    schema = WORKER_SCHEMAS[name]
    parts = [p.select(schema.names).cast(schema) for p in parts if p is not None and p.num_rows]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _keep(table: pa.Table | None, ids: pa.Array) -> pa.Table | None:
    return None if table is None else table.filter(pc.is_in(table["report_id"], value_set=ids))


def _places(reports: pa.Table, paths: dict[str, str], entries: dict[str, scan.Entry]) -> tuple[dict, list[dict]]:
    cols: dict[str, list] = {c: [] for c in ("source_path", *PLACE_COLUMNS)}
    findings = []
    for rid, agency, title in zip(*(reports[c].to_pylist() for c in ("report_id", "agency", "title")), strict=True):
        path = paths[rid]
        e = entries[path]
        p = place(agency, title, e.folders, e.catalog)
        cols["source_path"].append(path)
        for c in PLACE_COLUMNS:
            cols[c].append(getattr(p, c))
        for check, severity, message in p.findings:
            findings.append({"report_id": rid, "check": check, "severity": severity, "table": "", "row": "",
                             "column": "", "expected": None, "printed": None, "message": message})
    return cols, findings


def _finish(reports: pa.Table, findings: pa.Table, paths: dict[str, str], entries: dict[str, scan.Entry],
            carry: pa.Table, stock: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Add places and finding counts to reports; add place and across-year findings."""
    cols, place_findings = _places(reports, paths, entries)
    for c, values in cols.items():
        reports = reports.append_column(c, pa.array(values, pa.string()))
    frame = reports.select(["report_id", "year", "status", "source_path", *KEY]).to_pandas()
    extra = place_findings + year_findings(frame, carry.to_pandas(), stock.to_pandas())
    schema = WORKER_SCHEMAS["findings"]
    findings = pa.concat_tables([findings, pa.Table.from_pylist(extra, schema=schema)])
    findings = findings.take(pc.sort_indices(findings, [("report_id", "ascending"), ("check", "ascending")]))
    n = Counter(zip(findings["report_id"].to_pylist(), findings["severity"].to_pylist(), strict=True))
    ids = reports["report_id"].to_pylist()
    reports = reports.append_column("n_errors", pa.array([n[(r, "error")] for r in ids], pa.int64()))
    reports = reports.append_column("n_warnings", pa.array([n[(r, "warning")] for r in ids], pa.int64()))
    reports = reports.select(REPORTS_SCHEMA.names).cast(REPORTS_SCHEMA)
    return reports.take(pc.sort_indices(reports, [("source_path", "ascending")])), findings


def _compact(parts: list[pa.Table], every: int = 256) -> None:
    """Merge many small per-batch tables into one: each Arrow table has a fixed overhead."""
    if len(parts) >= every:
        parts[:] = [pa.concat_tables(parts).combine_chunks()]


def _disclosure(cells: pa.Table) -> pa.Table:
    return cells.filter(pc.equal(cells["table"], "disclosure")).select(["report_id", "row", "column", "value"])


class _Data:
    """The large tables: kept rows of the last dataset and new batches, streamed into a transaction.

    Only the rows the across-year checks need stay in memory."""

    def __init__(self, out: Path, tx: store.Transaction | None, kept: pa.Array) -> None:
        self.tx, self.carry, self.stock = tx, [], []
        if tx is None:  # nothing to rewrite: the checks read what is on disk
            self.carry.append(store.read(out, "applications", filters=[("row", "in", CARRY_ROWS.to_pylist())]))
            self.stock.append(store.read(out, "disclosure", filters=[("row", "=", "normative_documents")]))
            return
        for name in DATA_TABLES:
            for b in store.batches(out, name):
                self._add(name, pa.Table.from_batches([b]).filter(pc.is_in(b["report_id"], value_set=kept)))

    def _add(self, name: str, table: pa.Table) -> None:
        if name in WORKER_SCHEMAS:
            table = table.select(WORKER_SCHEMAS[name].names).cast(WORKER_SCHEMAS[name])
        if table.num_rows:
            self.tx.append(name, table)
        if name == "applications":
            self.carry.append(table.filter(pc.is_in(table["row"], value_set=CARRY_ROWS)))
            _compact(self.carry)
        elif name == "disclosure":
            self.stock.append(table.filter(pc.equal(table["row"], "normative_documents")))
            _compact(self.stock)

    def add_batch(self, tables: dict[str, pa.Table]) -> None:
        for name in ("cells", "applications", "review_litigation"):
            if name in tables:
                self._add(name, tables[name])
        if "cells" in tables:
            self._add("disclosure", _disclosure(tables["cells"]))

    def close(self) -> None:
        """Every large table exists, even when empty."""
        for name in DATA_TABLES:
            if name not in self.tx.names:
                schema = WORKER_SCHEMAS.get(name) or _disclosure(WORKER_SCHEMAS["cells"].empty_table()).schema
                self.tx.append(name, schema.empty_table())

    def checks_input(self) -> tuple[pa.Table, pa.Table]:
        carry = [t for t in self.carry if t is not None] or [WORKER_SCHEMAS["applications"].empty_table()]
        stock = [t for t in self.stock if t is not None] or [_disclosure(WORKER_SCHEMAS["cells"].empty_table())]
        return pa.concat_tables(carry), pa.concat_tables(stock)


def ingest(sources: list[str], out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
           reader: str = READER, max_size: int = scan.MAX_SIZE, batch_size: int = 32, progress: bool = True) -> Summary:
    """Read ``sources`` into the dataset at ``out``; returns what happened (also in ledger.parquet)."""

    t0 = time.perf_counter()
    out = Path(out)
    store.recover(out)
    old = {name: store.read(out, name) for name in ("ledger", "reports", "findings")}
    prev = {r["path"]: r for r in old["ledger"].to_pylist()} if old["ledger"] is not None else {}
    catalogs = scan.load_catalogs(sources)
    walked = scan.walk(sources, exclude=out)
    files = walked.files
    entries: list[scan.Entry] = []
    with ThreadPoolExecutor(8) as pool:  # hashing is I/O: threads; slices keep the futures few
        for i in range(0, len(files), 1024):
            entries += pool.map(lambda pf: scan.inspect(pf[0], pf[1], max_size), files[i : i + 1024])
    del files
    for e in entries:
        e.catalog = catalogs.get(e.path, {})
    by_path = {e.path: e for e in entries}
    ledger, to_read, retry, dup_of = _plan(entries, prev)
    # Rejected files first, held in memory (they are few): whether anything must be written is known after.
    held = _Held()
    again, retried_reports, retried_findings = _read(retry, ledger, by_path, held, workers, scheduler, reader,
                                                     batch_size, progress)

    kept = pa.array(sorted(r["report_id"] for r in ledger.values() if r["status"] == "parsed"), pa.string())
    old_ids = set(old["reports"]["report_id"].to_pylist()) if old["reports"] is not None else set()
    missing = any(not store.path_of(out, n).exists() for n in DATA_TABLES)
    rewrite = to_read or held.tables or set(kept.to_pylist()) != old_ids or missing
    tx = store.Transaction(out) if rewrite else None
    try:
        data = _Data(out, tx, kept)
        for tables in held.tables:
            data.add_batch(tables)
        summary, new_reports, new_findings = _read(to_read, ledger, by_path, data, workers, scheduler, reader,
                                                   batch_size, progress)
        summary.read += again.read
        summary.hidden = walked.hidden
        new_reports, new_findings = retried_reports + new_reports, retried_findings + new_findings
        for path, canonical in dup_of.items():
            c = ledger[canonical]
            ledger[path] = _ledger_row(by_path[path], "duplicate", f"same bytes as {canonical}", c["report_id"])
        for path, p in prev.items():
            if path not in ledger:
                reason = p["reason"] if p["status"] == "removed" else "no longer present"
                ledger[path] = {**p, "status": "removed", "reason": reason, "report_id": None}
        for path, row in ledger.items():
            summary.counts["unchanged" if prev.get(path) == row else row["status"]] += 1
            if row["status"] == "rejected":
                summary.rejected_total += 1
                if prev.get(path) != row:
                    summary.rejected.append((row["path"], row["reason"]))

        paths = {r["report_id"]: r["path"] for r in ledger.values() if r["status"] == "parsed"}
        reports = _concat("reports", [_keep(old["reports"], kept), *new_reports])
        findings = _keep(old["findings"], kept)
        if findings is not None:
            findings = findings.filter(pc.invert(pc.is_in(findings["check"], value_set=pa.array(sorted(DERIVED_CHECKS)))))
        findings = _concat("findings", [findings, *new_findings])
        tables = dict(zip(("reports", "findings"), _finish(reports, findings, paths, by_path, *data.checks_input()),
                          strict=True))
        tables["ledger"] = pa.Table.from_pylist(sorted(ledger.values(), key=lambda r: r["path"]), schema=LEDGER_SCHEMA)
        changed = {n: t for n, t in tables.items() if old.get(n) is None or not old[n].equals(t)}
        if changed and tx is None:
            tx = store.Transaction(out)
        if tx is not None:
            if data.tx is not None:
                data.close()
            for name, table in changed.items():
                tx.put(name, table)
            tx.commit()
    except BaseException:
        if tx is not None:
            tx.abort()
        raise
    summary.written = sorted(tx.names) if tx is not None else []
    summary.seconds = time.perf_counter() - t0
    return summary


def _read(to_read: list[scan.Entry], ledger: dict[str, dict], by_path: dict[str, scan.Entry], data: _Data | _Held,
          workers: int | None, scheduler: str | None, reader: str, batch_size: int, progress: bool):
    """Read the files in parallel; large tables go to ``data`` as batches arrive."""
    from tqdm import tqdm

    summary = Summary()
    if not to_read:
        return summary, [], []
    reports: list[pa.Table] = []
    findings: list[pa.Table] = []
    bar = tqdm(total=len(to_read), unit="file", desc="reading", disable=not progress, smoothing=0.1,
               mininterval=0.5 if sys.stderr.isatty() else 30)  # a log file gets a line every 30 s
    failures = sum(1 for r in ledger.values() if r["status"] == "rejected")

    def unreadable(e: scan.Entry, reason: str) -> None:
        nonlocal failures
        ledger[e.path] = _ledger_row(e, "rejected", reason)
        failures += 1
        bar.update(1)

    with executor(workers, scheduler, reader) as run:
        for _, batch in run(_batches(to_read, batch_size, unreadable)):
            for o in batch.outcomes:
                ledger[o.path] = _ledger_row(by_path[o.path], "parsed" if o.report_id else "rejected", o.reason,
                                             o.report_id)
                failures += o.report_id is None
            summary.read += len(batch.outcomes)
            data.add_batch(batch.tables)
            for parts, name in ((reports, "reports"), (findings, "findings")):
                if name in batch.tables:
                    parts.append(batch.tables[name])
                    _compact(parts)
            bar.set_postfix(failures=failures, refresh=False)
            bar.update(len(batch.outcomes))
    bar.close()
    return summary, reports, findings
