"""Recover the numbers of table rows whose cells lost their separators (spec §5: ``640020470``).

Such a row can be read as its cells in many ways; only the accounting identities (spec §4, read
from ``national_format.toml``) can choose between the readings. These functions list the readings,
keep those the identities allow, and accept a value only when no other reading is left: never a guess.

Pure functions: digit strings in, integers out. Typical use (one table)::

    cands = {row: row_candidates("applications", tpl, row, tokens) for row, tokens in damaged.items()}
    sol = solve_table("applications", tpl, cands, fixed=clean_rows)
    sol.values        # every candidate row, when the reading is unique; else None
    sol.accepted      # rows that take one value in every reading (== values when unique)
    sol.unresolved    # rows left without a value: their cells stay null, with a finding

Too many readings never raise: the result says so (``Splits.cut``, ``Solution.status == "too_many"``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from govstats.format import Identity, national_format
from govstats.reading.report import MAX_COUNT

FLAT = "flat"
"""Key of the flat review/litigation row (15 numbers, see ``split_flat_review``) in ``solve_table``."""

_COUNT_DIGITS = len(str(MAX_COUNT))  # the most digits a count has: no reading holds a longer number
_NODE_BUDGET = 200_000  # search steps for one row: far above any real row (a 7-cell row needs < 2,000)
_TABLE_BUDGET = 50_000  # search steps for all the rows of one table read together (real tables need < 1,000)
_LIST_STEPS = 300  # search steps for listing every solution of a table before asking row by row


class Splits(list):
    """Readings of one row, each a tuple of ints; ``cut`` is True when there were more than ``limit``
    (or the search gave up), in which case the list is empty: the row cannot be recovered."""

    def __init__(self, items: Iterable[tuple[int, ...]] = (), *, cut: bool = False) -> None:
        super().__init__(items)
        self.cut = cut


class Budget:
    """Search steps left for a group of searches. The rows of one table share one, so that a
    hostile table (every row a long run of digits) costs what one long row may, not that many
    times over; a search that finds it spent gives up (its row stays unresolved)."""

    def __init__(self, steps: int = _TABLE_BUDGET) -> None:
        self.left = steps


class _Cut(Exception):
    """Internal: stop a search that went over its limit or budget."""


class _Found(Exception):
    """Internal: a table search found a solution (variable -> reading index)."""

    def __init__(self, chosen: dict[int, int]) -> None:
        super().__init__()
        self.chosen = chosen


@dataclass(frozen=True)
class Solution:
    """What the column identities made of a table's candidate rows.

    status: "unique" (one reading), "ambiguous" (several), "none" (no reading satisfies the
    identities: the printed table breaks them, or a row was misread), "too_many" (search budget spent).
    n_solutions: 0, 1 or 2 (= more than one); with "too_many", a lower bound.
    values: every candidate row's value when the reading is unique, else None.
    accepted: rows with the same value in every reading ("unique": == values; "ambiguous": the rows
    the ambiguity does not touch; "none"/"too_many": empty).
    unresolved: candidate rows that got no value (including rows whose candidates were cut).
    """

    status: Literal["unique", "ambiguous", "none", "too_many"]
    n_solutions: int
    values: dict[str, tuple[int, ...]] | None
    accepted: dict[str, tuple[int, ...]] = field(default_factory=dict)
    unresolved: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------------
# Reading digit tokens as numbers


def _digit_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    if isinstance(tokens, str):
        raise TypeError("tokens must be a sequence of digit strings, not one string")
    for tok in tokens:
        if not (tok and tok.isascii() and tok.isdigit()):
            raise ValueError(f"not a digit token: {tok!r}")
    return tuple(tokens)


class _Search:
    """Depth-first reading of digit tokens as ``n`` numbers, with the constraints of one row.

    pins: k -> value. sums: t -> sources, all before t (the value at t is computed, not searched).
    exact: (sources, value): the sources add up to value. finals: (lhs, rhs) index tuples whose sums
    must be equal, checked on complete readings. Running sums of every source group are kept as
    numbers are read, so the prunes below cost O(1) each.
    """

    def __init__(self, toks, n, pins, sums, exact, finals, out, limit, nodes):
        self.toks, self.n, self.pins, self.finals = toks, n, pins, finals
        self.out, self.limit, self.nodes = out, limit, nodes
        self.vals = [0] * n
        self.after = [0] * (len(toks) + 1)  # digits in the tokens after token i
        for i in reversed(range(len(toks))):
            self.after[i] = self.after[i + 1] + len(toks[i])
        self.starts = list(itertools.accumulate((len(t) for t in toks[:-1]), initial=0))
        targets = sorted(sums)
        groups = [set(sums[t]) for t in targets] + [set(src) for src, _ in exact]
        self.total_of = {t: c for c, t in enumerate(targets)}  # k -> group whose sum k equals
        self.limits: list[int | None] = [None] * len(targets) + [v for _, v in exact]
        self.acc = [0] * len(groups)
        self.member = [[c for c, g in enumerate(groups) if k in g] for k in range(n)]
        self.capped = [[c for c in self.member[k] if self.limits[c] is not None] for k in range(n)]
        # The next computed total from k on has at least the digits of its sources' sum so far.
        self.pending = [next((self.total_of[t] for t in targets if t >= k), None) for k in range(n + 1)]
        # From k on, are all numbers left sources of one exact sum? Then what they can add up to
        # (`_sum_range`) must include what is left of it: this prunes long rows hard.
        self.tail = [
            next((len(targets) + i for i, (src, _) in enumerate(exact) if set(range(k, n)) <= set(src)), None)
            for k in range(n + 1)
        ]
        first = next((k for k in range(n + 1) if self.tail[k] is not None), None)
        self.range_of = (
            _sum_range(toks, n - first, max(v for _, v in exact)) if first is not None and first < n else None
        )

    def room(self, k: int, ti: int, end: int) -> bool:
        """Can numbers k..n-1 still be read from (token ti, position end)?"""
        toks, left = self.toks, self.n - k
        if end == len(toks[ti]):
            need, digits = len(toks) - ti - 1, self.after[ti + 1]
        else:
            need, digits = len(toks) - ti, len(toks[ti]) - end + self.after[ti + 1]
        if not need <= left <= digits:
            return False
        c = self.pending[k]
        if c is not None and left - 1 + len(str(self.acc[c])) > digits:
            return False
        c = self.tail[k]
        if c is None or self.range_of is None:
            return True
        low, high = self.range_of[self.starts[ti] + end][left]
        return low <= self.limits[c] - self.acc[c] <= high

    def go(self, k: int, ti: int, p: int) -> None:
        self.nodes[0] -= 1
        if self.nodes[0] < 0:
            raise _Cut
        vals, acc = self.vals, self.acc
        if k == self.n:
            if all(v is None or acc[c] == v for c, v in enumerate(self.limits)) and all(
                sum(vals[j] for j in lhs) == sum(vals[j] for j in rhs) for lhs, rhs in self.finals
            ):
                self.out.append(tuple(vals))
                if len(self.out) > self.limit:
                    raise _Cut
            return
        if p == len(self.toks[ti]):
            ti, p = ti + 1, 0
        tok = self.toks[ti]
        want = self.pins.get(k)
        if k in self.total_of:
            total = acc[self.total_of[k]]
            if want is not None and want != total:
                return
            want = total
        capped = self.capped[k]
        cap = min(self.limits[c] - acc[c] for c in capped) if capped else MAX_COUNT
        cap = min(cap, MAX_COUNT)
        if want is not None:
            digits = str(want)
            options = [(want, p + len(digits))] if want <= cap and tok.startswith(digits, p) else []
        elif tok[p] == "0":
            options = [(0, p + 1)]
        else:
            options = ((int(tok[p:end]), end) for end in range(p + 1, len(tok) + 1))
        member = self.member[k]
        for value, end in options:
            if value > cap:
                break
            vals[k] = value
            for c in member:
                acc[c] += value
            if self.room(k + 1, ti, end):
                self.go(k + 1, ti, end)
            for c in member:
                acc[c] -= value


def _sum_range(toks: Sequence[str], m: int, most: int) -> list[list[tuple[float, float]]]:
    """``[g][j]``: the least and greatest sum of reading the digits from global position g on as j
    numbers of at most ``most`` each ((inf, -inf) when impossible). Dynamic programming over the
    concatenated tokens; a number never crosses a token's end."""
    text = "".join(toks)
    ends = [e for t, e in zip(toks, itertools.accumulate(map(len, toks)), strict=True) for _ in t]
    width = len(str(most))
    none = (math.inf, -math.inf)
    table = [[none] * (m + 1) for _ in range(len(text) + 1)]
    table[len(text)][0] = (0, 0)
    for g in reversed(range(len(text))):
        row = table[g]
        for e in [g + 1] if text[g] == "0" else range(g + 1, min(ends[g], g + width) + 1):
            value = int(text[g:e])
            if value > most:
                break
            nxt = table[e]
            for j in range(1, m + 1):
                lo, hi = nxt[j - 1]
                if lo <= hi:
                    old_lo, old_hi = row[j]
                    row[j] = (min(old_lo, lo + value), max(old_hi, hi + value))
    return table


