"""Folders of report files -> the Parquet dataset, incrementally and idempotently by sha256.

Every input file gets one ledger row (dot-files are counted in the summary); so do what the walk met
but did not read: pipes, devices and sockets, links out of the source folder (skipped), and folders
it could not list (unlisted; the files found in them before keep their last outcome). A file whose
size and modification time are the ledger's is not hashed again; one whose report is known (same
path, same sha256) is not read again; identical bytes at another path are duplicates of one canonical
file; a known file's bytes at a new path are a moved file. A rejected file is read again when its
bytes change, when the reader or the limits changed (govstats.corpus.fingerprint), or when the
rejection was the run's rather than the file's (it could not be opened, its reader process died).
Files that hold the same report as another (a page and its PDF attachment) are copies: only the best
read is in the dataset's tables (govstats.corpus.copies).

An ingest adds to the dataset: it scans the source roots it is given and touches only the files under
them (govstats.corpus.sources). When nothing changed, it stops before places and checks and writes
nothing. Otherwise the tables whose content changes are committed as the next version, atomically,
by the one process holding the dataset's lock (govstats.corpus.store).

The large tables of the files read go to a scratch area first; once every file's report is known,
those of canonical reports are streamed into the dataset with the kept rows of the last version.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govstats.corpus import fingerprint, scan, store
from govstats.corpus import sources as remembered
from govstats.corpus.assemble import (
    DERIVED_CHECKS,
    KEPT,
    all_versions,
    disagreeing_copies,
    finish,
    late_place_findings,
    own_id,
)
from govstats.corpus.copies import canonical, touched_reports
from govstats.corpus.flow import DATA_TABLES, READ_TABLES, Data, Read, concat, keep, release, system_memory
from govstats.corpus.run import executor
from govstats.corpus.schema import COPIES_SCHEMA, LEDGER_SCHEMA, REPORTS_SCHEMA, WORKER_SCHEMAS
from govstats.corpus.worker import OCR_NOTE, READER
from govstats.reading.limits import DEFAULT_LIMITS, Limits

SMALL_TABLES = ("ledger", "reports", "findings", "copies", "quality")
# Rejections that say more about the run than about the file: read again on every run.
TRANSIENT = ("cannot open:", "the reader process died", "reader process failed")


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    read: int = 0
    seconds: float = 0.0
    written: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # newly rejected in this run
    rejected_total: int = 0  # rejected files (and unlisted folders) in the ledger, this run or before
    hidden: int = 0  # dot-files and dot-folders under the sources, not read
    notes: list[str] = field(default_factory=list)  # roots not there, catalogs not in UTF-8, roots forgotten

    def text(self) -> str:
        order = ("parsed", "unchanged", "duplicate", "copy", "rejected", "removed")
        counts = ", ".join([f"{k} {self.counts[k]}" for k in order]
                           + [f"{k} {self.counts[k]}" for k in ("skipped", "unlisted") if self.counts[k]])
        rate = self.read / self.seconds if self.seconds else 0.0
        wrote = ", ".join(self.written) if self.written else "nothing (no change)"
        hidden = f"; skipped {self.hidden} hidden (dot-files and dot-folders)" if self.hidden else ""
        lines = [f"{sum(self.counts.values())} files: {counts}{hidden}; "
                 f"read {self.read} in {self.seconds:.1f} s ({rate:.0f} files/s)",
                 f"rejected files in the ledger: {self.rejected_total}", f"wrote: {wrote}"]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"rejected: {p}: {r}" for p, r in self.rejected[:20]]
        if len(self.rejected) > 20:
            lines.append(f"... and {len(self.rejected) - 20} more rejected (see ledger.parquet)")
        return "\n".join(lines)


class Row(NamedTuple):
    """A ledger row in memory (a tuple: a national ledger has a million); ``path`` as the file system gives it."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    status: str
    reason: str = ""
    report_id: str | None = None


