"""Rows of cells -> Report (under construction)."""

from govstats.model import Report
from govstats.readers import Rows


def build_report(rows: Rows) -> Report:
    raise NotImplementedError
