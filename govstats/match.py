"""Printed label -> row or column of the national format, by the keys in national_format.toml.

Labels are compared in their normalised form (govstats.normalize.label_key). The rightmost label
cell of a row decides (group labels such as 三、本年度办理结果 sit to its left); inside a cell the
last numbered segment decides (`（六）其他处理3.其他` is 其他); the longest matching key wins.
"""

from __future__ import annotations

from functools import lru_cache

from govstats.normalize import label_key, split_numbering
from govstats.template import ColumnSpec, RowSpec


def _best(text: str, specs: tuple[RowSpec, ...] | tuple[ColumnSpec, ...]) -> tuple[int, object | None]:
    best_len, best = 0, None
    for spec in specs:
        exact = getattr(spec, "exact", False)
        for key in spec.keys:
            hit = text == key if exact else key in text
            if hit and len(key) > best_len:
                best_len, best = len(key), spec
    return best_len, best


@lru_cache(maxsize=65536)
def _match_cell(cell: str, specs: tuple[RowSpec, ...]) -> RowSpec | None:
    segments = split_numbering(cell)
    for seg in reversed(segments):
        _, spec = _best(seg, specs)
        if spec is not None:
            return spec
    whole = label_key(cell)
    if len(segments) > 1 and whole:
        _, spec = _best(whole, specs)
        return spec
    return None


def match_row(labels: list[str], specs: tuple[RowSpec, ...]) -> RowSpec | None:
    """The row named by a row's label cells (rightmost first), or None."""
    for cell in reversed(labels):
        spec = _match_cell(cell, specs)
        if spec is not None:
            return spec
    return None


def column_hits(labels: list[str], columns: tuple[ColumnSpec, ...]) -> int:
    """How many cells name a column: a row of column headers names several."""
    n = 0
    for cell in labels:
        key = label_key(cell)
        if key and _best(key, columns)[1] is not None and len(key) <= 12:
            n += 1
    return n
