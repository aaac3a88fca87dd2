"""Which counties to render, and a fingerprint of each county's data for incremental runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pandas as pd

from govstats.render.paths import report_stem

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings")
UNKNOWN = "unknown"
CODE = ("govstats.analysis.metrics", "govstats.analysis.plots", "govstats.corpus.dictionary")  # what the template calls; found, not imported


@dataclass(frozen=True)
class Job:
    """One county report to render: a place, a year, where it goes, and what it depends on."""

    province: str
    city: str
    county: str
    year: int
    stem: str  # output path without suffix
    fingerprint: str  # data of the county's reports + template notebook

    @property
    def key(self) -> str:
        return f"{self.province}/{self.city}/{self.county}/{self.year}"


def counties(reports: pd.DataFrame) -> pd.DataFrame:
    """Placed counties with the years they have reports for: province, city, county, year."""
    placed = reports[reports["county"].astype(str) != UNKNOWN].dropna(subset=["year"])
    out = placed[["province", "city", "county", "year"]].astype({"province": str, "city": str, "county": str})
    return out.drop_duplicates().sort_values(["province", "city", "county", "year"]).reset_index(drop=True)


def select(reports: pd.DataFrame, county: str | None, year: int | None, every_year: bool = False) -> pd.DataFrame:
    """The (province, city, county, year) to render: a county's latest year unless ``year`` is given
    or ``every_year`` asks for all of them.

    ``county`` is a county name, or 省/市/县 when the name repeats across provinces; None means all.
    Raises ValueError with a one-line reason when nothing or more than one place matches.
    """
    places = counties(reports)
    if county is not None:
        parts = county.split("/")
        cols = ["province", "city", "county"][-len(parts):]
        mask = pd.Series(True, index=places.index)
        for col, part in zip(cols, parts, strict=True):
            mask &= places[col] == part
        places = places[mask]
        if places.empty:
            raise ValueError(f"no reports placed in county {county!r}")
        distinct = places[["province", "city", "county"]].drop_duplicates()
        if len(distinct) > 1:
            names = ", ".join("/".join(r) for r in distinct.itertuples(index=False))
            raise ValueError(f"county {county!r} is ambiguous ({names}): give it as 省/市/县")
    if year is not None:
        places = places[places["year"] == year]
        if places.empty:
            raise ValueError(f"no reports for {county or 'any county'} in {year}")
        return places.reset_index(drop=True)
    if every_year:
        return places.reset_index(drop=True)
    return places.groupby(["province", "city", "county"], as_index=False)["year"].max()


def fingerprint(corpus: Any, report_ids: set[str], template: Path) -> str:
    """sha256 over the county's rows in every table (order-independent), the template's bytes and the
    code the template calls (metrics, plots).

    The rest of the corpus, which a report compares the county with, is left out, so that adding one
    county's files does not re-render every other county; ``--force`` renders everything again.
    """
    h = hashlib.sha256(template.read_bytes())
    for module in CODE:
        h.update(Path(find_spec(module).origin).read_bytes())
    for name in TABLES:
        frame = getattr(corpus, name)
        rows = frame[frame["report_id"].astype(str).isin(report_ids)]
        rows = rows.astype(str).sort_values(list(rows.columns), kind="stable")
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes())
    return h.hexdigest()


def plan(corpus: Any, county: str | None, year: int | None, out: Path, template: Path,
         every_year: bool = False) -> list[Job]:
    """The jobs for ``county`` (or every county) and ``year`` (or each one's latest, or every year)."""
    reports = corpus.reports
    jobs = []
    for place in select(reports, county, year, every_year).itertuples(index=False):
        mine = reports[(reports["province"].astype(str) == place.province) & (reports["city"].astype(str) == place.city)
                       & (reports["county"].astype(str) == place.county)]
        stem = report_stem(out, place.province, place.city, place.county, int(place.year))
        ids = set(mine["report_id"].astype(str))
        jobs.append(Job(place.province, place.city, place.county, int(place.year), str(stem),
                        fingerprint(corpus, ids, template)))
    return jobs
