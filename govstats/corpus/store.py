"""The dataset folder: committed versions of the tables, one writer at a time, readers that never write.

Inside the dataset folder ``DIR``::

    .versions/000007/*.parquet  a committed version: every table (the tables a commit did not change are
                                hard links to the previous version's files: a version costs what changed)
    CURRENT                     the name of the current version, replaced atomically: the commit point
    *.parquet                   hard links to the current version's files, for other tools
    .lock                       held by the one process that writes (`lock`)
    .scratch/                   the writer's tables in flight (`Scratch`)

A reader resolves CURRENT once (`snapshot`) and reads every table from that version, so it always sees
one complete committed version, even while an ingest commits the next one; it never deletes or repairs
anything. A kill before CURRENT is replaced leaves the previous version current; the next writer
(under the lock) clears what the killed one left (`recover`) and removes the versions superseded more
than ``KEEP_SECONDS`` ago, so that a reader that loaded one a moment before can still read it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

VERSIONS = ".versions"
CURRENT = "CURRENT"
LOCK = ".lock"
STAGING = ".staging"
SCRATCH = ".scratch"
COMPRESSION = "zstd"
ROW_GROUP = 1 << 18  # rows buffered per streamed row group: large enough to read fast, small in memory
# ... or fewer once they hold this many bytes: five tables are buffered at a time, and a row group of
# wide rows (signatures) is tens of MB. The scratch is only read back batch by batch: smaller still.
ROW_GROUP_BYTES = 32 << 20
SCRATCH_GROUP_BYTES = 8 << 20
KEEP_SECONDS = 3600  # a superseded version stays this long for readers that loaded it before


class Busy(Exception):
    """Another process holds the dataset's writer lock."""


@contextmanager
def lock(out: Path, wait: float = 0.0) -> Iterator[None]:
    """The dataset's writer lock (``DIR/.lock``), held while the block runs; waits up to ``wait`` seconds,
    then raises `Busy`. The lock is the operating system's: it ends with the process, even on kill -9."""
    from filelock import FileLock, Timeout

    out.mkdir(parents=True, exist_ok=True)
    held = FileLock(out / LOCK)
    try:
        held.acquire(timeout=max(wait, 0.0))
    except Timeout:
        raise Busy(f"{out} is busy: another ingest is writing it") from None
    try:
        yield
    finally:
        held.release()


def path_of(folder: Path, name: str) -> Path:
    return folder / f"{name}.parquet"


