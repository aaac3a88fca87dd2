"""Cost of recovering run-together rows (govstats.reading.recovery.readings): typical rows, long rows, whole tables.

Usage: python benchmarks/bench_recover.py. CPU milliseconds per call (the median of several runs,
since the machine is shared). Target: a whole table, worst case, under ~50 ms; a
hostile table (every row a long run of random digits) stays within its shared search budget.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from measures import record

from govstats.format import national_format
from govstats.reading.recovery.readings import FLAT, Budget, row_candidates, solve_table, split_flat_review, splits

Z = (0,) * 7
TEMPLATE = "2021"
TABLE_MS = 50.0  # a whole table, worst case
ROWS = [r.code for r in national_format().tables["applications"].rows_for(TEMPLATE)]
BALANCE = ("new_received", "carried_over", "total_processed", "carried_forward")
OUTCOMES = [r for r in ROWS if r not in BALANCE]


def cpu_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times) * 1000


def table(rng: random.Random, nonzero: int, values: Callable[[], int]) -> dict[str, tuple[int, ...]]:
    """A valid applications table with ``nonzero`` outcome rows drawn from ``values``."""
    rows = {r: Z for r in OUTCOMES}
    for r in rng.sample(OUTCOMES, nonzero):
        six = [values() if rng.random() < 0.6 else 0 for _ in range(6)]
        rows[r] = (*six, sum(six))
    processed = tuple(map(sum, zip(*rows.values(), strict=True)))
    return rows | {"new_received": processed, "carried_over": Z, "total_processed": processed, "carried_forward": Z}


def recover(rows: dict[str, tuple[int, ...]]) -> str:
    cands = {r: row_candidates("applications", TEMPLATE, r, ["".join(map(str, v))]) for r, v in rows.items()}
    sol = solve_table("applications", TEMPLATE, cands, {})
    assert sol.values is None or sol.values == rows
    return f"{sol.status}, {sum(len(c) > 1 for c in cands.values())} rows ambiguous alone"


def worst(make: Callable[[random.Random], dict[str, tuple[int, ...]]], n: int) -> tuple[float, str]:
    """The slowest of ``n`` generated tables."""
    rng = random.Random(7)
    slowest, note = 0.0, ""
    for _ in range(n):
        rows = make(rng)
        ms = cpu_ms(lambda rows=rows: recover(rows), runs=2)
        if ms > slowest:
            slowest, note = ms, recover(rows)
    return slowest, note


def main() -> None:
    confusable = (1, 2, 10, 11, 12, 20, 21, 100, 101)
    results = [
        ("row 0000000", cpu_ms(lambda: row_candidates("applications", TEMPLATE, "granted", ["0000000"])), "1 reading"),
        ("row 640020470", cpu_ms(lambda: row_candidates("applications", TEMPLATE, "new_received", ["640020470"])), ""),
        (
            "row of 29 digits",
            cpu_ms(lambda: row_candidates("applications", TEMPLATE, "granted", ["24964261379223553949155418407"])),
            "six 4-digit cells",
        ),
        ("flat review row", cpu_ms(lambda: split_flat_review(["10203120001200000"])), "15 numbers"),
        (
            "solve flat review",
            cpu_ms(lambda: solve_table("review_litigation", TEMPLATE, {FLAT: split_flat_review(["10203120001200000"])}, {})),
            "",
        ),
    ]
    hostile = random.Random(3)
    runs = {r: "".join(hostile.choice("0123456789") for _ in range(63)) for r in ROWS}

    def row(digits: str, budget: Budget | None = None) -> None:
        """What reading a row does: its plain splits (is there one only?), then its identities'."""
        splits([digits], 7, limit=2, budget=budget)
        row_candidates("applications", TEMPLATE, "granted", [digits], budget=budget)

    def hostile_table() -> None:
        budget = Budget()
        for digits in runs.values():
            row(digits, budget)

    results += [
        ("row of 200 digits", cpu_ms(lambda: row("1234567890" * 20)), "more digits than 7 counts have: no search"),
        ("row of 63 random digits", cpu_ms(lambda: row(runs["granted"]), runs=2), "one row's budget"),
        ("table of rows of 63 random digits", cpu_ms(hostile_table, runs=2), f"{len(ROWS)} rows, one shared budget"),
    ]
    rng = random.Random(1)
    typical = table(rng, 5, lambda: rng.randint(0, 30))
    results.append(("table, typical", cpu_ms(lambda: recover(typical)), recover(typical)))
    ms, note = worst(lambda r: table(r, 10, lambda: r.choice(confusable)), 40)
    results.append(("table, confusable (worst of 40)", ms, note))
    ms, note = worst(lambda r: table(r, 12, lambda: r.randint(100, 5000)), 20)
    results.append(("table, 4-digit cells (worst of 20)", ms, note))
    print(f"{'case':38} {'CPU ms':>8}  note")
    for name, ms, note in results:
        print(f"{name:38} {ms:8.2f}  {note}")
        bound = name.startswith("table, ")
        record("recover", name, ms, "ms", target=f"< {TABLE_MS:g} ms" if bound else "",
               met=ms < TABLE_MS if bound else None)


if __name__ == "__main__":
    main()
