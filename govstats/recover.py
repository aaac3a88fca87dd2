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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from govstats.template import Identity, national_format

FLAT = "flat"
"""Key of the flat review/litigation row (15 numbers, see ``split_flat_review``) in ``solve_table``."""

_NODE_BUDGET = 200_000  # search steps for one row: far above any real row (a 7-cell row needs < 2,000)


class Splits(list):
    """Readings of one row, each a tuple of ints; ``cut`` is True when there were more than ``limit``
    (or the search gave up), in which case the list is empty: the row cannot be recovered."""

    def __init__(self, items: Iterable[tuple[int, ...]] = (), *, cut: bool = False) -> None:
        super().__init__(items)
        self.cut = cut


class _Cut(Exception):
    """Internal: stop a search that went over its limit or budget."""


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


def _read(
    tokens: Sequence[str],
    n: int,
    *,
    pins: Mapping[int, int] | None = None,
    sums: Mapping[int, tuple[int, ...]] | None = None,
    finals: Sequence[tuple[tuple[int, ...], tuple[int, ...]]] = (),
    limit: int,
) -> Splits:
    """Every reading of ``tokens`` as ``n`` numbers with ``vals[k] == pins[k]``,
    ``vals[t] == sum(vals[j] for j in sums[t])`` (sources before ``t``: the value is computed, not
    searched) and ``sum(vals[lhs]) == sum(vals[rhs])`` for each (lhs, rhs) in ``finals``."""
    toks = _digit_tokens(tokens)
    pins = pins or {}
    sums = sums or {}
    if not toks:
        return Splits([()] if n == 0 else [])
    ntok = len(toks)
    after = [0] * (ntok + 1)  # digits in the tokens after index i
    for i in reversed(range(ntok)):
        after[i] = after[i + 1] + len(toks[i])
    # For each position k, the computed total still to come and the sources of it read before k:
    # its digits are at least those of the partial sum, which bounds how long the parts may be.
    pending: list[tuple[int, tuple[int, ...]] | None] = [None] * (n + 1)
    for k in range(n + 1):
        nxt = [t for t in sums if t >= k]
        if nxt:
            t = min(nxt)
            pending[k] = (t, tuple(j for j in sums[t] if j < k))
    out: list[tuple[int, ...]] = []
    vals = [0] * n
    nodes = 0

    def room(k: int, ti: int, end: int) -> bool:
        """Can numbers k..n-1 still be read from (token ti, position end)?"""
        left = n - k
        if end == len(toks[ti]):
            need, digits = ntok - ti - 1, after[ti + 1]
        else:
            need, digits = ntok - ti, len(toks[ti]) - end + after[ti + 1]
        if not need <= left <= digits:
            return False
        pend = pending[k]
        if pend is not None and pend[1]:
            partial = sum(vals[j] for j in pend[1])
            return left - 1 + len(str(partial)) <= digits
        return True

    def go(k: int, ti: int, p: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_BUDGET:
            raise _Cut
        if k == n:
            if all(sum(vals[j] for j in lhs) == sum(vals[j] for j in rhs) for lhs, rhs in finals):
                out.append(tuple(vals))
                if len(out) > limit:
                    raise _Cut
            return
        if p == len(toks[ti]):
            ti, p = ti + 1, 0
        tok = toks[ti]
        want = pins.get(k)
        if k in sums:
            total = sum(vals[j] for j in sums[k])
            if want is not None and want != total:
                return
            want = total
        if want is not None:
            digits = str(want)
            end = p + len(digits)
            if tok.startswith(digits, p):
                vals[k] = want
                if room(k + 1, ti, end):
                    go(k + 1, ti, end)
            return
        for end in (p + 1,) if tok[p] == "0" else range(p + 1, len(tok) + 1):
            vals[k] = int(tok[p:end])
            if room(k + 1, ti, end):
                go(k + 1, ti, end)

    try:
        if room(0, 0, 0):
            go(0, 0, 0)
    except _Cut:
        return Splits(cut=True)
    return Splits(out)


def splits(tokens: Sequence[str], n: int, *, limit: int = 10_000) -> Splits:
    """All readings of ``tokens`` (ASCII digit strings, in order) as exactly ``n`` non-negative
    integers: each token holds one or more whole numbers, no number spans two tokens, no leading
    zeros except 0 itself. More than ``limit`` readings: an empty result with ``cut=True``."""
    return _read(tokens, n, limit=limit)


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
    return _read(tokens, len(columns), pins=pins, sums=sums, finals=finals, limit=limit)


def _flat_layout(template: str) -> list[tuple[str, tuple[str, ...]]]:
    """(row, columns) of a flat table's rows, in printed order."""
    spec = national_format().tables["review_litigation"]
    return [(r.code, r.columns) for r in spec.rows_for(template)]


def split_flat_review(tokens: Sequence[str], *, template: str = "2021", limit: int = 10_000) -> Splits:
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
    return _read(tokens, n, sums=sums, finals=finals, limit=limit)


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


def solve_table(
    table: str,
    template: str,
    candidates: Mapping[str, Sequence[tuple[int, ...]]],
    fixed: Mapping[str, tuple[int, ...]],
    *,
    budget: int = 20_000,
) -> Solution:
    """Choose one reading per candidate row so that the column identities of ``table`` hold (I1, I2
    for applications; review_litigation and disclosure have none, so only single readings resolve).

    ``candidates``: row -> readings (from ``row_candidates``), or ``FLAT`` -> 15-number readings
    (from ``split_flat_review``), split into the three rows by group of five. ``fixed``: rows read
    cleanly (value tuples in template column order); candidates disagreeing with them are dropped.
    A cut candidate list (``Splits.cut``) leaves its rows unresolved, as does any row the identities
    cannot pin down; identities naming a row given in neither argument are not checked.

    The search (smallest domain first, interval bounds on every identity) lists every reading; only
    a unique one is accepted. When several remain, rows with the same value in all of them are
    still accepted (``Solution.accepted``) and the others stay unresolved. Over ``budget`` search
    steps: status "too_many", nothing accepted.
    """
    variables, cut = _variables(table, template, candidates, fixed)
    known_rows = set(fixed) | {code for codes, _ in variables for code in codes}
    identities = _column_terms(table, template, known_rows)
    var_rows = [code for codes, _ in variables for code in codes]
    touching = [
        [k for k, terms in enumerate(identities) if any(r in codes for r, _ in terms)] for codes, _ in variables
    ]
    first: dict[str, tuple[int, ...]] | None = None
    differ: set[str] = set()
    found = 0
    nodes = 0

    def bounds(terms, assigned, doms, skip):
        """Per column, the range of sum(sign * value) over the identity's terms, leaving out var ``skip``."""
        lo = hi = None
        for r, sign in terms:
            if r in assigned:
                v = assigned[r]
                rlo, rhi = v, v
            else:
                vi, gi = owner[r]
                if vi == skip:
                    continue
                col = [g[gi] for g in doms[vi]]
                rlo = tuple(map(min, zip(*col, strict=True)))
                rhi = tuple(map(max, zip(*col, strict=True)))
            if sign < 0:
                rlo, rhi = tuple(-x for x in rhi), tuple(-x for x in rlo)
            if lo is None:
                lo, hi = list(rlo), list(rhi)
            else:
                lo = [a + b for a, b in zip(lo, rlo, strict=True)]
                hi = [a + b for a, b in zip(hi, rhi, strict=True)]
        return lo, hi

    def fits(terms, lo, hi, codes, reading) -> bool:
        for r, sign in terms:
            if r in codes:
                v = reading[codes.index(r)]
                if lo is None:
                    lo, hi = [0] * len(v), [0] * len(v)
                lo = [a + sign * x for a, x in zip(lo, v, strict=True)]
                hi = [a + sign * x for a, x in zip(hi, v, strict=True)]
        return lo is None or all(a <= 0 <= b for a, b in zip(lo, hi, strict=True))

    owner = {code: (vi, gi) for vi, (codes, _) in enumerate(variables) for gi, code in enumerate(codes)}

    def narrow(assigned, doms):
        """Domains with the readings no identity allows removed; None when one is empty or an
        identity over assigned rows fails."""
        for terms in identities:
            if all(r in assigned for r, _ in terms) and not fits(terms, *bounds(terms, assigned, doms, -1), (), ()):
                return None
        out = {}
        for vi, readings in doms.items():
            codes = variables[vi][0]
            checks = [(identities[k], *bounds(identities[k], assigned, doms, vi)) for k in touching[vi]]
            keep = [g for g in readings if all(fits(t, lo, hi, codes, g) for t, lo, hi in checks)]
            if not keep:
                return None
            out[vi] = keep
        return out

    def dfs(assigned, doms):
        nonlocal nodes, found, first
        nodes += 1
        if nodes > budget:
            raise _Cut
        doms = narrow(assigned, doms)
        if doms is None:
            return
        forced = {vi: d[0] for vi, d in doms.items() if len(d) == 1}
        if forced:  # no choice to make: assign them all, then narrow again
            assigned = dict(assigned)
            for vi, reading in forced.items():
                assigned.update(zip(variables[vi][0], reading, strict=True))
            dfs(assigned, {v: d for v, d in doms.items() if v not in forced})
            return
        if not doms:
            found += 1
            sol = {r: assigned[r] for r in var_rows}
            if first is None:
                first = sol
            else:
                differ.update(r for r in var_rows if sol[r] != first[r])
            return
        vi = min(doms, key=lambda v: len(doms[v]))
        rest = {v: d for v, d in doms.items() if v != vi}
        for reading in doms[vi]:
            dfs(assigned | dict(zip(variables[vi][0], reading, strict=True)), rest)

    try:
        dfs(dict(fixed), {vi: readings for vi, (_, readings) in enumerate(variables)})
    except _Cut:
        return Solution("too_many", min(found, 2), None, {}, tuple(var_rows) + tuple(sorted(cut)))
    if first is None:
        return Solution("none", 0, None, {}, tuple(var_rows) + tuple(sorted(cut)))
    accepted = {r: v for r, v in first.items() if r not in differ}
    unresolved = tuple(r for r in var_rows if r in differ) + tuple(sorted(cut))
    if found == 1:
        return Solution("unique", 1, dict(first), accepted, unresolved)
    return Solution("ambiguous", 2, None, accepted, unresolved)
