"""Which counties to render, where each page goes, and a fingerprint of what each page shows.

Everything here is computed with DuckDB on the render's working copy (govstats.render.workset): the
parent process never loads the corpus, whatever its size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pandas as pd

from govstats.render import paths
from govstats.render.workset import PLACE, TABLES

UNKNOWN = "unknown"
# What the template calls; their source is part of every fingerprint (found, not imported).
CODE = ("govstats.analysis.metrics", "govstats.analysis.plots", "govstats.analysis.tables",
        "govstats.analysis.summaries", "govstats.analysis.quality", "govstats.corpus.dataset",
        "govstats.corpus.reviews", "govstats.corpus.dictionary", "govstats.render.page")


@dataclass(frozen=True)
class Job:
    """One county report to render: a place, a year, where it goes, and what it depends on."""

    province: str
    city: str
    county: str
    year: int
    stem: str  # output path without suffix
    fingerprint: str  # the county's data up to the year, its city's and province's summaries, template, code
    reports: int  # the county's reports on the page (years up to ``year``)
    synthetic: int  # how many of them are synthetic
    adjusted: bool  # the folder is not the place names as they are (see govstats.render.paths)

    @property
    def key(self) -> str:
        return f"{self.province}/{self.city}/{self.county}/{self.year}"

    @property
    def place(self) -> tuple[str, str, str]:
        return self.province, self.city, self.county


def _sql(work: Path, query: str) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    try:
        for name in TABLES:
            path = (work / f"{name}.parquet").as_posix().replace("'", "''")
            con.execute(f"create view {name} as select * from read_parquet('{path}')")
        return con.sql(query).df()
    finally:
        con.close()


def counties(work: Path) -> pd.DataFrame:
    """Placed counties and their years: province, city, county, year, reports, synthetic."""
    out = _sql(work, f"select province, city, county, year, count(*) as reports, "
                     f"sum(coalesce(synthetic, false)::int) as synthetic from reports "
                     f"where county is not null and county <> '{UNKNOWN}' and year is not null "
                     f"group by all order by all")
    return out.astype({"province": str, "city": str, "county": str, "year": int, "reports": int, "synthetic": int})


def select(places: pd.DataFrame, county: str | None, year: int | None, every_year: bool = False) -> pd.DataFrame:
    """The (province, city, county, year) to render: a county's latest year unless ``year`` is given
    or ``every_year`` asks for all of them.

    ``county`` is a county name, or 省/市/县 when the name repeats across provinces; None means all.
    Raises ValueError with a one-line reason when nothing or more than one place matches.
    """
    places = places[["province", "city", "county", "year"]].drop_duplicates()
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


def data_hashes(work: Path) -> dict[tuple[str, str, str, int], str]:
    """Per county and year, an order-independent hash of its rows in every table and of the decisions
    on its reports' flags (a dismissed flag leaves the page: the page must be rendered again)."""
    parts = " union all ".join(
        f"select {', '.join(PLACE)}, '{name}' as t, sum(hash(x))::varchar as h from {name} x group by all"
        for name in TABLES)
    frame = _sql(work, f"select {', '.join(PLACE)}, string_agg(t || h, ',' order by t) as h from ({parts}) "
                       f"group by all")
    out = {(str(r.province), str(r.city), str(r.county), int(r.year)): r.h for r in frame.itertuples(index=False)
           if pd.notna(r.year)}
    for key, h in _review_hashes(work).items():
        out[key] = out.get(key, "") + ",reviews" + h
    return out


def _review_hashes(work: Path) -> dict[tuple[str, str, str, int], str]:
    from govstats.corpus.reviews import read_reviews

    reviews = read_reviews(work)
    if reviews.empty:
        return {}
    places = _sql(work, f"select report_id, {', '.join(PLACE)} from reports").astype({"report_id": str})
    rows = reviews.merge(places, on="report_id")
    return {(str(k[0]), str(k[1]), str(k[2]), int(k[3])): str(pd.util.hash_pandas_object(g.astype(str), index=False).sum())
            for k, g in rows.groupby(list(PLACE)) if pd.notna(k[3])}


def _summary_hash(summaries: dict[str, pd.DataFrame], place: tuple[str, str, str], year: int) -> str:
    """Hash of the summary rows a page compares with: its county, city and province, up to its year."""
    province, city, county = place
    h = hashlib.sha256()
    for name in sorted(summaries):
        frame = summaries[name]
        rows = frame[(frame["year"] <= year) & (frame["province"] == province) & (frame["city"].isin([city, ""]))
                     & (frame["county"].isin([county, ""])) & (frame["level"] != "national")]
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy().tobytes())
    return h.hexdigest()


def code_hash(template: Path) -> str:
    h = hashlib.sha256(template.read_bytes())
    for module in CODE:
        h.update(Path(find_spec(module).origin).read_bytes())
    return h.hexdigest()


def plan(work: Path, summaries: dict[str, pd.DataFrame], county: str | None, year: int | None, out: Path,
         template: Path, every_year: bool = False) -> list[Job]:
    """The jobs for ``county`` (or every county) and ``year`` (or each one's latest, or every year).

    Folders are assigned over every county of the dataset, so a county's path never depends on which
    counties a run renders.
    """
    places = counties(work)
    folders = paths.assign(list(places[["province", "city", "county"]].drop_duplicates().itertuples(index=False,
                                                                                                      name=None)))
    hashes = data_hashes(work)
    code = code_hash(template)
    jobs = []
    for p in select(places, county, year, every_year).itertuples(index=False):
        place = (p.province, p.city, p.county)
        shown = places[(places["province"] == p.province) & (places["city"] == p.city)
                       & (places["county"] == p.county) & (places["year"] <= p.year)]
        h = hashlib.sha256(code.encode())
        for y in sorted(shown["year"]):
            h.update(hashes.get((*place, int(y)), "").encode())
        h.update(_summary_hash(summaries, place, int(p.year)).encode())
        stem = paths.report_stem(out, folders[place], int(p.year))
        jobs.append(Job(p.province, p.city, p.county, int(p.year), str(stem), h.hexdigest(),
                        int(shown["reports"].sum()), int(shown["synthetic"].sum()),
                        paths.adjusted(place, folders[place])))
    return jobs
