"""Finding the input files under the source roots, and what is known of each before reading it.

The walk opens nothing but folders. Regular files are the inputs; named pipes, devices and sockets are
listed as skipped and never opened (a pipe named catalog.csv would block the run), and so are symbolic
links that lead out of the source root (a link to /etc/passwd is not read). Links that stay inside the
root are followed; one that leads back into its own path is listed as a loop. A folder that cannot be
listed is reported, so that its files keep their last outcome instead of looking deleted. File names
that are not UTF-8 are kept as Python keeps them (surrogate escapes, so the file can be opened again)
and shown with \\xNN escapes (`shown`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
from dataclasses import dataclass, field

from govstats.reading.report import MAX_SIZE

CATALOG = "catalog.csv"
CATALOG_MAX_SIZE = 1024 * 1024 * 1024  # a national catalog (a million rows) is ~150 MB; more is not a catalog
# What a catalog row may say of a file: its place, and when it was published (for timeliness).
CATALOG_KEYS = ("province", "city", "county", "level", "scope", "published")
# Files beside a corpus that describe it (the generator's manifest, a folder's README): not inputs.
SIDECARS = frozenset({CATALOG, "manifest.csv", "manifest.json", "README.md"})
KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket"}


def shown(path: str) -> str:
    """The path as text that can be printed and stored: bytes that are not UTF-8 as \\xNN."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def readable(name: str) -> str:
    """A folder name for placing: one that is not UTF-8 is most likely GBK (an archive made on Chinese Windows)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape").decode("gb18030")
        except UnicodeDecodeError:
            return shown(name)


def reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


@dataclass(slots=True)
class Entry:
    path: str  # as the file system gives it (surrogate escapes for names that are not UTF-8)
    root: str  # the source root it was found under
    folders: tuple[str, ...]  # folders between the root and the file
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    error: str = ""  # why the file is rejected before reading


@dataclass
class Walk:
    files: list[Entry] = field(default_factory=list)  # regular files (and files that cannot be opened), by path
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, why it is not an input
    unlisted: list[tuple[str, str]] = field(default_factory=list)  # folders that could not be listed, why
    missing: list[str] = field(default_factory=list)  # roots that are not there
    catalogs: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # root -> catalog.csv files
    hidden: int = 0  # dot-files and dot-folders (each folder counted once, not entered): skipped, but counted


def inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk(roots: list[str], exclude: str | os.PathLike | None = None) -> Walk:
    """Every file under ``roots`` (absolute paths), sidecars, dot-names and the ``exclude`` folder excepted.

    ``exclude`` is the dataset being written: inside a source folder it must not be read back. A path
    under two roots belongs to the longer one."""
    w = Walk()
    skip = os.path.realpath(exclude) if exclude is not None else None
    found: dict[str, Entry] = {}
    for root in sorted(roots, key=len):
        for e in _walk_root(root, skip, w):
            found[e.path] = e
    w.files = sorted(found.values(), key=lambda e: e.path)
    return w


def _walk_root(root: str, skip: str | None, w: Walk):
    try:
        st = os.stat(root)
    except FileNotFoundError:
        w.missing.append(root)
        return
    except OSError as err:
        w.unlisted.append((root, f"cannot list the folder: {reason(err)}"))
        return
    if not stat.S_ISDIR(st.st_mode):
        yield from _file(root, root, (), st, w)
        return
    real_root = os.path.realpath(root)
    stack = [(root, (), (real_root,))]  # folder, folders below the root, real paths from the root down
    while stack:
        folder, folders, chain = stack.pop()
        if chain[-1] == skip:
            continue
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda d: d.name)
        except OSError as err:
            w.unlisted.append((folder, f"cannot list the folder: {reason(err)}; its files keep their last outcome"))
            continue
        below = []
        for item in items:
            if item.name.startswith("."):
                w.hidden += 1
                continue
            real = os.path.join(chain[-1], item.name)
            try:
                if item.is_symlink():
                    real = os.path.realpath(item.path)
                    if not inside(real, real_root):
                        w.skipped.append((item.path, f"a symbolic link out of the source folder (to {shown(real)})"))
                        continue
                    st = os.stat(item.path)
                else:
                    st = item.stat(follow_symlinks=False)
            except OSError as err:
                yield Entry(item.path, root, folders, error=f"cannot open: {reason(err)}")
                continue
            if stat.S_ISDIR(st.st_mode):
                if real in chain:
                    w.skipped.append((item.path, f"a symbolic link loop (back to {shown(real)})"))
                else:
                    below.append((item.path, (*folders, item.name), (*chain, real)))
            elif item.name in SIDECARS and stat.S_ISREG(st.st_mode):
                if item.name == CATALOG:
                    w.catalogs.setdefault(root, []).append((item.path, st.st_size, st.st_mtime_ns))
            else:
                yield from _file(item.path, root, folders, st, w)
        stack.extend(reversed(below))


def _file(path: str, root: str, folders: tuple[str, ...], st: os.stat_result, w: Walk):
    if stat.S_ISREG(st.st_mode):
        yield Entry(path, root, folders, st.st_size, st.st_mtime_ns)
    else:
        w.skipped.append((path, f"not a regular file: {KINDS.get(stat.S_IFMT(st.st_mode), 'not a file')}"))


def _open(path: str) -> int:
    """A descriptor of a regular file; never blocks (a file replaced by a pipe since the walk is refused)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(0, "not a regular file")
    return fd


