"""A part's rows of cells -> the values of each row of its table.

Rows are found by label. A table starts at its header or its first row label: numbers before that
(the part's narrative, a sentence between heading and table) are never cells, nor are numbers that
follow a sentence instead of a label. Where a layout detached labels from their numbers, a row of
values with no label goes to the next row of the table in printed order (the order is fixed by the
format); such rows are marked `by_order` and reported. Single values on lines of their own (one
cell per line) are appended to the row whose label came last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from govstats.format import ColumnSpec, RowSpec
from govstats.reading.formats import Rows
from govstats.reading.match import Matcher, matcher
from govstats.reading.normalize import MEMO_CHARS
from govstats.reading.tokens import Label, Token, Value, classify_cells

_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")
_SENTENCE = re.compile(r"[。；;！!？?，,：:]")
_FIGURE = re.compile(r"\d")
_MAX_STRAYS = 20  # stray values listed per table (real tables have a handful)
_STRAY_CHARS = 200


def is_sentence(label: str) -> bool:
    """Whether a label that names no row is a sentence (punctuation outside brackets), not a
    detached or damaged row label: numbers after it are narrative."""
    return _SENTENCE.search(_BRACKETED.sub("", label)) is not None


@dataclass(slots=True)
class RowRead:
    spec: RowSpec
    values: list[Value] = field(default_factory=list)
    label: str = ""
    by_order: bool = False

    @property
    def complete(self) -> bool:
        return len(self.values) >= len(self.spec.columns) or any(v.glued for v in self.values)


def tokenize_row(row: list[str]) -> list[Token]:
    """Tokens of a row. In a grid (three or more cells) cell boundaries are real, so a cell mixing
    words and digits (`数据1`, `1. 属于国家秘密`) is a label, not numbers run into text."""
    return classify_cells(row, len(row) <= 2)


class Segment(NamedTuple):
    """A run of labels and the values after them; ``label`` is the labels joined, ``filled``
    whether a value is not blank."""

    labels: tuple[str, ...]
    values: tuple[Value, ...]
    label: str
    filled: bool


class RowPlan(NamedTuple):
    """What a row holds, before any table state: whether a value is not blank, its label texts,
    its segments and the sentences with figures among its labels."""

    values_present: bool
    labels: tuple[str, ...]
    segments: tuple[Segment, ...]
    sentences: tuple[str, ...]


def plan_row(row: tuple[str, ...]) -> RowPlan:
    """The plan of a row; memoised, since most table rows (all-zero rows, headers) recur verbatim
    across reports, except lines of running text (see normalize.MEMO_CHARS)."""
    if len(row) < 3 and sum(map(len, row)) > MEMO_CHARS:
        return _plan_row(row)
    return _plan_row_memo(row)


def _plan_row(row: tuple[str, ...]) -> RowPlan:
    tokens = tokenize_row(list(row))
    values_present = any(isinstance(t, Value) and t.kind != "blank" for t in tokens)
    labels = tuple(t.text for t in tokens if isinstance(t, Label))
    sentences = tuple(t for t in labels if _FIGURE.search(t) and is_sentence(t))
    return RowPlan(values_present, labels, tuple(_segment_of(ls, vs) for ls, vs in segments(tokens)), sentences)


_plan_row_memo = lru_cache(maxsize=1 << 15)(_plan_row)


def _segment_of(labels: list[str], values: list[Value]) -> Segment:
    return Segment(tuple(labels), tuple(values), "".join(labels), any(v.kind != "blank" for v in values))


@lru_cache(maxsize=1 << 15)
def _grid_plan(row: tuple[str, ...], start: int, width: int) -> tuple[RowPlan, Segment | None]:
    """The plan of a true grid row (three or more cells), and its labels (the cells before
    ``start``) and values (``width`` cells from ``start``) as one segment, or None when one of
    those cells is not a value. One memo for both: grid rows are most rows of most tables."""
    labels = [c for c in row[:start] if c.strip()]
    values = classify_cells(row[start : start + width], False)
    if not all(isinstance(v, Value) for v in values):
        return plan_row(row), None
    return plan_row(row), _segment_of(labels, values)  # type: ignore[arg-type]


def segments(tokens: list[Token]) -> list[tuple[list[str], list[Value]]]:
    """(labels, values) runs: a label that follows values starts a new run."""
    out: list[tuple[list[str], list[Value]]] = []
    labels: list[str] = []
    values: list[Value] = []
    for tok in tokens:
        if isinstance(tok, Label):
            if values:
                out.append((labels, values))
                labels, values = [], []
            labels.append(tok.text)
        else:
            values.append(tok)
    if labels or values:
        out.append((labels, values))
    return out


def fit(values: Sequence[Value], width: int) -> list[Value]:
    """Trim the padding cells that grids, merged columns and trailing tabs add: blanks beyond the
    row's width, from the end first, then the start, then inside (a hidden merged column)."""
    vals = list(values)
    if len(vals) <= width:
        return vals
    while len(vals) > width and vals[-1].kind == "blank":
        vals.pop()
    while len(vals) > width and vals[0].kind == "blank":
        vals.pop(0)
    while len(vals) > width and any(v.kind == "blank" for v in vals):
        i = max(i for i, v in enumerate(vals) if v.kind == "blank")
        vals.pop(i)
    return vals


