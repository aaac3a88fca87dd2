"""govstats: China's government information-disclosure annual reports as one trustworthy dataset."""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

from govstats.reading.read import read_bytes, read_report
from govstats.reading.report import Cell, Finding, NotAReport, Report

if TYPE_CHECKING:
    from govstats.corpus.dataset import Corpus


def load(dir: str | PathLike, *, labels: str | None = None, provinces=None, cities=None, counties=None, years=None,
         columns=None) -> Corpus:
    """Load an ingested dataset, filters pushed into the Parquet scans (see govstats.corpus.load);
    imported lazily so that reading a report does not pay for pandas and DuckDB."""
    from govstats.corpus.dataset import load as _load

    return _load(dir, labels=labels, provinces=provinces, cities=cities, counties=counties, years=years,
                 columns=columns)


__all__ = ["Cell", "Finding", "NotAReport", "Report", "load", "read_bytes", "read_report"]
__version__ = "0.1.0"