def _entry_row(e: scan.Entry, status: str, reason: str = "", rid: str | None = None) -> Row:
    return Row(e.path, e.sha256, e.size, e.mtime_ns, status, reason, rid)


def _current(base: Path) -> bool:
    """Whether the last version's small tables have the columns this version writes (else it is an older
    govstats's, and every file is read again). Only the files' schemas are read."""
    schemas = {"ledger": LEDGER_SCHEMA, "reports": REPORTS_SCHEMA, "copies": COPIES_SCHEMA,
               "findings": WORKER_SCHEMAS["findings"]}
    paths = {n: store.path_of(base, n) for n in schemas}
    return all(p.exists() and pq.read_schema(p).names == schemas[n].names for n, p in paths.items())


def _ledger_rows(table: pa.Table | None) -> dict[str, Row]:
    """The ledger by path as the file system gives it (a path that is not UTF-8 from its raw bytes)."""
    if table is None:
        return {}
    paths = [p if b is None else os.fsdecode(b) for p, b in zip(table["path"].to_pylist(), table["raw_path"].to_pylist(),
                                                                 strict=True)]
    columns = [paths, *(table[n].to_pylist() for n in Row._fields[1:])]
    return {r.path: r for r in map(Row._make, zip(*columns, strict=True))}


def _ledger_table(ledger: dict[str, Row]) -> pa.Table:
    """The ledger as a table, sorted by path, built column by column (no row objects: it may be long)."""
    shown = sorted((scan.shown(p), p) for p in ledger)
    columns = {"path": [t for t, _ in shown], "raw_path": [None if t == p else os.fsencode(p) for t, p in shown]}
    for i, name in enumerate(Row._fields[1:], start=1):
        columns[name] = [ledger[p][i] for _, p in shown]
    return pa.table(columns, schema=LEDGER_SCHEMA)


@dataclass
class Plan:
    ledger: dict[str, Row]  # rows known before reading
    to_read: list[scan.Entry]
    dup_of: dict[str, str]  # duplicate path -> the path of its canonical file
    moved: dict[str, str]  # old path -> new path of a known file's bytes


def _plan(entries: list[scan.Entry], prev: dict[str, Row], gone: Callable[[str], bool],
          reread: Callable[[Row], bool]) -> Plan:
    """Ledger rows known before reading, the entries to read, duplicates and moved files.

    A file whose report is known is read again only when its bytes are new (same path and hash is
    unchanged, and a hash known at a path now ``gone`` is a moved file: a source given as a relative
    path one day and an absolute one the next is the same corpus), or when ``reread`` says so, as it
    does for rejected files whose reader or limits changed and for every file with `--reread`."""
    ledger: dict[str, Row] = {}
    by_sha: dict[str, list[scan.Entry]] = defaultdict(list)
    for e in entries:
        if e.error:
            ledger[e.path] = _entry_row(e, "rejected", e.error)
        else:
            by_sha[e.sha256].append(e)
    present = {e.path for e in entries}
    elsewhere = {p.sha256: p for p in prev.values() if p.status in KEPT and p.path not in present}
    plan = Plan(ledger, [], {}, {})
    for sha, group in by_sha.items():
        known = [e for e in group if e.path in prev and prev[e.path].sha256 == sha
                 and prev[e.path].status in (*KEPT, "rejected")]
        known.sort(key=lambda e: prev[e.path].status == "rejected")  # a file with a report stays canonical
        first = known[0] if known else group[0]
        p = prev[first.path] if known else None
        if p is None and sha in elsewhere and gone(elsewhere[sha].path):  # moved or renamed: not read again
            p = elsewhere.pop(sha)
            plan.moved[p.path] = first.path
        if p is not None and not reread(p):
            ledger[first.path] = _entry_row(first, p.status, p.reason, p.report_id)
        else:
            plan.to_read.append(first)
        for e in group:
            if e is not first:
                plan.dup_of[e.path] = first.path
                ledger[e.path] = _entry_row(e, "duplicate", f"same bytes as {scan.shown(first.path)}",
                                            ledger[first.path].report_id if first.path in ledger else None)
    return plan


