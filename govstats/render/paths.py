"""Names of places become path segments safely, and distinct places never share a file.

A segment keeps a name as it is when it is already safe; a name that had to change (``a/b``, ``a b``,
odd characters, more than 80 characters) gets a short hash of the original name, so that ``a/b``,
``a_b`` and ``a b`` land in three folders. The assignment depends on nothing but the names (the same
place gets the same path in every run, whatever else is rendered), and any remaining clash (two names
that differ only in case, on a case-insensitive disk) is resolved in sorted order and reported.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_UNSAFE = re.compile(r"[^\w\-]+")  # \w keeps CJK and letters/digits of every script
MAX_LEN = 80
FAILED_SUFFIX = ".failed.ipynb"  # a county's failed run, kept beside its last good page to look at
_HASH_LEN = 8


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LEN]


def safe_name(name: object) -> str:
    """One path segment for a place name: NFKC, anything but word characters and '-' becomes '_';
    a name that had to change ends in '_' and a hash of the original, so no two names share a segment."""
    raw = str(name)
    text = _UNSAFE.sub("_", unicodedata.normalize("NFKC", raw).strip()).strip("_.")
    if text == raw and len(text) <= MAX_LEN:
        return text
    return f"{text[:MAX_LEN - _HASH_LEN - 1] or 'unknown'}_{_digest(raw)}"


def place_segments(province: str, city: str, county: str) -> tuple[str, str, str]:
    return safe_name(province), safe_name(city), safe_name(county)


def assign(places: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """Place -> its folder segments, distinct for distinct places even on a case-insensitive disk.

    A clash left after ``safe_name`` (names equal but for case) is resolved in sorted order: the first
    place keeps its segments, the next ones get their own hash on the county segment.
    """
    out: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    taken: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for place in sorted(set(places)):
        segments = place_segments(*place)
        key = tuple(s.casefold() for s in segments)
        if key in taken and taken[key] != place:
            segments = (*segments[:2], f"{segments[2][:MAX_LEN - _HASH_LEN - 1]}_{_digest('/'.join(place))}")
            key = tuple(s.casefold() for s in segments)
        taken[key] = place
        out[place] = segments
    return out


def adjusted(place: tuple[str, str, str], segments: tuple[str, str, str]) -> bool:
    """True when the folder of ``place`` is not its names as they are (shown in the index)."""
    return tuple(place) != tuple(segments)


def report_stem(out: Path, segments: tuple[str, str, str], year: int) -> Path:
    """``out/<省>/<市>/<县>/<year>`` (no suffix), guaranteed to stay inside ``out``."""
    stem = out.joinpath(*segments, str(int(year)))
    if not stem.resolve().is_relative_to(out.resolve()):
        raise ValueError(f"refusing to write outside {out}: {stem}")
    return stem
