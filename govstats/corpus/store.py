"""Atomic writes of a set of Parquet files: all of them replace the previous ones, or none do.

New files are written into ``DIR/.staging``; a COMMIT file listing them is written last; then each
is moved over the old one with os.replace. A kill before COMMIT leaves the previous dataset; a kill
after it is finished by the next `recover` (ingest and load both call it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

STAGING = ".staging"
SCRATCH = ".scratch"
COMMIT = "COMMIT"
COMPRESSION = "zstd"
ROW_GROUP = 1 << 18  # rows buffered per streamed row group: large enough to read fast, small in memory


def path_of(out: Path, name: str) -> Path:
    return out / f"{name}.parquet"


def recover(out: Path) -> None:
    """Finish a committed write or drop an unfinished one."""
    staging = out / STAGING
    if not staging.is_dir():
        return
    commit = staging / COMMIT
    if commit.exists():
        for name in json.loads(commit.read_text(encoding="utf-8")):
            src = staging / f"{name}.parquet"
            if src.exists():
                os.replace(src, path_of(out, name))
    shutil.rmtree(staging, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Appender:
    """Parquet files written in pieces (whole tables or batch by batch), buffered into large row groups."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.pending: dict[str, list[pa.Table]] = {}
        self.pending_rows: dict[str, int] = {}
        self.names: set[str] = set()

    def append(self, name: str, table: pa.Table) -> None:
        """Add rows to a file written in pieces (the large tables, so that memory stays flat)."""
        if name not in self.writers:
            self.writers[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", table.schema, compression=COMPRESSION)
            self.names.add(name)
        self.pending.setdefault(name, []).append(table)
        self.pending_rows[name] = self.pending_rows.get(name, 0) + table.num_rows
        if self.pending_rows[name] >= ROW_GROUP:
            self._flush(name)

    def _flush(self, name: str) -> None:
        parts = self.pending.pop(name, [])
        self.pending_rows[name] = 0
        if parts:
            self.writers[name].write_table(pa.concat_tables(parts), row_group_size=ROW_GROUP)

    def close(self, flush: bool = True) -> None:
        for name, w in self.writers.items():
            if flush:
                self._flush(name)
            w.close()
        self.writers = {}


class Transaction(_Appender):
    """Files staged one by one (whole tables, or streamed batch by batch), then committed together."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        recover(out)
        super().__init__(out / STAGING)
        self.out = out
        self.staging = self.folder
        self.staging.mkdir()

    def put(self, name: str, table: pa.Table) -> None:
        pq.write_table(table, self.staging / f"{name}.parquet", compression=COMPRESSION)
        self.names.add(name)

    def commit(self) -> None:
        self.close()
        for name in self.names:
            _fsync(self.staging / f"{name}.parquet")
        tmp = self.staging / f"{COMMIT}.tmp"
        tmp.write_text(json.dumps(sorted(self.names)), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, self.staging / COMMIT)
        recover(self.out)

    def abort(self) -> None:
        self.close(flush=False)
        shutil.rmtree(self.staging, ignore_errors=True)


class Scratch(_Appender):
    """The large tables of the files read in this run, kept on disk until it is known which reports
    they go to (a file may turn out to be a copy of another's report); removed when the run ends.

    Never part of the dataset: a run that is killed leaves it behind and the next one clears it."""

    def __init__(self, out: Path) -> None:
        super().__init__(out / SCRATCH)
        shutil.rmtree(self.folder, ignore_errors=True)  # left by a killed run

    def append(self, name: str, table: pa.Table) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)  # only when something is read: a run may write nothing
        super().append(name, table)

    def batches(self, name: str):
        """The record batches of one table (after `close`), for streaming."""
        p = self.folder / f"{name}.parquet"
        if p.exists():
            yield from pq.ParquetFile(p).iter_batches(batch_size=65536)

    def read(self, name: str, **kwargs) -> pa.Table | None:
        p = self.folder / f"{name}.parquet"
        return pq.read_table(p, **kwargs) if p.exists() else None

    def remove(self) -> None:
        self.close(flush=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def write(out: Path, tables: dict[str, pa.Table]) -> None:
    """Replace the Parquet files named by ``tables`` in ``out`` atomically as a set."""
    if not tables:
        return
    tx = Transaction(out)
    for name, table in tables.items():
        tx.put(name, table)
    tx.commit()


def read(out: Path, name: str, **kwargs) -> pa.Table | None:
    p = path_of(out, name)
    return pq.read_table(p, **kwargs) if p.exists() else None


def batches(out: Path, name: str):
    """The record batches of one file, for streaming a large table without loading it."""
    p = path_of(out, name)
    if p.exists():
        yield from pq.ParquetFile(p).iter_batches(batch_size=65536)