def _batches(entries: list[scan.Entry], size: int, max_size: int,
             on_unreadable) -> Iterator[list[tuple[str, str, bytes]]]:
    """Lazily read bytes at the edge, ``size`` files per batch (hashed again: a file may change meanwhile).
    Workers see the path as text (`scan.shown`)."""
    batch = []
    for e in entries:
        data = scan.read(e.path, max_size)
        if isinstance(data, str):
            on_unreadable(e, data)
            continue
        e.sha256, e.size = hashlib.sha256(data).hexdigest(), len(data)
        batch.append((scan.shown(e.path), e.sha256, data))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _previous(prev: dict[str, Row]) -> dict[str, str]:
    """Each file's report id -> the canonical report id it had after the last run."""
    return {own_id(r): (r.report_id or own_id(r)) for r in prev.values() if r.status in KEPT}


def _hash(entries: list[scan.Entry], prev: dict[str, Row], max_size: int) -> None:
    """sha256 of each file, trusted from the ledger when its size and modification time are the same."""
    todo = []
    for e in entries:
        p = prev.get(e.path)
        if p is not None and p.sha256 and p.size == e.size and p.mtime_ns == e.mtime_ns and not e.error:
            e.sha256 = p.sha256
        else:
            todo.append(e)
    with ThreadPoolExecutor(8) as pool:  # hashing is I/O: threads; slices keep the futures few
        for i in range(0, len(todo), 1024):
            list(pool.map(lambda e: scan.inspect(e, max_size), todo[i : i + 1024]))


def ingest(sources: list[str] | tuple[str, ...], out: str | Path, *, rescan: bool = False,
           drop: list[str] | tuple[str, ...] = (), workers: int | None = None, scheduler: str | None = None,
           reader: str = READER, max_size: int = scan.MAX_SIZE, limits: Limits = DEFAULT_LIMITS, wait: float = 0.0,
           batch_size: int = 32, progress: bool = True, reread: bool = False) -> Summary:
    """Read the source roots ``sources`` into the dataset at ``out``; returns what happened (also in
    ledger.parquet). ``rescan``: every root the dataset remembers too; ``drop``: roots whose files leave
    the dataset; ``reread``: every file of the scanned roots is read again (after a fix to the reader,
    so that reports read before get it too). Waits ``wait`` seconds for another ingest of ``out`` to
    finish, then raises store.Busy. Raises ValueError for a ``drop`` root the dataset does not know,
    or nothing to scan."""
    out = Path(out)
    if not sources and not out.exists():  # --rescan or --drop-source of a dataset that is not there: no folder made
        raise ValueError(f"nothing to scan: {out} is not a dataset (give SRC)")
    with store.lock(out, wait), system_memory():
        store.recover(out)
        return _ingest(list(sources), out, rescan, list(drop), workers, scheduler, reader, max_size, limits,
                       batch_size, progress, reread)


