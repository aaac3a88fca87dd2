"""Ruled tables from rule segments: cell rectangles bounded by real rules, grouped into tables.

The algorithm is pdfplumber's table finder with explicit lines (MIT licence; after Nurminen's
thesis and Tabula), written out here over plain tuples so that every PDF backend, and the OCR of a
scanned page, gets the same tables from its rules: rules within 3 points are snapped to their
average, collinear rules with gaps under 3 points joined, rules shorter than 3 points dropped; the
crossings of horizontal and vertical rules (within 3 points) are the corners, and a cell is the
smallest rectangle of corners joined by rules on all four sides; cells sharing a corner make one
table, and a "table" of a single cell is a frame, not a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
_SNAP = 3.0
_JOIN = 3.0
_MIN_LENGTH = 3.0
_CROSS = 3.0


@dataclass(frozen=True)
class Rule:
    """A horizontal ("h": ``at`` is its top, ``start``/``end`` its x0/x1) or vertical ("v": ``at``
    is its x0, ``start``/``end`` its top/bottom) rule segment."""

    orientation: str
    at: float
    start: float
    end: float


@dataclass
class Table:
    cells: list[Box]

    @property
    def bbox(self) -> Box:
        c = self.cells
        return (min(b[0] for b in c), min(b[1] for b in c), max(b[2] for b in c), max(b[3] for b in c))


def find_tables(rules: list[Rule]) -> list[Table]:
    """The tables the rules draw, top to bottom (then left to right)."""
    v = [r for r in rules if r.orientation == "v"]
    h = [r for r in rules if r.orientation == "h"]
    if len(v) < 2 or len(h) < 2:
        return []
    merged = [r for r in _merge(v + h) if r.end - r.start >= _MIN_LENGTH]
    return [Table(cells) for cells in _tables(_cells(_crossings(merged)))]


def _snap(rules: list[Rule]) -> list[Rule]:
    """Rules whose positions lie within the tolerance of the previous one form a cluster; each moves
    to its cluster's average position."""
    values = sorted({r.at for r in rules})
    cluster: dict[float, int] = {}
    k, last = -1, None
    for x in values:
        if last is None or x > last + _SNAP:
            k += 1
        cluster[x] = k
        last = x
    out: list[Rule] = []
    for _, group in groupby(sorted(rules, key=lambda r: cluster[r.at]), key=lambda r: cluster[r.at]):
        members = list(group)
        avg = sum(r.at for r in members) / len(members)
        out.extend(Rule(r.orientation, r.at + (avg - r.at), r.start, r.end) for r in members)
    return out


def _merge(rules: list[Rule]) -> list[Rule]:
    """Snapped rules, joined where collinear pieces overlap or nearly touch."""
    snapped = _snap([r for r in rules if r.orientation == "v"]) + _snap([r for r in rules if r.orientation == "h"])
    out: list[Rule] = []
    for _, group in groupby(sorted(snapped, key=lambda r: (r.orientation, r.at)), key=lambda r: (r.orientation, r.at)):
        line = sorted(group, key=lambda r: r.start)
        joined = [line[0]]
        for r in line[1:]:
            last = joined[-1]
            if r.start <= last.end + _JOIN:
                if r.end > last.end:
                    joined[-1] = Rule(last.orientation, last.at, last.start, r.end)
            else:
                joined.append(r)
        out.extend(joined)
    return out


def _crossings(rules: list[Rule]) -> dict[tuple[float, float], tuple[set[Rule], set[Rule]]]:
    """Corner point -> (vertical rules, horizontal rules) through it."""
    out: dict[tuple[float, float], tuple[set[Rule], set[Rule]]] = {}
    vs = sorted((r for r in rules if r.orientation == "v"), key=lambda r: (r.at, r.start))
    hs = sorted((r for r in rules if r.orientation == "h"), key=lambda r: (r.at, r.start))
    for v in vs:
        for h in hs:
            if v.start <= h.at + _CROSS and v.end >= h.at - _CROSS and h.start - _CROSS <= v.at <= h.end + _CROSS:
                point = (v.at, h.at)
                vset, hset = out.setdefault(point, (set(), set()))
                vset.add(v)
                hset.add(h)
    return out


def _cells(crossings: dict[tuple[float, float], tuple[set[Rule], set[Rule]]]) -> list[Box]:
    """For each corner, the smallest rectangle to its lower right whose sides are all rules."""

    def joined(p: tuple[float, float], q: tuple[float, float]) -> bool:
        if p[0] == q[0] and crossings[p][0] & crossings[q][0]:
            return True
        return p[1] == q[1] and bool(crossings[p][1] & crossings[q][1])

    points = sorted(crossings)
    out: list[Box] = []
    for i, pt in enumerate(points[:-1]):
        rest = points[i + 1 :]
        below = [p for p in rest if p[0] == pt[0]]
        right = [p for p in rest if p[1] == pt[1]]
        found = None
        for b in below:
            if not joined(pt, b):
                continue
            for r in right:
                if not joined(pt, r):
                    continue
                corner = (r[0], b[1])
                if corner in crossings and joined(corner, r) and joined(corner, b):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            out.append(found)
    return out


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: a cell joins the table it shares a corner with."""
    remaining = list(cells)
    corners: set[tuple[float, float]] = set()
    current: list[Box] = []
    tables: list[list[Box]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in own):
                corners.update(own)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(current)
            corners, current = set(), []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
