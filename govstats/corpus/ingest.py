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
from govstats.corpus.assemble import DERIVED_CHECKS, KEPT, all_versions, disagreeing_copies, finish, own_id
from govstats.corpus.copies import canonical, touched_reports
from govstats.corpus.flow import DATA_TABLES, READ_TABLES, Data, Read, concat, keep
from govstats.corpus.run import executor
from govstats.corpus.schema import COPIES_SCHEMA, LEDGER_SCHEMA, REPORTS_SCHEMA, WORKER_SCHEMAS
from govstats.corpus.worker import READER

SMALL_TABLES = ("ledger", "reports", "findings", "copies")


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


def _previous(prev: dict[str, dict]) -> dict[str, str]:
    """Each file's report id -> the canonical report id it had after the last run."""
    return {own_id(r): (r["report_id"] or own_id(r)) for r in prev.values() if r["status"] in KEPT}


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
        read = Read(scratch)
        summary = _read(to_read, ledger, by_path, read, workers, scheduler, reader, batch_size, progress)
        old_ids = set(old["reports"]["report_id"].to_pylist()) if old["reports"] is not None else set()
        before = _previous(prev)
        while True:  # files whose data is needed but not at hand (a copy that takes over, or to compare) are read
            versions = all_versions(old, ledger, read, by_path)
            canon = canonical(versions)
            touched = touched_reports(canon, before, read.ids)
            paths = {own_id(r): p for p, r in ledger.items() if r["status"] in KEPT}
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
        _settle(ledger, canon, paths, by_path, dup_of, prev, summary)

        from_scratch = set(final) & read.ids
        from_old = pa.array(sorted(set(final) - read.ids), pa.string())
        rewrite = set(final) != old_ids or from_scratch or any(not store.path_of(out, n).exists() for n in DATA_TABLES)
        tx = store.Transaction(out) if rewrite else None
        data = Data(tx)
        if tx is None:
            data.from_disk(out)
        else:
            for name in READ_TABLES:
                data.stream(name, store.batches(out, name), from_old)
            for name in READ_TABLES:
                data.stream(name, scratch.batches(name), pa.array(sorted(from_scratch), pa.string()))
            data.close()

        copy_findings = disagreeing_copies(canon, touched, paths, old, out, scratch, read.ids)
        kept = keep(old["findings"], from_old)
        if kept is not None:  # derived findings are made again below
            kept = kept.filter(pc.invert(pc.is_in(kept["check"], value_set=pa.array(sorted(DERIVED_CHECKS)))))
        reading = [kept, keep(concat(WORKER_SCHEMAS["findings"], read.findings), final_ids)]
        tables = finish(versions, canon, reading, copy_findings, *data.checks_input())
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


def _settle(ledger: dict[str, dict], canon: pd.Series, paths: dict[str, str], by_path: dict[str, scan.Entry],
            dup_of: dict[str, str], prev: dict[str, dict], summary: Summary) -> None:
    """Final ledger rows: parsed or copy by the canonical choice, duplicates, removed files; counted."""
    for path, row in list(ledger.items()):
        if row["status"] in KEPT:
            c = canon[own_id(row)]
            ledger[path] = (_ledger_row(by_path[path], "parsed", "", c) if c == own_id(row)
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


def _read(to_read: list[scan.Entry], ledger: dict[str, dict], by_path: dict[str, scan.Entry], read: Read,
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
