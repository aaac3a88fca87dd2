"""Finding the input files and what is known about each before reading: size, hash, catalog row."""

from __future__ import annotations

import csv
import hashlib
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from govstats.reading.report import MAX_SIZE

CATALOG = "catalog.csv"
PLACE_KEYS = ("province", "city", "county", "level", "scope")
# Files beside a corpus that describe it (the generator's manifest, a folder's README): not inputs.
SIDECARS = frozenset({CATALOG, "manifest.csv", "manifest.json", "README.md"})


@dataclass(slots=True)
class Entry:
    path: str
    folders: tuple[str, ...]  # folders between the source root and the file
    size: int = 0
    sha256: str = ""
    error: str = ""  # why the file was rejected before reading
    catalog: dict = field(default_factory=dict)


@dataclass
class Walk:
    files: list[tuple[str, tuple[str, ...]]]  # path, folders below the source root; sorted
    hidden: int = 0  # dot-files and dot-folders (each folder counted once, not entered): skipped, but counted


def walk(sources: list[str], exclude: str | os.PathLike | None = None) -> Walk:
    """Every file under ``sources`` (sidecars, dot-files and the ``exclude`` folder excepted).

    ``exclude`` is the dataset being written: inside a source folder it must not be read back."""
    skip = os.path.realpath(exclude) if exclude is not None else None
    found: dict[str, tuple[str, ...]] = {}
    hidden = 0
    for src in sources:
        root = os.path.normpath(src)
        if not os.path.isdir(root):
            found[root] = ()
            continue
        if os.path.realpath(root) == skip:
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            hidden += sum(d.startswith(".") for d in dirnames) + sum(n.startswith(".") for n in filenames)
            dirnames[:] = sorted(d for d in dirnames
                                 if not d.startswith(".") and os.path.realpath(os.path.join(dirpath, d)) != skip)
            rel = Path(os.path.relpath(dirpath, root)).parts
            folders = () if rel == (".",) else tuple(rel)
            for name in filenames:
                if name not in SIDECARS and not name.startswith("."):
                    found[os.path.join(dirpath, name)] = folders
    return Walk(sorted(found.items()), hidden)


def load_catalogs(sources: list[str]) -> dict[str, dict]:
    """``catalog.csv`` rows by the normalised path of the file they describe."""
    rows: dict[str, dict] = {}
    for src in sources:
        for dirpath, _, filenames in os.walk(os.path.normpath(src)):
            if CATALOG not in filenames:
                continue
            try:
                with open(os.path.join(dirpath, CATALOG), encoding="utf-8-sig", newline="") as f:
                    for row in csv.DictReader(f):
                        rel = row.get("path") or row.get("file") or ""
                        if rel:  # only what places need, interned: a national catalog has a million rows
                            kept = {k: sys.intern(row[k]) for k in PLACE_KEYS if row.get(k)}
                            rows[os.path.normpath(os.path.join(dirpath, rel))] = kept
            except (OSError, UnicodeDecodeError, csv.Error):
                continue
    return rows


def inspect(path: str, folders: tuple[str, ...], max_size: int = MAX_SIZE) -> Entry:
    """Stat and hash one file; every way it can fail becomes ``error``, never an exception."""
    e = Entry(path, folders)
    try:
        st = os.stat(path)
    except OSError as err:
        e.error = f"cannot open: {err.strerror or err}"
        return e
    e.size = st.st_size
    if not stat.S_ISREG(st.st_mode):
        e.error = "not a regular file"
        return e
    if st.st_size == 0:
        e.error = "empty file"
        return e
    try:
        with open(path, "rb") as f:
            e.sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as err:
        e.error = f"cannot open: {err.strerror or err}"
        return e
    if st.st_size > max_size:
        e.error = f"too large: {st.st_size / 2**20:.1f} MiB over the {max_size / 2**20:.0f} MiB cap (--max-size)"
    return e


def read(path: str) -> bytes | str:
    """The file's bytes, or the one-line reason they cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        return f"cannot open: {err.strerror or err}"
