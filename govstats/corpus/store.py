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
COMMIT = "COMMIT"


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


def write(out: Path, tables: dict[str, pa.Table]) -> None:
    """Replace the Parquet files named by ``tables`` in ``out`` atomically as a set."""
    if not tables:
        return
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = out / STAGING
    staging.mkdir()
    for name, table in tables.items():
        pq.write_table(table, staging / f"{name}.parquet", compression="zstd")
        _fsync(staging / f"{name}.parquet")
    tmp = staging / f"{COMMIT}.tmp"
    tmp.write_text(json.dumps(sorted(tables)), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, staging / COMMIT)
    recover(out)


def read(out: Path, name: str) -> pa.Table | None:
    p = path_of(out, name)
    return pq.read_table(p) if p.exists() else None
