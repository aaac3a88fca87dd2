"""Plan and write a synthetic corpus: ``<省>/<市>/<县>/<agency>/<year>.<ext>`` plus manifest and catalog.

A report is written once, in every format (``all_formats``), or, for a share ``copies`` of reports, as
a page and its attachment in another format (``<year>-附件.<ext>``), as sites publish them: the
files of one report name it in the manifest's ``same_report_as``; ingest keeps one.

Everything is drawn from random generators seeded by (seed, agency) and (seed, document path), so
a corpus is the same whatever the number of worker processes, and ``plan()`` gives back the exact
Reports and defects that ``generate_corpus()`` wrote (the round-trip test relies on it).
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govstats.reading.report import Cell, Report
from govstats.synth import defects as defects_mod
from govstats.synth import manifest
from govstats.synth.agencies import Agency, County, agencies_of, all_counties, county
from govstats.synth.calibration import Series
from govstats.synth.documents import WRITERS
from govstats.synth.narrative import INVENTED_NOTE
from govstats.synth.printing import CLEAN, Quirks
from govstats.synth.scanner import to_scan

FORMATS = tuple(WRITERS)
# "scan": the PDF scanned into images (govstats.synth.scanner), read back only by OCR; on request only.
ALL_WRITERS = {**WRITERS, "scan": to_scan}
EXTENSIONS = {"scan": "scan.pdf"}
# Share of each format when every report is written once (HTML pages are the most common, spec §1).
FORMAT_WEIGHTS = {"html": 0.55, "pdf": 0.15, "docx": 0.15, "txt": 0.15, "scan": 0.05}


@dataclass
class Document:
    path: str  # relative to the corpus root, with "/" separators
    fmt: str
    report: Report
    agency: Agency
    quirks: Quirks = CLEAN
    defect: str = ""
    details: str = ""
    same_report_as: str = ""  # the path of the report's first document, for its other documents

    @property
    def notes(self) -> tuple[str, ...]:
        return () if self.agency.real_name else (INVENTED_NOTE,)

    def render(self) -> bytes:
        return ALL_WRITERS[self.fmt](self.report, quirks=self.quirks, notes=self.notes)


def parse_years(text: str) -> list[int]:
    """``2019-2024`` or ``2019,2021`` -> years; a reversed range is an error, not an empty corpus."""
    years: list[int] = []
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        first, last = int(a), int(b or a)
        if last < first:
            raise ValueError(f"--years {text}: the range {part.strip()} is reversed (write {last}-{first})")
        years += list(range(first, last + 1))
    return sorted(set(years))


def resolve_counties(names: list[str] | str) -> list[County]:
    """County names (or "all": every county whose name is unique nationally)."""
    if isinstance(names, str):
        names = [n for n in names.replace("，", ",").split(",") if n.strip()]
    if names == ["all"]:
        return all_counties()
    return [county(n.strip()) for n in names]


def _report(agency: Agency, year: int, template: str, values: dict) -> Report:
    cells = {k: Cell(k[0], k[1], k[2], v, "number") for k, v in values.items()}
    return Report(agency=agency.name, year=year, template=template, synthetic=True, cells=cells)


# The format of an attachment beside a page, in order of preference (sites attach PDF or Word files).
ATTACHMENTS = ("pdf", "docx", "txt", "html")


def _formats_for(fmts: tuple[str, ...], all_formats: bool, rng: random.Random) -> tuple[str, ...]:
    if all_formats or len(fmts) == 1:
        return fmts
    return (rng.choices(fmts, weights=[FORMAT_WEIGHTS[f] for f in fmts])[0],)


def _attachment(page: str, fmts: tuple[str, ...], share: float, rng: random.Random) -> str | None:
    """The format of the attachment published with a page in ``share`` of reports (None: no attachment)."""
    others = [f for f in ATTACHMENTS if f in fmts and f != page]
    if not others or rng.random() >= share:
        return None
    return others[0] if rng.random() < 0.7 else rng.choice(others)


def agencies(c: County, departments: int | None = None, exclude: frozenset[str] = frozenset()) -> list[Agency]:
    """The agencies of ``c`` that get reports (``exclude``: names left out, such as those of real reports
    a corpus is mixed with, so that no agency-year is held twice)."""
    return [a for a in agencies_of(c, departments) if a.name not in exclude]


def plan_county(
    c: County,
    years: list[int],
    formats: tuple[str, ...],
    seed: int,
    defects: float = 0.0,
    reports: int | None = None,
    departments: int | None = None,
    all_formats: bool = False,
    copies: float = 0.0,
    exclude: frozenset[str] = frozenset(),
) -> Iterator[Document]:
    """The documents of one county, agency by agency, year by year (at most ``reports`` reports).

    Defective documents take the defect kinds their format can show in turn (from a random start),
    so that even a small corpus shows every kind. Each document of a report draws its defect on its
    own, so the files of one report may print different numbers, as real ones do."""
    n = 0
    county_rng = random.Random(f"{seed}|{c.province}|{c.city}|{c.name}")
    turn = {f: county_rng.randrange(len(defects_mod.BY_FORMAT[f])) for f in formats}
    for agency in agencies(c, departments, exclude):
        series = Series(agency, random.Random(f"{seed}|{c.province}|{c.city}|{agency.name}"))
        for year in years:
            if reports is not None and n >= reports:
                return
            n += 1
            template, values = series.year(year)
            base = f"{c.province}/{c.city}/{c.name}/{agency.folder}/{year}"
            rng = random.Random(f"{seed}|{base}")
            paths = [(f"{base}.{EXTENSIONS.get(fmt, fmt)}", fmt) for fmt in _formats_for(formats, all_formats, rng)]
            if copies and not all_formats:  # its own generator: without copies, a corpus stays as it was
                extra = _attachment(paths[0][1], formats, copies, random.Random(f"{seed}|{base}|attachment"))
                paths += [(f"{base}-附件.{EXTENSIONS.get(extra, extra)}", extra)] if extra else []
            for path, fmt in paths:
                doc = Document(path, fmt, _report(agency, year, template, values), agency)
                doc.same_report_as = "" if path == paths[0][0] else paths[0][0]
                if defects and rng.random() < defects:
                    kinds = defects_mod.BY_FORMAT[fmt]
                    kind = kinds[turn[fmt] % len(kinds)]
                    turn[fmt] += 1
                    doc.report, doc.quirks, doc.details = defects_mod.inject(doc.report, kind, rng)
                    doc.defect = kind if doc.details else ""
                yield doc


def _budgets(counties: list[County], years: list[int], reports: int | None, departments: int | None,
             exclude: frozenset[str] = frozenset()) -> list[int | None]:
    """How many reports each county contributes so that the corpus has ``reports`` in all."""
    if reports is None:
        return [None] * len(counties)
    out: list[int | None] = []
    left = reports
    for c in counties:
        take = min(left, len(agencies(c, departments, exclude)) * len(years))
        out.append(take)
        left -= take
    return out


def plan(
    counties: list[County],
    years: list[int],
    formats: tuple[str, ...] = FORMATS,
    seed: int = 7,
    defects: float = 0.0,
    reports: int | None = None,
    departments: int | None = None,
    all_formats: bool = False,
    copies: float = 0.0,
    exclude: frozenset[str] = frozenset(),
) -> Iterator[Document]:
    """Every document of the corpus, in order."""
    exclude = frozenset(exclude)
    for c, budget in zip(counties, _budgets(counties, years, reports, departments, exclude), strict=True):
        if budget != 0:
            yield from plan_county(c, years, formats, seed, defects, budget, departments, all_formats, copies, exclude)


def _write_county(out: str, args: tuple) -> list[dict]:
    rows = []
    made: set[str] = set()
    for doc in plan_county(*args):
        target = os.path.join(out, doc.path)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(target, "wb") as f:
            f.write(doc.render())
        rows.append(manifest.row(doc))
    return rows


def generate_corpus(
    out: str | Path,
    counties: list[str] | str = "郏县",
    years: list[int] | str = "2019-2024",
    formats: tuple[str, ...] | str = FORMATS,
    seed: int = 7,
    defects: float = 0.0,
    reports: int | None = None,
    departments: int | None = None,
    all_formats: bool = False,
    copies: float = 0.0,
    exclude: list[str] | str = (),
    workers: int = 1,
) -> pd.DataFrame:
    """Write a corpus under ``out`` and return its manifest (one row per document)."""
    cs = resolve_counties(counties)
    ys = parse_years(years) if isinstance(years, str) else list(years)
    fmts = tuple(f.strip() for f in formats.split(",")) if isinstance(formats, str) else tuple(formats)
    unknown = [f for f in fmts if f not in ALL_WRITERS]
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)} (known: {', '.join(ALL_WRITERS)})")
    if not 0 <= copies <= 1:
        raise ValueError(f"copies must be a share between 0 and 1, not {copies}")
    skip = frozenset(n.strip() for n in (exclude.replace("，", ",").split(",") if isinstance(exclude, str) else exclude)
                     if n.strip())
    out = str(out)
    os.makedirs(out, exist_ok=True)
    jobs = [
        (c, ys, fmts, seed, defects, b, departments, all_formats, copies, skip)
        for c, b in zip(cs, _budgets(cs, ys, reports, departments, skip), strict=True)
        if b != 0
    ]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_write_county, [out] * len(jobs), jobs, chunksize=max(1, len(jobs) // (workers * 8))))
    else:
        parts = [_write_county(out, j) for j in jobs]
    rows = [r for part in parts for r in part]
    return manifest.write(out, rows)