def _ingest(given: list[str], out: Path, rescan: bool, drop: list[str], workers: int | None, scheduler: str | None,
            reader: str, max_size: int, limits: Limits, batch_size: int, progress: bool, reread: bool) -> Summary:
    t0 = time.perf_counter()
    memory = remembered.load(out)
    known = list(memory["roots"])
    dropped = [remembered.root(d) for d in drop]
    for d in dropped:
        if d not in known:
            raise ValueError(f"{scan.shown(d)} is not a source of {out} (see `govstats sources {out}`)")
    roots = [r for r in dict.fromkeys([remembered.root(s) for s in given] + (known if rescan else [])) if r not in dropped]
    if not roots and not dropped:
        raise ValueError(f"nothing to scan: {out} remembers no source (give SRC)" if rescan else "no source given")
    everyone = [*known, *roots]
    base = store.snapshot(out)
    current = _current(base)
    if not current and known:  # an older govstats's dataset: only a full rescan can rebuild it whole
        unscanned = [r for r in known if r not in dropped and (r not in roots or not os.path.isdir(r))]
        if unscanned:
            raise ValueError(f"{out} was written by an older govstats: rebuild it with `govstats ingest --rescan "
                             f"--out {out}` while every source is there ({scan.shown(unscanned[0])} is not scanned)")
    prev = _ledger_rows(store.read(base, "ledger") if current else None)
    if dropped:
        prev = {p: r for p, r in prev.items() if remembered.root_of(p, everyone) not in dropped}
    walked = scan.walk(roots, exclude=out)
    scanned = [r for r in roots if r not in walked.missing]
    unlisted = [p for p, _ in walked.unlisted]

    def covered(path: str) -> bool:
        """Under a root scanned in this run, and not in a folder it could not list."""
        return (remembered.root_of(path, scanned) is not None
                and not any(scan.inside(path, u) for u in unlisted))

    reader_print = fingerprint.reader(reader, max_size, limits, bool(shutil.which("soffice") or shutil.which("libreoffice")))
    places_print = {r: fingerprint.places(walked.catalogs.get(r, [])) for r in scanned}
    changed_reader = memory.get("reader") != reader_print
    _hash(walked.files, prev, max_size)
    by_path = {e.path: e for e in walked.files}
    plan = _plan(walked.files, prev, lambda p: covered(p) or not os.path.lexists(p),
                 lambda p: reread or (p.status not in KEPT and (changed_reader or p.reason.startswith(TRANSIENT))))
    ledger = plan.ledger
    walked.files = []  # by_path has them
    for path, why in walked.skipped:
        ledger[path] = Row(path, "", 0, 0, "skipped", why)
    for path, why in walked.unlisted:
        ledger[path] = Row(path, "", 0, 0, "unlisted", why)
    for path, p in prev.items():
        if path in ledger:
            continue
        if path in plan.moved:
            ledger[path] = p._replace(status="removed", reason=f"moved to {scan.shown(plan.moved[path])}", report_id=None)
        elif not covered(path):
            ledger[path] = p  # its root was not scanned (or its folder could not be listed): as it was
        elif p.status != "unlisted":  # an unlisted folder listed now has no row of its own
            reason = p.reason if p.status == "removed" else "no longer present"
            ledger[path] = p._replace(status="removed", reason=reason, report_id=None)
    forgotten = _moved_roots(ledger, plan.moved, known, roots, everyone)
    summary = Summary(hidden=walked.hidden)
    summary.notes += [f"source {scan.shown(r)} is not there: its files keep their last outcome "
                      f"(--drop-source {scan.shown(r)} forgets it)" for r in walked.missing]
    summary.notes += [f"source {scan.shown(r)} moved: its files are now under another source" for r in forgotten]

    stale = {r for r in scanned if memory["roots"].get(r, {}).get("places") != places_print[r]}
    new = [r for r in scanned if r not in memory["roots"]]
    if new:  # remembered before the tables are committed: a run killed in between leaves no file without its root
        memory["roots"].update({r: {"scanned": "", "places": ""} for r in new})
        remembered.save(out, memory)
    if not plan.to_read and not plan.moved and not dropped and not forgotten and not stale and ledger == prev:
        _count(ledger, prev, summary)  # nothing changed: no places, no checks, nothing written
    else:
        catalogs = scan.Catalogs()
        moved_to = set(plan.moved.values())
        fresh = {own_id(r) for p, r in ledger.items() if r.status in KEPT
                 and (p in moved_to or remembered.root_of(p, stale) is not None)}
        old = {n: store.read(base, n) if current else None for n in SMALL_TABLES}  # read only when needed
        _update(out, base, old, ledger, prev, plan, by_path, fresh, catalogs, everyone, summary,
                workers, scheduler, reader, limits, max_size, batch_size, progress)
        summary.notes += catalogs.notes
    when = remembered.now()
    for r in scanned:
        memory["roots"][r] = {"scanned": when, "places": places_print[r]}
    for r in [*dropped, *forgotten]:
        memory["roots"].pop(r, None)
    memory["reader"] = reader_print
    remembered.save(out, memory)
    summary.seconds = time.perf_counter() - t0
    return summary


