"""Printed label -> row or column of the national format, by the keys in national_format.toml.

Labels are compared in their normalised form (govstats.reading.normalize.label_key). The rightmost label
cell of a row decides (group labels such as 三、本年度办理结果 sit to its left); inside a cell the
last numbered segment decides (`（六）其他处理3.其他` is 其他); the longest matching key wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from govstats.format import ColumnSpec, RowSpec
from govstats.reading.normalize import MEMO_CHARS, label_key, split_numbering

Spec = RowSpec | ColumnSpec
_MEMO = 50_000  # memoised label cells per table: bounded for national-scale ingests
K = TypeVar("K")
V = TypeVar("V")


def _best(text: str, specs: tuple[Spec, ...]) -> Spec | None:
    """The spec whose key ends last in ``text`` (a row's label ends where its numbers start, so in
    text that lost its line breaks the words before it are a sentence), the longest on a tie."""
    best_at, best = (0, 0), None
    for spec in specs:
        exact = getattr(spec, "exact", False)
        for key in spec.keys:
            if exact:
                at = (len(text), len(key)) if text == key else None
            else:
                i = text.rfind(key)
                at = (i + len(key), len(key)) if i >= 0 else None
            if at is not None and at > best_at:
                best_at, best = at, spec
    return best


class Matcher:
    """Matches label cells against one table's rows and columns; results are memoised per cell
    (and per row of label cells), since the same labels recur in every report."""

    def __init__(self, rows: tuple[RowSpec, ...], columns: tuple[ColumnSpec, ...]):
        self.rows = rows
        self.columns = columns
        self._rows: dict[str, RowSpec | None] = {}
        self._labels: dict[tuple[str, ...], RowSpec | None] = {}
        self._cols: dict[str, ColumnSpec | None] = {}
        self._hits: dict[tuple[str, ...], int] = {}
        self._first: dict[str, bool] = {}

    def _row_of_cell(self, cell: str) -> RowSpec | None:
        if cell in self._rows:
            return self._rows[cell]
        found = None
        segments = split_numbering(cell)
        for seg in reversed(segments):
            found = _best(seg, self.rows)
            if found is not None:
                break
        if found is None and len(segments) > 1:
            found = _best(label_key(cell), self.rows)
        return _remember(self._rows, cell, found)  # type: ignore[arg-type]

    def row(self, labels: Sequence[str]) -> RowSpec | None:
        """The row named by a row's label cells (rightmost first), or None."""
        key = tuple(labels)
        if key in self._labels:
            return self._labels[key]
        found = None
        for cell in reversed(key):
            found = self._row_of_cell(cell)
            if found is not None:
                break
        return _remember(self._labels, key, found)

    def column_named(self, cell: str) -> ColumnSpec | None:
        """The column a short cell is the header of (自然人, 总计, 本年制发件数 …), if any."""
        if cell in self._cols:
            return self._cols[cell]
        key = label_key(cell)
        return _remember(self._cols, cell, _best(key, self.columns) if key and len(key) <= 12 else None)  # type: ignore[arg-type]

    def is_first_column(self, cell: str) -> bool:
        """Whether the cell is the header of the table's first column (自然人)."""
        if cell in self._first:
            return self._first[cell]
        return _remember(self._first, cell, _best(label_key(cell), self.columns[:1]) is not None)

    def column_hits(self, labels: Sequence[str]) -> int:
        """How many distinct columns the cells name: a row of column headers names several, a row
        label such as （六）其他处理 / 3.其他 names only 其他."""
        key = tuple(labels)
        if key in self._hits:
            return self._hits[key]
        return _remember(self._hits, key, len({c.code for c in map(self.column_named, key) if c is not None}))

    def names_header(self, text: str) -> bool:
        """Whether running text holds this table's header: two or more of its columns named by
        specific words (three characters or more; 其他 and 总计 are everywhere)."""
        key = label_key(text)
        return sum(any(len(k) >= 3 and k in key for k in c.keys) for c in self.columns) >= 2


def _remember(memo: dict[K, V], key: K, value: V) -> V:
    """Store a memoised result, unless its text is long (see normalize.MEMO_CHARS); a memo over its
    bound starts afresh (national-scale ingests)."""
    if (len(key) if isinstance(key, str) else sum(map(len, key))) > MEMO_CHARS:  # type: ignore[arg-type]
        return value
    if len(memo) > _MEMO:
        memo.clear()
    memo[key] = value
    return value


_MATCHERS: dict[tuple[int, ...], Matcher] = {}


def matcher(rows: tuple[RowSpec, ...], columns: tuple[ColumnSpec, ...]) -> Matcher:
    """The Matcher of these rows and columns, one per process. Keyed by the specs' identities:
    hashing frozen specs (every key of every label) on each lookup cost more than the matching.
    The Matcher keeps its specs alive, so an identity is never reused for other specs."""
    key = (*map(id, rows), -1, *map(id, columns))
    found = _MATCHERS.get(key)
    if found is None:
        found = _MATCHERS[key] = Matcher(rows, columns)
    return found