def _could_sum(head: Sequence[str], m: int, total: int) -> bool:
    """Could the digits of ``head`` be ``m`` numbers adding up to ``total``? A cheap necessary test:
    each number is at most ``total`` (so has at most its digits) and below 10 ** (digits - m + 1)."""
    digits = sum(map(len, head))
    return digits <= m * len(str(total)) and total < m * 10 ** (digits - m + 1)


def _read(
    tokens: Sequence[str],
    n: int,
    *,
    pins: Mapping[int, int] | None = None,
    sums: Mapping[int, tuple[int, ...]] | None = None,
    finals: Sequence[tuple[tuple[int, ...], tuple[int, ...]]] = (),
    limit: int,
    budget: Budget | None = None,
) -> Splits:
    """Every reading of ``tokens`` as ``n`` numbers with ``vals[k] == pins[k]``,
    ``vals[t] == sum(vals[j] for j in sums[t])`` and equal sums over each (lhs, rhs) of ``finals``.

    A computed total in the last place is read first: it is a suffix of the last token, and once it
    is known it bounds the numbers before it, which keeps long rows (7 numbers in 30 digits) cheap."""
    toks = _digit_tokens(tokens)
    pins, sums = dict(pins or {}), dict(sums or {})
    if not toks or n == 0:
        return Splits([()] if not toks and n == 0 else [])
    if sum(map(len, toks)) > n * _COUNT_DIGITS:
        return Splits([])  # more digits than n counts can have: no reading (and no search)
    out: list[tuple[int, ...]] = []
    allowed = _NODE_BUDGET if budget is None else max(min(_NODE_BUDGET, budget.left), 0)
    nodes = [allowed]
    last = n - 1
    try:
        if n > 1 and last in sums and not any(last in lhs + rhs for lhs, rhs in finals):
            src = sums.pop(last)
            pinned = pins.pop(last, None)
            for cut in range(max(len(toks[-1]) - _COUNT_DIGITS, 0), len(toks[-1])):  # a longer total is no count
                suffix = toks[-1][cut:]
                total = int(suffix)
                head = toks[:-1] + ((toks[-1][:cut],) if cut else ())
                if (
                    (suffix[0] == "0" and cut < len(toks[-1]) - 1)
                    or (pinned is not None and total != pinned)
                    or not head
                    or (set(src) == set(range(last)) and not _could_sum(head, last, total))
                ):
                    continue
                found: list[tuple[int, ...]] = []
                search = _Search(head, last, pins, sums, [(src, total)], finals, found, limit - len(out), nodes)
                if search.room(0, 0, 0):
                    search.go(0, 0, 0)
                out.extend(v + (total,) for v in found)
        else:
            search = _Search(toks, n, pins, sums, [], finals, out, limit, nodes)
            if search.room(0, 0, 0):
                search.go(0, 0, 0)
    except _Cut:
        return Splits(cut=True)
    finally:
        if budget is not None:
            budget.left -= allowed - max(nodes[0], 0)
    return Splits(out)


