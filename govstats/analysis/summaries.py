"""Summaries that county pages compare with: every metric per county and year, and the same rolled up
to each city, province and the whole corpus (rates pooled again from the summed counts).

``govstats render`` builds them once per run (``build`` over the corpus one province at a time, so
memory stays that of one province) and writes them beside the pages; a county notebook then reads the
rows of its own county, city and province (``compare``), a few hundred rows whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from govstats.analysis import metrics

PLACE = ("province", "city", "county")
LEVELS = ("county", "city", "province", "national")
# name -> (metric function, its category column or None): each is computed by county and year.
SUMMARIES: dict[str, tuple[Callable[..., pd.DataFrame], str | None]] = {
    "volumes": (metrics.volumes, None),
    "rates": (metrics.disclosure_rates, None),
    "review": (metrics.review_litigation_rates, None),
    "correction": (metrics.correction_rates, "row"),
    "outcomes": (metrics.outcomes, "outcome"),
    "applicants": (metrics.applicant_mix, "applicant"),
}


def _levels(frame: pd.DataFrame, category: str | None) -> pd.DataFrame:
    """County rows, then the city, province and national rollups; ``level`` says which, place columns
    above the level are "" (a province row has city "" and county "")."""
    parts = [frame.assign(level="county")]
    for level, keys in (("city", ["province", "city"]), ("province", ["province"]), ("national", [])):
        rolled = metrics.rollup(frame, [*keys, "year"], category)
        for col in PLACE:
            if col not in keys:
                rolled[col] = ""
        parts.append(rolled.assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    out[list(PLACE)] = out[list(PLACE)].astype(str)
    first = ["level", *PLACE, "year", *([category] if category else [])]
    return out[first + [c for c in out.columns if c not in first]]


def build(corpora: Iterable[Any]) -> dict[str, pd.DataFrame]:
    """Every summary over ``corpora`` (the corpus in parts, such as one province each)."""
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in SUMMARIES}
    for corpus in corpora:
        for name, (function, _) in SUMMARIES.items():
            frame = function(corpus, by=["county", "year"])
            parts[name].append(frame.drop(columns=[c for c in frame.columns if c.endswith(("_rate", "share"))
                                                   or c.startswith("rate_")]))
    out = {}
    for name, (_, category) in SUMMARIES.items():
        county = pd.concat(parts[name], ignore_index=True)
        county[list(PLACE)] = county[list(PLACE)].astype(str)
        out[name] = _levels(metrics.rollup(county, [*PLACE, "year"], category), category)
    return out


def write(summaries: dict[str, pd.DataFrame], folder: Path) -> None:
    """One Parquet file per summary (written by the caller's atomic staging)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in summaries.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)


def _read(path: Path) -> pd.DataFrame:
    """A summary file, read once per process (a render worker's kernel keeps it from county to county:
    a few hundred thousand rows for the whole country)."""
    st = path.stat()
    return _cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=len(SUMMARIES))
def _cached(path: str, mtime: int, size: int) -> pd.DataFrame:
    return pd.read_parquet(path)


def area_name(level: str, province: str, city: str, county: str) -> str:
    """How a comparison area is named on a page: 郏县, 平顶山市（全市）, 河南省（全省）, 全部语料."""
    return {"county": county, "city": f"{city}（全市）", "province": f"{province}（全省）",
            "national": "全部语料（全国）"}[level]


def compare(source: Path | dict[str, pd.DataFrame], name: str, province: str, city: str, county: str,
            years: tuple[int, int] | None = None, levels: tuple[str, ...] = ("county", "city", "province")
            ) -> pd.DataFrame:
    """The rows of one summary for a county and its city and province (``levels``), ``years`` from..to
    inclusive; ``area`` names each, the county first. ``source`` is the folder ``write`` filled, or
    the summaries themselves."""
    wanted = {"county": (province, city, county), "city": (province, city, ""), "province": (province, "", ""),
              "national": ("", "", "")}
    frame = source[name] if isinstance(source, dict) else _read(Path(source) / f"{name}.parquet")
    keep = pd.Series(False, index=frame.index)
    for level in levels:
        p, c, k = wanted[level]
        keep |= (frame["level"] == level) & (frame["province"] == p) & (frame["city"] == c) & (frame["county"] == k)
    out = frame[keep]
    if years is not None:
        out = out[(out["year"] >= years[0]) & (out["year"] <= years[1])]
    out = metrics.with_intervals(metrics.add_rates(out))
    out.insert(0, "area", [area_name(lv, p, c, k) for lv, p, c, k in
                           zip(out["level"], out["province"], out["city"], out["county"], strict=True)])
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    return out.sort_values(["year", "level"], key=lambda s: s.map(rank) if s.name == "level" else s,
                           kind="stable").reset_index(drop=True)