def snapshot(out: Path) -> Path:
    """The folder holding the current version's tables: what a reader reads, all from the same version.
    A dataset written before versions existed is its own folder."""
    try:
        name = (out / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return out
    folder = out / VERSIONS / name
    if not folder.is_dir():
        raise FileNotFoundError(f"{out}: version {name} named by {CURRENT} is missing")
    return folder


def _versions(out: Path) -> list[str]:
    folder = out / VERSIONS
    return sorted(p.name for p in folder.iterdir() if p.name.isdigit()) if folder.is_dir() else []


def _link(src: Path, dst: Path) -> None:
    """``dst`` becomes the same file as ``src``: a hard link, or a copy where the file system has none."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _publish(out: Path, folder: Path) -> None:
    """The plain ``DIR/*.parquet`` files become the version's (each replaced atomically)."""
    for src in folder.glob("*.parquet"):
        dst = out / src.name
        if not (dst.exists() and os.path.samestat(dst.stat(), src.stat())):
            tmp = out / f".{src.name}.tmp"
            tmp.unlink(missing_ok=True)
            _link(src, tmp)
            os.replace(tmp, dst)


def recover(out: Path) -> None:
    """For the writer, under the lock: clear what a killed writer left, publish the current version's
    plain files, remove versions no reader needs any more."""
    for leftover in (out / VERSIONS / STAGING, out / STAGING, out / SCRATCH):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        current = (out / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return
    _publish(out, out / VERSIONS / current)
    names = _versions(out)
    now = time.time()
    for older, newer in zip(names, names[1:], strict=False):
        if older < current and now - (out / VERSIONS / newer).stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(out / VERSIONS / older, ignore_errors=True)
    for name in names:
        if name > current:  # written by a writer killed before its commit point
            shutil.rmtree(out / VERSIONS / name, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Appender:
    """Parquet files written in pieces (whole tables or batch by batch), buffered into large row groups."""

    group_bytes = ROW_GROUP_BYTES

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.pending: dict[str, list[pa.Table]] = {}
        self.pending_rows: dict[str, int] = {}
        self.pending_bytes: dict[str, int] = {}
        self.names: set[str] = set()

    def append(self, name: str, table: pa.Table) -> None:
        """Add rows to a file written in pieces (the large tables, so that memory stays flat)."""
        if name not in self.writers:
            self.writers[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", table.schema, compression=COMPRESSION)
            self.names.add(name)
        self.pending.setdefault(name, []).append(table)
        self.pending_rows[name] = self.pending_rows.get(name, 0) + table.num_rows
        self.pending_bytes[name] = self.pending_bytes.get(name, 0) + table.nbytes
        if self.pending_rows[name] >= ROW_GROUP or self.pending_bytes[name] >= self.group_bytes:
            self._flush(name)

    def _flush(self, name: str) -> None:
        parts = self.pending.pop(name, [])
        self.pending_rows[name] = self.pending_bytes[name] = 0
        if parts:
            self.writers[name].write_table(pa.concat_tables(parts), row_group_size=ROW_GROUP)

    def close(self, flush: bool = True) -> None:
        for name, w in self.writers.items():
            if flush:
                self._flush(name)
            w.close()
        self.writers = {}


class Transaction(_Appender):
    """The next version: tables staged one by one (whole, or streamed batch by batch), the others carried
    over from the current version, then committed together. Only the lock holder makes one."""

    def __init__(self, out: Path) -> None:
        staging = out / VERSIONS / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        super().__init__(staging)
        self.out = out
        self.base = snapshot(out)

    def put(self, name: str, table: pa.Table) -> None:
        pq.write_table(table, self.folder / f"{name}.parquet", compression=COMPRESSION)
        self.names.add(name)

    def commit(self) -> None:
        self.close()
        for name in self.names:
            _fsync(self.folder / f"{name}.parquet")
        for src in self.base.glob("*.parquet"):
            if src.stem not in self.names:
                _link(src, self.folder / src.name)
        _fsync(self.folder)
        names = _versions(self.out)
        name = f"{int(names[-1]) + 1 if names else 1:06d}"
        os.replace(self.folder, self.out / VERSIONS / name)
        _fsync(self.out / VERSIONS)
        tmp = self.out / f"{CURRENT}.tmp"
        tmp.write_text(name + "\n", encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, self.out / CURRENT)  # the commit point
        _fsync(self.out)
        recover(self.out)

    def abort(self) -> None:
        self.close(flush=False)
        shutil.rmtree(self.folder, ignore_errors=True)


class Scratch(_Appender):
    """The large tables of the files read in this run, kept on disk until it is known which reports
    they go to (a file may turn out to be a copy of another's report); removed when the run ends.

    Never part of the dataset: a run that is killed leaves it behind and the next writer clears it."""

    group_bytes = SCRATCH_GROUP_BYTES

    def __init__(self, out: Path) -> None:
        super().__init__(out / SCRATCH)

    def append(self, name: str, table: pa.Table) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)  # only when something is read: a run may write nothing
        super().append(name, table)

    def batches(self, name: str):
        """The record batches of one table (after `close`), for streaming."""
        return batches(self.folder, name)

    def read(self, name: str, **kwargs) -> pa.Table | None:
        return read(self.folder, name, **kwargs)

    def remove(self) -> None:
        self.close(flush=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def write(out: Path, tables: dict[str, pa.Table]) -> None:
    """Commit ``tables`` as the next version of ``out`` (the other tables carried over), under the lock."""
    with lock(out):
        recover(out)
        tx = Transaction(out)
        for name, table in tables.items():
            tx.put(name, table)
        tx.commit()


def read(folder: Path, name: str, **kwargs) -> pa.Table | None:
    """One table of a snapshot folder (`snapshot`), or None when it has none."""
    p = path_of(folder, name)
    return pq.read_table(p, **kwargs) if p.exists() else None


def batches(folder: Path, name: str):
    """The record batches of one table of a snapshot folder, for streaming a large table without loading it."""
    p = path_of(folder, name)
    if p.exists():
        yield from pq.ParquetFile(p).iter_batches(batch_size=65536)


def read_json(path: Path) -> dict:
    """A small JSON file of the dataset folder; empty when absent."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def write_json(path: Path, data: dict) -> None:
    """Replace a small JSON file atomically (the writer's, under the lock)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, path)