def splits(tokens: Sequence[str], n: int, *, limit: int = 10_000, budget: Budget | None = None) -> Splits:
    """All readings of ``tokens`` (ASCII digit strings, in order) as exactly ``n`` non-negative
    integers: each token holds one or more whole numbers, no number spans two tokens, no leading
    zeros except 0 itself. More than ``limit`` readings: an empty result with ``cut=True``."""
    return _read(tokens, n, limit=limit, budget=budget)


# ------------------------------------------------------------------------------------------------
# One row: readings that satisfy the row identities (I3, I4)


def _identities(table: str, for_each: str) -> list[Identity]:
    return [i for i in national_format().identities if i.table == table and i.for_each == for_each]


def _row_checks(
    table: str, columns: Sequence[str], offset: int = 0
) -> tuple[dict[int, tuple[int, ...]], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The row identities of ``table`` over ``columns`` (placed at ``offset``) as computed totals
    (``sums``: one lhs column after all its rhs columns) or checks on complete readings (``finals``)."""
    pos = {c: offset + i for i, c in enumerate(columns)}
    sums: dict[int, tuple[int, ...]] = {}
    finals = []
    for ident in _identities(table, "row"):
        if not set(ident.lhs) | set(ident.rhs) <= pos.keys():
            continue
        lhs = tuple(pos[c] for c in ident.lhs)
        rhs = tuple(pos[c] for c in ident.rhs)
        if len(lhs) == 1 and lhs[0] not in sums and all(j < lhs[0] for j in rhs):
            sums[lhs[0]] = rhs
        else:
            finals.append((lhs, rhs))
    return sums, finals


def row_candidates(
    table: str,
    template: str,
    row: str,
    tokens: Sequence[str],
    *,
    known: Mapping[str, int | None] | None = None,
    limit: int = 10_000,
    budget: Budget | None = None,
) -> Splits:
    """Readings of one row's ``tokens`` as its columns (printed order, from the template) that
    satisfy the row identities of ``table`` (I3 for applications, I4 for review_litigation, none for
    disclosure). ``tokens`` hold all the row's numbers; ``known`` (column -> int or None) only keeps
    readings where those columns have those values. Over ``limit`` readings: empty, ``cut=True``."""
    columns = national_format().tables[table].row(row, template).columns
    unknown = set(known or {}) - set(columns)
    if unknown:
        raise ValueError(f"{table}.{row} has no column {sorted(unknown)}")
    pins = {columns.index(c): v for c, v in (known or {}).items() if v is not None}
    sums, finals = _row_checks(table, columns)
    return _read(tokens, len(columns), pins=pins, sums=sums, finals=finals, limit=limit, budget=budget)


def _row_holds(table: str, columns: Sequence[str], values: Sequence[int]) -> bool:
    """Whether ``values`` (one per column) satisfy the row identities of ``table``."""
    at = dict(zip(columns, values, strict=True))
    return all(
        sum(at[c] for c in ident.lhs) == sum(at[c] for c in ident.rhs)
        for ident in _identities(table, "row")
        if set(ident.lhs) | set(ident.rhs) <= at.keys()
    )


def readings_with_blanks(
    table: str, template: str, row: str, tokens: Sequence[str], *, blanks: int, limit: int = 10_000,
    budget: Budget | None = None,
) -> Splits:
    """Readings of a row whose digits are too few for its cells because blank cells vanished from
    scraped text (`000000` for seven cells): the digits as ``len(columns) - blanks`` numbers with 0
    at ``blanks`` of the positions (a blank is 0 only where the identities hold with it), kept
    when the row identities hold. Identical readings count once."""
    columns = national_format().tables[table].row(row, template).columns
    base = splits(tokens, len(columns) - blanks, limit=limit, budget=budget)
    if base.cut:
        return Splits(cut=True)
    out: set[tuple[int, ...]] = set()
    for reading in base:
        for where in itertools.combinations(range(len(columns)), blanks):
            values = list(reading)
            for k in where:  # ascending: each 0 lands at its final position
                values.insert(k, 0)
            if _row_holds(table, columns, values):
                out.add(tuple(values))
                if len(out) > limit:
                    return Splits(cut=True)
    return Splits(sorted(out))


def _flat_layout(template: str) -> list[tuple[str, tuple[str, ...]]]:
    """(row, columns) of a flat table's rows, in printed order."""
    spec = national_format().tables["review_litigation"]
    return [(r.code, r.columns) for r in spec.rows_for(template)]


def split_flat_review(
    tokens: Sequence[str], *, template: str = "2021", limit: int = 10_000, budget: Budget | None = None
) -> Splits:
    """Readings of part 四's flat row (review, then litigation without review, then after review;
    5 numbers each) that satisfy I4 in every group: tuples of 15 ints. Pass them to ``solve_table``
    under the key ``FLAT``. Over ``limit`` readings: empty, ``cut=True``."""
    sums: dict[int, tuple[int, ...]] = {}
    finals: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    n = 0
    for _, columns in _flat_layout(template):
        s, f = _row_checks("review_litigation", columns, n)
        sums |= s
        finals += f
        n += len(columns)
    return _read(tokens, n, sums=sums, finals=finals, limit=limit, budget=budget)


# ------------------------------------------------------------------------------------------------
# One table: combinations of row readings that satisfy the column identities (I1, I2)


def _variables(
    table: str,
    template: str,
    candidates: Mapping[str, Sequence[tuple[int, ...]]],
    fixed: Mapping[str, tuple[int, ...]],
) -> tuple[list[tuple[tuple[str, ...], list[tuple[tuple[int, ...], ...]]]], set[str]]:
    """Search variables: (rows, readings as one tuple per row), and the rows whose candidates were cut."""
    widths = {r.code: len(r.columns) for r in national_format().tables[table].rows_for(template)}
    for code, vals in fixed.items():
        if widths.get(code) != len(vals):
            raise ValueError(f"fixed {table}.{code}: not a row of template {template} with {len(vals)} columns")
    variables = []
    cut: set[str] = set()
    seen: set[str] = set()
    for key, cands in candidates.items():
        if key == FLAT:
            if not national_format().tables[table].flat_row:
                raise ValueError(f"{table} has no flat row")
            layout = [(code, len(cols)) for code, cols in _flat_layout(template)]
        elif key in widths:
            layout = [(key, widths[key])]
        else:
            raise ValueError(f"{table}.{key} is not a row of template {template}")
        codes = tuple(code for code, _ in layout)
        if seen & set(codes):
            raise ValueError(f"{table}: rows {sorted(seen & set(codes))} have candidates twice")
        seen |= set(codes)
        if getattr(cands, "cut", False):
            cut |= set(codes)
            continue
        readings = []
        for cand in cands:
            if len(cand) != sum(w for _, w in layout):
                raise ValueError(f"{table}.{key}: candidate {cand} has the wrong number of columns")
            groups, start = [], 0
            for _, w in layout:
                groups.append(tuple(cand[start : start + w]))
                start += w
            if all(fixed.get(code, g) == g for code, g in zip(codes, groups, strict=True)):
                readings.append(tuple(groups))
        variables.append((codes, list(dict.fromkeys(readings))))
    return variables, cut


def _column_terms(table: str, template: str, known_rows: set[str]) -> list[tuple[tuple[str, int], ...]]:
    """Column identities as signed row terms (lhs +1, rhs -1), template rows only; an identity
    naming a row that is neither fixed nor a candidate cannot be checked and is left out."""
    rows = {r.code for r in national_format().tables[table].rows_for(template)}
    out = []
    for ident in _identities(table, "column"):
        terms = tuple((r, 1) for r in ident.lhs if r in rows) + tuple((r, -1) for r in ident.rhs if r in rows)
        if terms and all(r in known_rows for r, _ in terms):
            out.append(terms)
    return out


class _TableSearch:
    """Depth-first search over the candidate rows of one table, listing every combination that
    satisfies the column identities. Each identity is a vector (one entry per column) that must
    come to zero: rows already chosen add a constant, the others a range, and a reading is dropped
    as soon as no choice of the others could bring its identities to zero (interval bounds)."""

    def __init__(self, variables, identities, fixed, budget: int) -> None:
        self.variables, self.nodes = variables, budget
        self.touch = [
            [k for k, terms in enumerate(identities) if any(r in codes for r, _ in terms)] for codes, _ in variables
        ]
        width = next((len(v) for v in fixed.values()), None)
        if width is None:
            width = next((len(g[0]) for _, readings in variables for g in readings), 0)
        self.const = []
        for terms in identities:
            total = [0] * width
            for r, sign in terms:
                if r in fixed:
                    total = [a + sign * x for a, x in zip(total, fixed[r], strict=True)]
            self.const.append(total)
        # contrib[vi][i][j]: what reading i of variable vi adds to identity touch[vi][j]
        self.contrib = [
            [
                [_signed(identities[k], codes, reading, width) for k in self.touch[vi]]
                for reading in readings
            ]
            for vi, (codes, readings) in enumerate(variables)
        ]

    def narrow(self, const, doms):
        """The domains without the readings some identity rules out; None when nothing is left."""
        lo = [list(c) for c in const]
        hi = [list(c) for c in const]
        spans = {}
        for vi, idxs in doms.items():
            if not idxs:
                return None
            cons, span = self.contrib[vi], []
            for j, k in enumerate(self.touch[vi]):
                cols = list(zip(*(cons[i][j] for i in idxs), strict=True))
                vlo, vhi = [min(c) for c in cols], [max(c) for c in cols]
                lo[k] = [a + b for a, b in zip(lo[k], vlo, strict=True)]
                hi[k] = [a + b for a, b in zip(hi[k], vhi, strict=True)]
                span.append((vlo, vhi))
            spans[vi] = span
        if not all(a <= 0 <= b for los, his in zip(lo, hi, strict=True) for a, b in zip(los, his, strict=True)):
            return None
        out = {}
        for vi, idxs in doms.items():
            cons = self.contrib[vi]
            rest = [
                ([a - b for a, b in zip(lo[k], vlo, strict=True)], [a - b for a, b in zip(hi[k], vhi, strict=True)])
                for k, (vlo, vhi) in zip(self.touch[vi], spans[vi], strict=True)
            ]
            keep = [
                i
                for i in idxs
                if all(
                    a + x <= 0 <= b + x
                    for (rlo, rhi), vec in zip(rest, cons[i], strict=True)
                    for a, b, x in zip(rlo, rhi, vec, strict=True)
                )
            ]
            if not keep:
                return None
            out[vi] = keep
        return out

    def add(self, const, vi: int, i: int):
        const = list(const)
        for k, vec in zip(self.touch[vi], self.contrib[vi][i], strict=True):
            const[k] = [a + b for a, b in zip(const[k], vec, strict=True)]
        return const

    def solve(self, doms: dict[int, list[int]]) -> dict[int, int] | None:
        """One solution within ``doms`` (variable -> reading indices), or None."""

        def stop(chosen: dict[int, int]) -> None:
            raise _Found(chosen)

        try:
            self._run(self.const, doms, {}, stop)
        except _Found as found:
            return found.chosen
        return None

    def each(self, doms: dict[int, list[int]], leaf: Callable[[dict[int, int]], None], steps: int) -> bool:
        """Call ``leaf`` on every solution within ``doms``; False when that took more than ``steps``
        (which still count against the budget)."""
        budget = self.nodes
        self.nodes = min(budget, steps)
        try:
            self._run(self.const, doms, {}, leaf)
            return True
        except _Cut:
            return False
        finally:
            self.nodes = budget - (min(budget, steps) - self.nodes)

    def _run(self, const, doms, chosen: dict[int, int], leaf: Callable[[dict[int, int]], None]) -> None:
        self.nodes -= 1
        if self.nodes < 0:
            raise _Cut
        doms = self.narrow(const, doms)
        if doms is None:
            return
        forced = {vi: d[0] for vi, d in doms.items() if len(d) == 1}
        if forced:  # no choice to make: take them all, then narrow again
            for vi, i in forced.items():
                const = self.add(const, vi, i)
            self._run(const, {v: d for v, d in doms.items() if v not in forced}, chosen | forced, leaf)
        elif not doms:
            leaf(chosen)
        else:
            vi = min(doms, key=lambda v: len(doms[v]))
            rest = {v: d for v, d in doms.items() if v != vi}
            for i in doms[vi]:
                self._run(self.add(const, vi, i), rest, chosen | {vi: i}, leaf)


def _signed(terms, codes, reading, width: int) -> list[int]:
    """What the rows of one reading add to one identity, column by column (lhs +, rhs -)."""
    total = [0] * width
    for r, sign in terms:
        if r in codes:
            total = [a + sign * x for a, x in zip(total, reading[codes.index(r)], strict=True)]
    return total


def solve_table(
    table: str,
    template: str,
    candidates: Mapping[str, Sequence[tuple[int, ...]]],
    fixed: Mapping[str, tuple[int, ...]],
    *,
    budget: int = 2_000,
) -> Solution:
    """Choose one reading per candidate row so that the column identities of ``table`` hold (I1, I2
    for applications; review_litigation and disclosure have none, so only single readings resolve).

    ``candidates``: row -> readings (from ``row_candidates``), or ``FLAT`` -> 15-number readings
    (from ``split_flat_review``), split into the three rows by group of five. ``fixed``: rows read
    cleanly (value tuples in template column order); candidates disagreeing with them are dropped.
    A cut candidate list (``Splits.cut``) leaves its rows unresolved, as does any row the identities
    cannot pin down; identities naming a row given in neither argument are not checked.

    Only a unique solution is accepted. When several remain, rows with the same value in all of
    them are still accepted (``Solution.accepted``) and the others stay unresolved. The search finds
    one solution, then for each row asks whether any solution reads it otherwise (depth-first,
    smallest domain first, interval bounds on every identity). Over ``budget`` search steps in all:
    status "too_many", nothing accepted.
    """
    variables, cut = _variables(table, template, candidates, fixed)
    known_rows = set(fixed) | {code for codes, _ in variables for code in codes}
    identities = _column_terms(table, template, known_rows)
    var_rows = [code for codes, _ in variables for code in codes]
    search = _TableSearch(variables, identities, fixed, budget)
    everything = {vi: list(range(len(readings))) for vi, (_, readings) in enumerate(variables)}
    differ: set[str] = set()  # rows that take different values in two solutions
    first: dict[int, int] | None = None

    def compare(chosen: dict[int, int]) -> None:
        nonlocal first
        if first is None:
            first = chosen
            return
        for vi, i in chosen.items():
            codes, readings = variables[vi]
            differ.update(c for c, a, b in zip(codes, readings[first[vi]], readings[i], strict=True) if a != b)

    try:
        # Small searches are simply listed; large ones find one solution, then ask for each row
        # whether any solution reads it otherwise.
        if not search.each(everything, compare, _LIST_STEPS):
            if first is None:
                first = search.solve(everything)
            for vi, (codes, readings) in enumerate(variables):
                for gi, code in enumerate(codes):
                    if first is None or code in differ:
                        continue
                    mine = readings[first[vi]][gi]
                    other = search.solve(everything | {vi: [i for i in everything[vi] if readings[i][gi] != mine]})
                    if other is not None:
                        compare(other)
    except _Cut:
        found = 0 if first is None else 2 if differ else 1
        return Solution("too_many", found, None, {}, tuple(var_rows) + tuple(sorted(cut)))
    if first is None:
        return Solution("none", 0, None, {}, tuple(var_rows) + tuple(sorted(cut)))
    values = {code: v for vi, i in first.items() for code, v in zip(variables[vi][0], variables[vi][1][i], strict=True)}
    accepted = {r: values[r] for r in var_rows if r not in differ}
    unresolved = tuple(r for r in var_rows if r in differ) + tuple(sorted(cut))
    if differ:
        return Solution("ambiguous", 2, None, accepted, unresolved)
    return Solution("unique", 1, values, accepted, unresolved)
