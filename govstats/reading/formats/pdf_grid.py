"""Ruled tables on PDF pages as grids of merged cells, and tables continued across page breaks.

pdfplumber finds the cell rectangles; every glyph goes to the grid position under its centre and
from there to the merged cell that covers it, so text in a cell whose border is missing is kept.
A position covered by the cell above holds ``None`` (a row span: labels repeat downwards), one
covered by the cell to its left holds ``""``. An OCR'd cell the recogniser read more than one way
holds a ``Reading`` (the text, with the other readings).

A table continued on the next page (same columns) is appended to the one before: repeated header
rows are dropped, empty label cells at the top continue the labels above, and a label split over
the break (`（四）无` / `法提供`) is joined, its numbers staying with it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from govstats.reading.formats import Rows
from govstats.reading.formats.cells import is_label
from govstats.reading.formats.ocr_confusions import Reading
from govstats.reading.formats.pdf_text import Char, join_lines, lines
from govstats.reading.normalize import squash

Cells = list[list[str | None]]
_SAME_X = 6.0  # points: column borders this close on two pages are the same column
_NUMBER = re.compile(r"[-+−]?\d")
# A label that starts a row or group of its own: （四）, 四、, 2. or 2、
_NUMBERED = re.compile(
    r"\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．])"
)


@dataclass
class Grid:
    top: float
    bottom: float
    xs: list[float]  # left border of each column, then the right border of the table
    cells: Cells
    confidence: dict[str, float] = field(default_factory=dict)  # OCR: cell text -> lowest confidence


def from_table(bbox: tuple[float, float, float, float], boxes: list[tuple], chars: list[Char]) -> Grid:
    """The grid of one pdfplumber table (its bbox and cell rectangles) filled with ``chars``."""
    xs, ys = _borders(b[0] for b in boxes), _borders(b[1] for b in boxes)
    owner: list[list[tuple[int, int] | None]] = [[None] * len(xs) for _ in ys]
    for x0, top, x1, bottom in boxes:
        r0, c0 = _index(ys, top), _index(xs, x0)
        for r in range(r0, _index(ys, bottom - 1) + 1):
            for c in range(c0, _index(xs, x1 - 1) + 1):
                owner[r][c] = owner[r][c] or (r0, c0)
    found: dict[tuple[int, int], list[Char]] = {}
    for ch in chars:
        r, c = _index(ys, (ch["top"] + ch["bottom"]) / 2), _index(xs, (ch["x0"] + ch["x1"]) / 2)
        found.setdefault(owner[r][c] or (r, c), []).append(ch)
    cells: Cells = []
    confidence: dict[str, float] = {}
    for r in range(len(ys)):
        row: list[str | None] = []
        for c in range(len(xs)):
            anchor = owner[r][c] or (r, c)
            if anchor == (r, c):
                glyphs = found.get(anchor, [])
                text = join_lines([ln.text for ln in lines(glyphs)])
                alternatives = tuple(dict.fromkeys(a for g in glyphs for a in g.get("alt", ())))
                row.append(Reading(text, alternatives) if alternatives else text)
                conf = [g["conf"] for g in glyphs if "conf" in g]
                if conf and text:
                    confidence[text] = min(min(conf), confidence.get(text, 1.0))
            else:
                row.append(None if anchor[1] == c else "")
        cells.append(row)
    return Grid(bbox[1], bbox[3], xs + [bbox[2]], cells, confidence)


def _borders(values) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(borders: list[float], v: float) -> int:
    return max(0, bisect_right(borders, v + 0.5) - 1)


def _is_value(text: str | None) -> bool:
    return bool(text) and _NUMBER.match(text) is not None and not is_label(text)


def label_columns(cells: Cells) -> int:
    """How many columns on the left hold labels: those before the first column with a number."""
    width = len(cells[0]) if cells else 0
    return min((c for row in cells for c in range(width) if _is_value(row[c])), default=width)


def continues(prev: Grid, nxt: Grid) -> bool:
    """Whether ``nxt`` (first on its page) continues ``prev`` (last on the page before)."""
    return len(prev.xs) == len(nxt.xs) and all(abs(a - b) <= _SAME_X for a, b in zip(prev.xs, nxt.xs, strict=True))


def append(prev: Grid, nxt: Grid) -> None:
    """Append the rows of the continuation ``nxt`` to ``prev``, mending the rows at the break."""
    rows = [list(r) for r in nxt.cells]
    header = {_key(r) for r in _leading_headers(prev.cells)}
    while rows and _key(rows[0]) in header:  # header rows printed again after the break
        rows = rows[1:]
    if not rows:
        return
    labels = label_columns(prev.cells + rows)
    first, last = rows[0], len(prev.cells) - 1
    own = [c for c in range(labels) if first[c]]
    for c in range(own[0] if own else labels):
        first[c] = None  # empty label cells left of the first label: the cells above go on
    for c in own[:-1]:  # group labels, a deeper label beside them: a fragment joins the label above
        r0 = _anchor_row(prev.cells, last, c)
        if r0 is not None and not _NUMBERED.match(first[c]):
            prev.cells[r0][c] += first[c]
            first[c] = None
    deepest = own[-1] if own else None
    if _split_row(prev.cells[last], first, deepest, labels):
        _merge_into(prev.cells[last], first, deepest, labels)
        rows = rows[1:]
    prev.cells.extend(rows)
    prev.bottom = nxt.bottom


def _leading_headers(cells: Cells) -> Cells:
    out = []
    for row in cells:
        if any(_is_value(t) for t in row):
            break
        out.append(row)
    return out


def _key(row: list[str | None]) -> tuple[str, ...]:
    return tuple(squash(t or "") for t in row)


def _anchor_row(cells: Cells, r: int, c: int) -> int | None:
    """The row of the (non-empty) cell that covers column ``c`` of row ``r``."""
    while r >= 0 and cells[r][c] is None:
        r -= 1
    return r if r >= 0 and cells[r][c] else None


def _split_row(before: list[str | None], after: list[str | None], c: int | None, labels: int) -> bool:
    """One printed row cut by the break: one side has nothing in its value cells (a header row,
    with words there, is not a fragment), and the label in column ``c`` goes on after the break
    (``None``: no label after it, the numbers alone went over)."""
    sides = (before[labels:], after[labels:])
    if any(is_label(t or "") for v in sides for t in v):
        return False
    if c is None:
        return not any(sides[0])
    return bool(before[c]) and not _NUMBERED.match(after[c] or "") and any(not any(v) for v in sides)


def _merge_into(before: list[str | None], after: list[str | None], c: int | None, labels: int) -> None:
    if c is not None:
        before[c] = (before[c] or "") + (after[c] or "")
    for j in range(labels, len(before)):
        if not before[j] and after[j]:
            before[j] = after[j]


def rows(grid: Grid) -> Rows:
    """The grid as rows of strings: row-spanned labels repeated, spanned value cells empty."""
    labels = label_columns(grid.cells)
    above = [""] * len(grid.xs)
    out: Rows = []
    for row in grid.cells:
        filled = []
        for c, text in enumerate(row):
            if text is None:
                text = above[c] if c < labels else ""
            above[c] = text
            filled.append(text)
        if any(row):  # a row with no text of its own is spacing
            out.append(filled)
    return out