@cache
def _layout(match: Matcher) -> tuple[tuple[str, ...], dict[str, int], tuple[str, ...] | None]:
    """A table's row codes in printed order, the position of each, and its columns when every row
    has the same ones (else None)."""
    order = tuple(s.code for s in match.rows)
    widths = {s.columns for s in match.rows}
    return order, {code: i for i, code in enumerate(order)}, widths.pop() if len(widths) == 1 else None


class TableReader:
    """Collects the rows of one table from its part's rows."""

    def __init__(self, specs: tuple[RowSpec, ...], columns: tuple[ColumnSpec, ...]):
        self.specs = specs
        self.columns = columns
        self.match = matcher(specs, columns)
        self.order, self.position, self.uniform = _layout(self.match)
        self.found: dict[str, RowRead] = {}
        self.strays: list[str] = []
        self.pos = -1
        self.open: RowRead | None = None
        self.header: tuple[int, int] | None = None  # (index of the first column, row length)
        self.started = False  # a header or a row label was seen: the table has begun
        self.sentences: list[str] = []  # sentences with figures in the part, not read as cells
        self.more_strays = 0  # strays beyond those listed

    def _stray(self, note: str) -> None:
        """Note values that belong to no row: the first few, shortened (a hostile page has thousands)."""
        if len(self.strays) < _MAX_STRAYS:
            self.strays.append(note if len(note) <= _STRAY_CHARS else note[:_STRAY_CHARS] + "…")
        else:
            self.more_strays += 1

    def _store(self, rr: RowRead, complete: bool) -> None:
        """Keep ``rr`` (``complete``: whether it has all its values) as the row of its code."""
        code = rr.spec.code
        prev = self.found.get(code)
        if prev is not None and prev.values:
            if prev.complete:
                self._stray(f"{code}: second row ignored ({rr.label})")
                return
            self._stray(f"{code}: stray values {[v.raw for v in prev.values]} replaced")
        self.found[code] = rr
        if complete:
            self.pos = max(self.pos, self.position[code])

    def _next_unfilled(self) -> RowSpec | None:
        for code in self.order[self.pos + 1 :]:
            rr = self.found.get(code)
            if rr is None or not rr.complete:
                return self.specs[self.position[code]]
        return None

    def feed(self, row: list[str]) -> None:
        key = tuple(row)
        grid = len(key) > 2
        seg: Segment | None = None
        if self.header and self.uniform and len(key) == self.header[1]:
            # a true grid (merged cells expanded): the header says where the values are
            plan, seg = _grid_plan(key, self.header[0], len(self.uniform))
        else:
            plan = _plan_row_memo(key) if grid else plan_row(key)  # (plan_row's test inline: grid rows)
        if plan.sentences:
            self.sentences += plan.sentences
        if not plan.values_present and self.match.column_hits(plan.labels) >= 2:
            self._header(row)
            self.started = True
            return
        if seg is not None:
            self._segment(seg, grid)
            return
        for seg in plan.segments:
            self._segment(seg, grid)

    def _header(self, row: list[str]) -> None:
        """Remember where the first column's header sits, for rows as long as this one."""
        if not self.uniform:
            return
        for i, cell in enumerate(row):
            if cell.strip() and self.match.is_first_column(cell):
                self.header = (i, len(row))
                return

    def _segment(self, seg: Segment, grid: bool) -> None:
        labels, values, label, filled = seg
        spec = self.match.row(labels) if labels else None
        if spec is not None:
            self.started = True
            if not filled and not (grid and len(values) >= len(spec.columns)):
                self.open = RowRead(spec, [], label)
                return
            rr = RowRead(spec, fit(values, len(spec.columns)), label)
            complete = rr.complete
            self._store(rr, complete)
            self.open = None if complete else rr
            return
        if not filled:
            return
        if not self.started and self.match.names_header(label):
            self.started = True  # scraped text: the header words run into the first (damaged) row label
        if not self.started or is_sentence(label):
            where = "before the table" if not self.started else f"after a sentence ({label[-20:]})"
            self._stray(f"values {[v.raw for v in values]} {where}")
            return
        if len(values) == 1 and not values[0].glued and self.open is not None and not self.open.complete:
            self.open.values.append(values[0])
            complete = self.open.complete
            if complete or self.open.spec.code not in self.found:
                self._store(self.open, complete)
            if complete:
                self.open = None
            return
        target = self._next_unfilled()
        if target is None:
            self._stray(f"values {[v.raw for v in values]} after the last row")
            return
        rr = RowRead(target, fit(values, len(target.columns)), label, by_order=True)
        complete = rr.complete
        self._store(rr, complete)
        self.open = None if complete else rr


def read_table(region: Rows, specs: tuple[RowSpec, ...], columns: tuple[ColumnSpec, ...]) -> TableReader:
    reader = TableReader(specs, columns)
    for row in region:
        reader.feed(row)
    return reader


def read_flat(region: Rows, width: int) -> list[Value]:
    """Values of a table printed as one row (review/litigation: 15 numbers), in order. Header rows
    and narrative lines (words with a stray number) are skipped; stops at ``width`` values."""
    collected: list[Value] = []
    for row in region:
        plan = plan_row(tuple(row))
        if not plan.values_present:
            continue
        vals = [v for seg in plan.segments for v in seg.values]
        nonblank = [v for v in vals if v.kind != "blank"]
        has_label = bool(plan.labels)
        if has_label and len(nonblank) < 3 and not any(v.glued and len(v.raw) >= 5 for v in nonblank):
            continue
        collected.extend(fit(vals, max(width - len(collected), 1)) if len(row) > 1 else nonblank)
        if len(collected) >= width or any(v.glued for v in collected):
            break
    return collected