def _moved_roots(ledger: dict[str, Row], moved: dict[str, str], known: list[str], roots: list[str],
                 everyone: list[str]) -> list[str]:
    """Remembered roots that are gone and whose reports all moved elsewhere in this run: their other rows
    (rejected files, duplicates) are removed too, and the root is forgotten."""
    out = []
    for r in known:
        if r in roots or os.path.lexists(r) or not any(scan.inside(p, r) for p in moved):
            continue
        rows = [p for p in ledger if scan.inside(p, r) and remembered.root_of(p, everyone) == r]
        if any(ledger[p].status in KEPT for p in rows):
            continue
        for p in rows:
            if ledger[p].status != "removed":
                ledger[p] = ledger[p]._replace(status="removed", reason="no longer present", report_id=None)
        out.append(r)
    return out


def _update(out: Path, base: Path, old: dict, ledger: dict[str, Row], prev: dict[str, Row], plan: Plan,
            by_path: dict[str, scan.Entry], fresh: set[str], catalogs: scan.Catalogs, everyone: list[str],
            summary: Summary, workers: int | None, scheduler: str | None, reader: str, limits: Limits,
            max_size: int, batch_size: int, progress: bool) -> None:
    """Read what is new, choose the canonical reports, derive the tables and commit those that changed."""

    def entry(path: str) -> scan.Entry:
        """The walk's entry of a file, or one made from its ledger row (a file of a root not scanned now)."""
        if path in by_path:
            return by_path[path]
        r = ledger[path]
        root = remembered.root_of(path, everyone) or path
        folder = os.path.relpath(os.path.dirname(path), root) if root != path else "."
        e = scan.Entry(path, root, () if folder == "." else Path(folder).parts, r.size, r.mtime_ns, r.sha256)
        by_path[path] = e
        return e

    def where(path: str) -> tuple[tuple[str, ...], dict]:
        e = entry(path)
        return tuple(scan.readable(f) for f in e.folders), catalogs.row(path, e.root)

    scratch = store.Scratch(out)
    tx = None
    try:
        read = Read(scratch)
        summary.read = _read(plan.to_read, ledger, read, workers, scheduler, reader, limits, max_size, batch_size, progress)
        old_ids = set(old["reports"]["report_id"].to_pylist()) if old["reports"] is not None else set()
        before = _previous(prev)
        while True:  # files whose data is needed but not at hand (a copy that takes over, or to compare) are read
            versions = all_versions(old, ledger, read, fresh, where)
            canon = canonical(versions)
            touched = touched_reports(canon, before, read.ids)
            paths = {own_id(r): p for p, r in ledger.items() if r.status in KEPT}
            needed = set(canon.unique()) | {k for k, c in canon.items() if c in touched} | (set(paths) - set(canon.index))
            missing = sorted(needed - read.ids - old_ids)
            if not missing:
                break
            summary.read += _read([entry(paths[i]) for i in missing], ledger, read, workers, scheduler, reader,
                                  limits, max_size, batch_size, progress)
        scratch.close()
        late_place_findings(versions, canon, where)
        by_path.clear()  # placed: what was known of each file before reading is not needed any more
        plan.to_read.clear()
        catalogs.folders.clear()
        read.reports.clear()
        release()
        paths = dict(zip(versions["report_id"], versions["source_path"], strict=True))
        final = canon[canon.index == canon.to_numpy()].index
        final_ids = pa.array(sorted(final), pa.string())
        _settle(ledger, canon, paths, plan.dup_of)
        _count(ledger, prev, summary)

        from_scratch = set(final) & read.ids
        from_old = pa.array(sorted(set(final) - read.ids), pa.string())
        rewrite = set(final) != old_ids or from_scratch or any(not store.path_of(base, n).exists() for n in DATA_TABLES)
        tx = store.Transaction(out) if rewrite else None
        data = Data(tx)
        if tx is None:
            data.from_disk(base)
        else:
            every_old = set(final) - read.ids == old_ids  # then the old rows are kept without a filter
            for name in READ_TABLES:
                data.stream(name, store.batches(base, name), None if every_old else from_old)
            for name in READ_TABLES:
                data.stream(name, scratch.batches(name),
                            None if from_scratch == read.ids else pa.array(sorted(from_scratch), pa.string()))
            data.close()

        copy_findings = disagreeing_copies(canon, touched, paths, old, base, scratch, read.ids)
        kept = keep(old["findings"], from_old)
        if kept is not None:  # derived findings are made again below
            kept = kept.filter(pc.invert(pc.is_in(kept["check"], value_set=pa.array(sorted(DERIVED_CHECKS)))))
        reading = [kept, keep(concat(WORKER_SCHEMAS["findings"], read.findings), final_ids)]
        checks_input = data.checks_input()
        release()
        tables = finish(versions, canon, reading, copy_findings, *checks_input)
        tables["ledger"] = _ledger_table(ledger)
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


