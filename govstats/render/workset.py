"""The render run's working copy of a dataset: each table with its reports' place and year, sorted by
them, in small row groups, so that a county notebook's filtered load reads only its own row groups
(DuckDB prunes the others by their min/max statistics) and costs the same on any corpus size.

Written once per dataset version (the key is the files' names, sizes and modification times), by
DuckDB straight from the Parquet files, into a staging folder moved into place when complete.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from pathlib import Path

from govstats.corpus import store

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings", "quality")
REVIEWS = "reviews.csv"  # decisions on flags (govstats.corpus.reviews): dismissed flags leave the pages
PLACE = ("province", "city", "county", "year")
WORK = ".work"
ROW_GROUP = 8192  # a county's rows of one table span one or two row groups


def key(data: Path) -> str:
    """Changes whenever a table file of the dataset's current version, or its reviews, change."""
    h = hashlib.sha256()
    version = store.snapshot(data)
    for name in TABLES:
        st = store.path_of(version, name).stat()
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino};".encode())
    if (data / REVIEWS).exists():
        st = (data / REVIEWS).stat()
        h.update(f"{REVIEWS}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def _quote(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def prepare(data: Path, out: Path) -> Path:
    """``out/.work/<key>/``, built if needed; older working copies are removed."""
    import duckdb

    work = out / WORK
    folder = work / key(data)
    if (folder / "reports.parquet").exists() and all((folder / f"{t}.parquet").exists() for t in TABLES):
        return folder
    staging = work / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    order = ", ".join(PLACE)
    version = store.snapshot(data)  # one committed version, whatever an ingest does meanwhile
    try:
        if (data / REVIEWS).exists():
            shutil.copy2(data / REVIEWS, staging / REVIEWS)
        con = duckdb.connect()
        try:
            con.execute(f"create view r as select * from read_parquet({_quote(store.path_of(version, 'reports'))})")
            for name in TABLES:
                if name == "reports":
                    query = f"select * from r order by {order}, report_id"
                else:
                    src = _quote(store.path_of(version, name))
                    query = (f"select t.*, {', '.join(f'r.{c}' for c in PLACE)} from read_parquet({src}) t "
                             f"join r using (report_id) order by {', '.join(f'r.{c}' for c in PLACE)}, t.report_id")
                try:
                    con.execute(f"copy ({query}) to {_quote(staging / f'{name}.parquet')} "
                                f"(format parquet, compression zstd, row_group_size {ROW_GROUP})")
                except duckdb.IOException as e:  # a full disk, as the OSError it is
                    code = re.search(r'"errno":"(\d+)"', str(e))
                    number = int(code.group(1)) if code else errno.EIO
                    raise OSError(number, os.strerror(number), str(staging / f"{name}.parquet")) from None
        finally:
            con.close()
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for old in work.iterdir():
        if old != folder and not old.name.startswith(".staging-"):
            shutil.rmtree(old, ignore_errors=True)
    return folder
