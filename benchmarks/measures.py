"""One way for every benchmark to report its measures, so that `make bench` can print them as one table.

A benchmark prints its own table as before and also calls ``record`` for each measure. When the
environment names a results file (``GOVSTATS_BENCH_RESULTS``, set by benchmarks/suite.py) the measure is
appended to it as one JSON line; a benchmark run by hand writes nothing. benchmarks/summary.py reads
the file back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV = "GOVSTATS_BENCH_RESULTS"


def ratio(value: float, floor: float, unit: str) -> float:
    """What the measure costs against its floor or baseline: × the time or memory (a rate is inverted)."""
    if unit.endswith("/s"):
        return floor / value if value else float("inf")
    return value / floor if floor else float("inf")


def record(bench: str, measure: str, value: float, unit: str, *, floor: float | None = None, basis: str = "",
           target: str = "", met: bool | None = None, key: str = "") -> None:
    """Append one measure: ``floor`` is the bare library or the baseline it is compared with (``basis``
    names it), ``target`` is printed as given and ``met`` says whether it holds; ``key`` names a measure
    the national projection reads."""
    path = os.environ.get(ENV)
    if not path:
        return
    row = {"bench": bench, "measure": measure, "value": value, "unit": unit, "floor": floor, "basis": basis,
           "ratio": None if floor is None else ratio(value, floor, unit), "target": target, "met": met, "key": key}
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