def read(path: str, max_size: int = MAX_SIZE) -> bytes | str:
    """The file's bytes, or the one-line reason they cannot be read. At most ``max_size`` bytes are
    read: a file that grew past the cap since it was measured is refused, not read whole."""
    try:
        with os.fdopen(_open(path), "rb") as f:
            data = f.read(max_size + 1)
    except OSError as err:
        return f"cannot open: {reason(err)}"
    if len(data) > max_size:
        return f"too large: grew past the {max_size / 2**20:.0f} MiB cap (--max-size) while being read"
    return data


def inspect(e: Entry, max_size: int = MAX_SIZE) -> Entry:
    """Hash one file; every way it can fail becomes ``error``, never an exception."""
    if e.error:
        return e
    if e.size == 0:
        e.error = "empty file"
    elif e.size > max_size:
        e.error = f"too large: {e.size / 2**20:.1f} MiB over the {max_size / 2**20:.0f} MiB cap (--max-size)"
    else:
        try:
            with os.fdopen(_open(e.path), "rb") as f:
                e.sha256 = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as err:
            e.error = f"cannot open: {reason(err)}"
    return e


class Catalogs:
    """``catalog.csv`` rows for the files that need a place, each catalog read once, when first needed.

    A file's row is in the nearest catalog above it (within its root) that names it; the catalog's
    ``path`` (or ``file``) column is relative to its folder. A catalog in GB18030 (GBK) is read as
    such; one in neither encoding is skipped. Either way ``notes`` says so."""

    def __init__(self) -> None:
        self.folders: dict[str, dict[str, tuple[str, ...]]] = {}
        self.shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # rows of one place are one tuple
        self.notes: list[str] = []

    def row(self, path: str, root: str) -> dict:
        folder = os.path.dirname(path)
        while inside(folder, root):
            found = self._load(folder).get(path)
            if found is not None:
                return {k: v for k, v in zip(CATALOG_KEYS, found, strict=True) if v}
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        return {}

    def _load(self, folder: str) -> dict[str, tuple[str, ...]]:
        if folder in self.folders:
            return self.folders[folder]
        rows: dict[str, tuple[str, ...]] = {}
        self.folders[folder] = rows
        path = os.path.join(folder, CATALOG)
        data = read(path, CATALOG_MAX_SIZE) if os.path.lexists(path) else b""
        if isinstance(data, str):
            self.notes.append(f"{shown(path)}: {data}; not read")
            return rows
        if not data:
            return rows
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
                self.notes.append(f"{shown(path)}: not UTF-8; read as GB18030 (GBK)")
            except UnicodeDecodeError:
                self.notes.append(f"{shown(path)}: neither UTF-8 nor GB18030; not read")
                return rows
        try:
            for r in csv.DictReader(io.StringIO(text, newline="")):
                rel = r.get("path") or r.get("file") or ""
                if rel:  # only what places need, shared: a national catalog has a million rows
                    place = tuple(r.get(k) or "" for k in CATALOG_KEYS)
                    rows[os.path.normpath(os.path.join(folder, rel))] = self.shared.setdefault(place, place)
        except csv.Error as err:
            self.notes.append(f"{shown(path)}: not read: {err}")
        return rows