def _settle(ledger: dict[str, Row], canon: pd.Series, paths: dict[str, str], dup_of: dict[str, str]) -> None:
    """Final ledger rows of the files with a report (parsed or copy, by the canonical choice) and duplicates."""
    for path, row in list(ledger.items()):
        if row.status in KEPT:
            c = canon[own_id(row)]
            note = OCR_NOTE if row.reason == OCR_NOTE else ""  # a parsed file's only note: how it was read
            ledger[path] = (row._replace(status="parsed", reason=note, report_id=c) if c == own_id(row)
                            else row._replace(status="copy", reason=f"same report as {paths[c]}", report_id=c))
    for path, first in dup_of.items():
        ledger[path] = ledger[path]._replace(report_id=ledger[first].report_id)


def _count(ledger: dict[str, Row], prev: dict[str, Row], summary: Summary) -> None:
    for path, row in ledger.items():
        summary.counts["unchanged" if prev.get(path) == row else row.status] += 1
        if row.status in ("rejected", "unlisted"):
            summary.rejected_total += 1
            if prev.get(path) != row:
                summary.rejected.append((scan.shown(path), row.reason))


def _read(to_read: list[scan.Entry], ledger: dict[str, Row], read: Read, workers: int | None, scheduler: str | None,
          reader: str, limits: Limits, max_size: int, batch_size: int, progress: bool) -> int:
    """Read the files in parallel; what they give goes to ``read`` as batches arrive. Returns how many."""
    from tqdm import tqdm

    if not to_read:
        return 0
    bar = tqdm(total=len(to_read), unit="file", desc="reading", disable=not progress, smoothing=0.1,
               mininterval=0.5 if sys.stderr.isatty() else 30)  # a log file gets a line every 30 s
    failures = sum(1 for r in ledger.values() if r.status == "rejected")
    entries = {scan.shown(e.path): e for e in to_read}
    done = 0

    def unreadable(e: scan.Entry, reason: str) -> None:
        nonlocal failures
        ledger[e.path] = _entry_row(e, "rejected", reason)
        failures += 1
        bar.update(1)

    with executor(workers, scheduler, reader, limits) as run:
        for batch in run(_batches(to_read, batch_size, max_size, unreadable)):
            for o in batch.outcomes:
                e = entries[o.path]
                ledger[e.path] = _entry_row(e, "parsed" if o.report_id else "rejected", o.reason, o.report_id)
                failures += o.report_id is None
            done += len(batch.outcomes)
            read.add_batch(batch.tables)
            bar.set_postfix(failures=failures, refresh=False)
            bar.update(len(batch.outcomes))
    bar.close()
    release()
    return done
