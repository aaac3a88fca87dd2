"""Names of places become path segments safely: no traversal, no separators, no odd characters."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_UNSAFE = re.compile(r"[^\w\-]+")  # \w keeps CJK and letters/digits of every script


def safe_name(name: object) -> str:
    """One path segment for a place name: NFKC, anything but word characters and '-' becomes '_'."""
    text = unicodedata.normalize("NFKC", str(name)).strip()
    text = _UNSAFE.sub("_", text).strip("_.")
    return text[:80] or "unknown"


def report_stem(out: Path, province: str, city: str, county: str, year: int) -> Path:
    """``out/<省>/<市>/<县>/<year>`` (no suffix), guaranteed to stay inside ``out``."""
    stem = out.joinpath(safe_name(province), safe_name(city), safe_name(county), str(int(year)))
    if not stem.resolve().is_relative_to(out.resolve()):
        raise ValueError(f"refusing to write outside {out}: {stem}")
    return stem
