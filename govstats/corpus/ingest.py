"""Folders of report files -> the Parquet dataset, incrementally and idempotently by sha256.

Every input file gets one ledger row (dot-files are counted in the summary). Unchanged parsed files
(same path, same sha256) are not read again; rejected ones are, since a rejection may be transient (a
reader that crashed, a converter missing, a file that could not be opened); identical bytes at another
path are duplicates of one canonical file; files gone since the last run are marked removed. Files
that hold the same report as another (a page and its PDF attachment) are copies: only the best read
is in the dataset's tables (govstats.corpus.copies). Tables are written only when their content
changes, atomically as a set.

The large tables of the files read go to a scratch area first; once every file's report is known,
those of canonical reports are streamed into the dataset with the kept rows of the last one.
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

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govstats.corpus import scan, store
from govstats.corpus.copies import CHECKS as COPY_CHECKS
from govstats.corpus.copies import canonical, disagreements
from govstats.corpus.run import executor
from govstats.corpus.schema import COPIES_SCHEMA, LEDGER_SCHEMA, PLACE_COLUMNS, REPORTS_SCHEMA, WORKER_SCHEMAS
from govstats.corpus.worker import READER
from govstats.corpus.years import CHECKS as YEAR_CHECKS
from govstats.corpus.years import KEY, year_findings
from govstats.places import CHECKS as PLACE_CHECKS
from govstats.places import place

READ_TABLES = ("cells", "applications", "review_litigation")  # what a worker gives per report, besides reports
DATA_TABLES = (*READ_TABLES, "disclosure")  # large: streamed
CARRY_ROWS = pa.array(["carried_over", "carried_forward"])  # what the across-year checks need
DERIVED_CHECKS = frozenset(YEAR_CHECKS) | frozenset(PLACE_CHECKS) | frozenset(COPY_CHECKS)
SMALL_TABLES = ("ledger", "reports", "findings", "copies")
KEPT = ("parsed", "copy")  # ledger statuses of files whose report is known


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
        order = ("parsed", "unchanged", "duplicate", "copy", "rejected", "removed")
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


def _own_id(row: dict) -> str:
    """The id of the report read from a file's bytes (a copy's ledger row names its canonical report)."""
    return row["sha256"][:16]


def _old_tables(out: Path) -> dict[str, pa.Table | None]:
    """The last dataset's small tables; none when it has other columns than this version writes (an
    older govstats): then every file is read again."""
    old = {name: store.read(out, name) for name in SMALL_TABLES}
    schemas = {"ledger": LEDGER_SCHEMA, "reports": REPORTS_SCHEMA, "copies": COPIES_SCHEMA,
               "findings": WORKER_SCHEMAS["findings"]}
    if any(old[n] is None or old[n].schema.names != s.names for n, s in schemas.items()):
        return dict.fromkeys(SMALL_TABLES)
    return old


def _plan(entries: list[scan.Entry], prev: dict[str, dict]) -> tuple[dict[str, dict], list[scan.Entry], dict[str, str]]:
    """Ledger rows known before reading, the entries to read, and duplicate path -> canonical path.

    A file whose report is known is read again only when its bytes are new: same path and hash is
    unchanged, and a hash known at a path now gone is a moved file (a source given as a relative path
    one day and an absolute one the next is the same corpus). A rejected file is read every run."""
    ledger: dict[str, dict] = {}
    by_sha: dict[str, list[scan.Entry]] = defaultdict(list)
    for e in entries:
        if e.error:
            ledger[e.path] = _ledger_row(e, "rejected", e.error)
        else:
            by_sha[e.sha256].append(e)
    present = {e.path for e in entries}
    moved = {p["sha256"]: p for p in prev.values() if p["status"] in KEPT and p["path"] not in present}
    to_read, dup_of = [], {}
    for sha, group in by_sha.items():
        known = [e for e in group if prev.get(e.path, {}).get("sha256") == sha
                 and prev[e.path]["status"] in (*KEPT, "rejected")]
        known.sort(key=lambda e: prev[e.path]["status"] == "rejected")  # a file with a report stays canonical
        first = known[0] if known else group[0]
        for e in group:
            if e is not first:
                dup_of[e.path] = first.path
        p = prev[first.path] if known else moved.get(sha)  # moved or renamed: the same report, not read again
        if p is not None and p["status"] in KEPT:
            ledger[first.path] = _ledger_row(first, p["status"], p["reason"], p["report_id"])
        else:
            to_read.append(first)
    return ledger, to_read, dup_of


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


def _concat(schema: pa.Schema, parts: list[pa.Table | None]) -> pa.Table:
    parts = [p.select(schema.names).cast(schema) for p in parts if p is not None and p.num_rows]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _keep(table: pa.Table | None, ids) -> pa.Table | None:
    ids = ids if isinstance(ids, pa.Array) else pa.array(sorted(ids), pa.string())
    return None if table is None else table.filter(pc.is_in(table["report_id"], value_set=ids))


def _compact(parts: list[pa.Table], every: int = 256) -> None:
    """Merge many small per-batch tables into one: each Arrow table has a fixed overhead."""
    if len(parts) >= every:
        parts[:] = [pa.concat_tables(parts).combine_chunks()]


def _disclosure(cells: pa.Table) -> pa.Table:
    return cells.filter(pc.equal(cells["table"], "disclosure")).select(["report_id", "row", "column", "value"])


class _Read:
    """What the files read in this run gave: small tables in memory, large ones in the scratch area."""

    def __init__(self, scratch: store.Scratch) -> None:
        self.scratch = scratch
        self.reports: list[pa.Table] = []
        self.findings: list[pa.Table] = []
        self.ids: set[str] = set()

    def add_batch(self, tables: dict[str, pa.Table]) -> None:
        for name in READ_TABLES:
            if name in tables and tables[name].num_rows:
                schema = WORKER_SCHEMAS[name]
                self.scratch.append(name, tables[name].select(schema.names).cast(schema))
        for parts, name in ((self.reports, "reports"), (self.findings, "findings")):
            if name in tables:
                parts.append(tables[name])
                _compact(parts)
        if "reports" in tables:
            self.ids.update(tables["reports"]["report_id"].to_pylist())


class _Data:
    """The large tables streamed into a transaction; only the rows the across-year checks need stay in memory."""

    def __init__(self, tx: store.Transaction | None) -> None:
        self.tx, self.carry, self.stock = tx, [], []

    def add(self, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self.tx.append(name, table)
        if name == "applications":
            self.carry.append(table.filter(pc.is_in(table["row"], value_set=CARRY_ROWS)))
            _compact(self.carry)
        elif name == "disclosure":
            self.stock.append(table.filter(pc.equal(table["row"], "normative_documents")))
            _compact(self.stock)

    def stream(self, name: str, batches, ids: pa.Array) -> None:
        """Rows of ``ids`` from ``batches`` of a table a worker gives (disclosure is taken from the cells)."""
        for b in batches:
            t = pa.Table.from_batches([b]).filter(pc.is_in(b["report_id"], value_set=ids))
            if name in WORKER_SCHEMAS:
                t = t.select(WORKER_SCHEMAS[name].names).cast(WORKER_SCHEMAS[name])
            self.add(name, t)
            if name == "cells":
                self.add("disclosure", _disclosure(t))

    def close(self) -> None:
        """Every large table exists, even when empty."""
        for name in DATA_TABLES:
            if name not in self.tx.names:
                schema = WORKER_SCHEMAS.get(name) or _disclosure(WORKER_SCHEMAS["cells"].empty_table()).schema
                self.tx.append(name, schema.empty_table())

    def from_disk(self, out: Path) -> None:
        """Nothing to rewrite: the checks read what is on disk."""
        self.carry.append(store.read(out, "applications", filters=[("row", "in", CARRY_ROWS.to_pylist())]))
        self.stock.append(store.read(out, "disclosure", filters=[("row", "=", "normative_documents")]))

    def checks_input(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        carry = [t for t in self.carry if t is not None] or [WORKER_SCHEMAS["applications"].empty_table()]
        stock = [t for t in self.stock if t is not None] or [_disclosure(WORKER_SCHEMAS["cells"].empty_table())]
        return pa.concat_tables(carry).to_pandas(), pa.concat_tables(stock).to_pandas()


def _counts(findings: pa.Table | None) -> pd.DataFrame:
    """Errors and warnings per report among reading findings (what a file's own bytes gave)."""
    if findings is None or not findings.num_rows:
        return pd.DataFrame(columns=["read_errors", "read_warnings"], index=pd.Index([], name="report_id"))
    f = findings.select(["report_id", "check", "severity"]).to_pandas()
    f = f[~f["check"].isin(DERIVED_CHECKS)]
    n = pd.crosstab(f["report_id"], f["severity"])
    return pd.DataFrame({"read_errors": n.get("error", 0), "read_warnings": n.get("warning", 0)}, index=n.index)


def _versions(old: dict, ledger: dict[str, dict], read: _Read, by_path: dict[str, scan.Entry]) -> pd.DataFrame:
    """Every file's report, canonical or copy, with its reading counts, path, place and agency key."""
    paths = {_own_id(r): p for p, r in ledger.items() if r["status"] in KEPT}
    worker = WORKER_SCHEMAS["reports"].names
    new = _concat(WORKER_SCHEMAS["reports"], read.reports)
    stored = [_keep(old[n], set(paths) - read.ids) for n in ("reports", "copies")]
    frame = _concat(WORKER_SCHEMAS["reports"], [new, *[t.select(worker) if t is not None else None for t in stored]])
    v = frame.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    v = v[v["report_id"].isin(paths.keys())]
    counts = pd.concat([_counts(_concat(WORKER_SCHEMAS["findings"], read.findings)), _counts(old["findings"])])
    if stored[1] is not None and stored[1].num_rows:
        c = stored[1].select(["report_id", "n_errors", "n_warnings"]).to_pandas().set_index("report_id")
        counts = pd.concat([counts, c.rename(columns={"n_errors": "read_errors", "n_warnings": "read_warnings"})])
    counts = counts[~counts.index.duplicated()]
    v = v.join(counts, on="report_id")
    v[["read_errors", "read_warnings"]] = v[["read_errors", "read_warnings"]].fillna(0).astype("int64")
    v["source_path"] = v["report_id"].map(paths)
    places = [place(a, t, by_path[p].folders, by_path[p].catalog)
              for a, t, p in zip(v["agency"], v["title"], v["source_path"], strict=True)]
    for c in (*PLACE_COLUMNS, "agency_key"):
        v[c] = pd.array([getattr(p, c) for p in places], dtype="str")
    v["_place_findings"] = [p.findings for p in places]
    return v.reset_index(drop=True)


def _members(canon: pd.Series) -> dict[str, list[str]]:
    """Canonical report_id -> its copies' report_ids (reports without copies left out)."""
    copies = canon[canon.index != canon.to_numpy()]
    out: dict[str, list[str]] = defaultdict(list)
    for k, c in zip(copies.index, copies, strict=True):
        out[c].append(k)
    return {c: sorted(ks) for c, ks in out.items()}


def _previous(prev: dict[str, dict]) -> dict[str, str]:
    """Each file's report id -> the canonical report id it had after the last run."""
    return {_own_id(r): (r["report_id"] or _own_id(r)) for r in prev.values() if r["status"] in KEPT}


def _touched(canon: pd.Series, before: dict[str, str], read_ids: set[str]) -> set[str]:
    """Canonical ids whose file set, or choice, differs from the last run (their comparisons are redone)."""
    now = defaultdict(set)
    for k, c in zip(canon.index, canon, strict=True):
        now[c].add(k)
    then = defaultdict(set)
    for k, c in before.items():
        then[c].add(k)
    return {c for c, ks in now.items() if then.get(c) != ks or ks & read_ids}


def ingest(sources: list[str], out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
           reader: str = READER, max_size: int = scan.MAX_SIZE, batch_size: int = 32, progress: bool = True) -> Summary:
    """Read ``sources`` into the dataset at ``out``; returns what happened (also in ledger.parquet)."""

    t0 = time.perf_counter()
    out = Path(out)
    store.recover(out)
    old = _old_tables(out)
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
    ledger, to_read, dup_of = _plan(entries, prev)
    scratch = store.Scratch(out)
    tx = None
    try:
        read = _Read(scratch)
        summary = _read(to_read, ledger, by_path, read, workers, scheduler, reader, batch_size, progress)
        old_ids = set(old["reports"]["report_id"].to_pylist()) if old["reports"] is not None else set()
        before = _previous(prev)
        while True:  # files whose data is needed but not at hand (a copy that takes over, or to compare) are read
            versions = _versions(old, ledger, read, by_path)
            canon = canonical(versions)
            touched = _touched(canon, before, read.ids)
            paths = {_own_id(r): p for p, r in ledger.items() if r["status"] in KEPT}
            needed = set(canon.unique()) | {k for k, c in canon.items() if c in touched} | (set(paths) - set(canon.index))
            missing = sorted(needed - read.ids - old_ids)
            if not missing:
                break
            more = _read([by_path[paths[i]] for i in missing], ledger, by_path, read, workers, scheduler, reader,
                         batch_size, progress)
            summary.read += more.read
        scratch.close()
        summary.hidden = walked.hidden
        paths = dict(zip(versions["report_id"], versions["source_path"], strict=True))
        final = canon[canon.index == canon.to_numpy()].index
        final_ids = pa.array(sorted(final), pa.string())
        for path, row in list(ledger.items()):
            if row["status"] in KEPT:
                c = canon[_own_id(row)]
                ledger[path] = (_ledger_row(by_path[path], "parsed", "", c) if c == _own_id(row)
                                else _ledger_row(by_path[path], "copy", f"same report as {paths[c]}", c))
        for path, first in dup_of.items():
            ledger[path] = _ledger_row(by_path[path], "duplicate", f"same bytes as {first}", ledger[first]["report_id"])
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

        from_scratch = set(final) & read.ids
        from_old = pa.array(sorted(set(final) - read.ids), pa.string())
        rewrite = set(final) != old_ids or from_scratch or any(not store.path_of(out, n).exists() for n in DATA_TABLES)
        tx = store.Transaction(out) if rewrite else None
        data = _Data(tx)
        if tx is None:
            data.from_disk(out)
        else:
            for name in READ_TABLES:
                data.stream(name, store.batches(out, name), from_old)
            for name in READ_TABLES:
                data.stream(name, scratch.batches(name), pa.array(sorted(from_scratch), pa.string()))
            data.close()

        copy_findings = _copy_findings(canon, touched, paths, old, out, scratch, read.ids)
        kept = _keep(old["findings"], from_old)
        if kept is not None:  # derived findings are made again below
            kept = kept.filter(pc.invert(pc.is_in(kept["check"], value_set=pa.array(sorted(DERIVED_CHECKS)))))
        reading = [kept, _keep(_concat(WORKER_SCHEMAS["findings"], read.findings), final_ids)]
        tables = _finish(versions, canon, reading, copy_findings, *data.checks_input())
        tables["ledger"] = pa.Table.from_pylist(sorted(ledger.values(), key=lambda r: r["path"]), schema=LEDGER_SCHEMA)
        changed = {n: t for n, t in tables.items() if old.get(n) is None or not old[n].equals(t)}
        if changed and tx is None:
            tx = store.Transaction(out)
        if tx is not None:
            for name, table in changed.items():
                tx.put(name, table)
            tx.commit()
    except BaseException:
        if tx is not None:
            tx.abort()
        raise
    finally:
        scratch.remove()
    summary.written = sorted(tx.names) if tx is not None else []
    summary.seconds = time.perf_counter() - t0
    return summary


def _copy_findings(canon: pd.Series, touched: set[str], paths: dict[str, str], old: dict, out: Path,
                   scratch: store.Scratch, read_ids: set[str]) -> list[dict]:
    """copy_disagrees findings: kept from the last run for reports whose files are the same, else compared."""
    groups = {c: ks for c, ks in _members(canon).items() if c in touched}
    kept = []
    if old["findings"] is not None:
        f = old["findings"].filter(pc.equal(old["findings"]["check"], "copy_disagrees")).to_pylist()
        kept = [r for r in f if r["report_id"] not in touched and r["report_id"] in canon.index
                and canon[r["report_id"]] == r["report_id"]]

    def cells_of(ids: list[str]) -> pd.DataFrame:
        cols = ["report_id", "table", "row", "column", "value"]
        here, there = sorted(set(ids) & read_ids), sorted(set(ids) - read_ids)
        parts = [scratch.read("cells", columns=cols, filters=[("report_id", "in", here)]) if here else None,
                 store.read(out, "cells", columns=cols, filters=[("report_id", "in", there)]) if there else None]
        return _concat(pa.schema([WORKER_SCHEMAS["cells"].field(c) for c in cols]), parts).to_pandas()

    return kept + disagreements(groups, paths, cells_of) if groups else kept


def _finish(versions: pd.DataFrame, canon: pd.Series, reading: list[pa.Table | None], copy_findings: list[dict],
            carry: pd.DataFrame, stock: pd.DataFrame) -> dict[str, pa.Table]:
    """reports, copies and findings: places, agency keys, across-year and copy findings, finding counts."""
    v = versions.assign(copy_of=versions["report_id"].map(canon))
    is_canonical = v["copy_of"] == v["report_id"]
    reports, copies = v[is_canonical], v[~is_canonical]
    place_findings = [{"report_id": rid, "check": check, "severity": severity, "table": "", "row": "", "column": "",
                       "expected": None, "printed": None, "message": message}
                      for rid, found in zip(reports["report_id"], reports["_place_findings"], strict=True)
                      for check, severity, message in found]
    frame = reports[["report_id", "year", "status", "source_path", *KEY]]
    extra = place_findings + year_findings(frame, carry, stock) + copy_findings
    schema = WORKER_SCHEMAS["findings"]
    findings = pa.concat_tables([_concat(schema, reading), pa.Table.from_pylist(extra, schema=schema)])
    findings = findings.take(pc.sort_indices(findings, [("report_id", "ascending"), ("check", "ascending")]))
    n = Counter(zip(findings["report_id"].to_pylist(), findings["severity"].to_pylist(), strict=True))
    reports = reports.assign(n_errors=[n[(r, "error")] for r in reports["report_id"]],
                             n_warnings=[n[(r, "warning")] for r in reports["report_id"]])
    copies = copies.assign(n_errors=copies["read_errors"], n_warnings=copies["read_warnings"])

    def table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
        frame = frame.sort_values("source_path", kind="stable")[schema.names]
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)

    return {"reports": table(reports, REPORTS_SCHEMA), "copies": table(copies, COPIES_SCHEMA), "findings": findings}


def _read(to_read: list[scan.Entry], ledger: dict[str, dict], by_path: dict[str, scan.Entry], read: _Read,
          workers: int | None, scheduler: str | None, reader: str, batch_size: int, progress: bool) -> Summary:
    """Read the files in parallel; what they give goes to ``read`` as batches arrive."""
    from tqdm import tqdm

    summary = Summary()
    if not to_read:
        return summary
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
            read.add_batch(batch.tables)
            bar.set_postfix(failures=failures, refresh=False)
            bar.update(len(batch.outcomes))
    bar.close()
    return summary
