"""Arrow tables in flight during an ingest: what this run's reads give (small tables in memory, the
large ones in the scratch area) and the large tables streamed into the dataset's transaction.

Only the rows the across-year and quality checks need stay in memory (a few per report, and the
text signatures of real reports), so the large tables never are."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govstats.corpus import store
from govstats.corpus.jumps import WATCHED
from govstats.corpus.schema import WORKER_SCHEMAS

# what a worker gives per report, besides reports and findings
READ_TABLES = ("cells", "applications", "review_litigation", "signatures")
DATA_TABLES = (*READ_TABLES, "disclosure")  # large: streamed
# What the checks across reports need, kept in memory: the rows compared with the year before (the
# carry-over identity, the year-on-year jumps) and every narrative's signature (copied text).
CARRY_ROWS = pa.array(sorted({"carried_over", "carried_forward"} | {r for t, r, _ in WATCHED if t == "applications"}))
STOCK_ROWS = pa.array(sorted({"normative_documents"} | {r for t, r, _ in WATCHED if t == "disclosure"}))


@cache
def _malloc_trim():
    """glibc's malloc_trim, or None (another C library or system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


def release() -> None:
    """Give memory freed by a phase of the ingest back to the system, so that phases do not stack.

    Arrow's pool keeps freed blocks, and glibc keeps the freed pages of its heap (pandas and pickled
    batches allocate there): measured between phases, about 90 MB per 20,000 reports."""
    pa.default_memory_pool().release_unused()
    if (trim := _malloc_trim()) is not None:
        trim(0)


@contextmanager
def system_memory() -> Iterator[None]:
    """Arrow allocates from the C heap while the block runs, so that `release` gives back what a phase
    freed: Arrow's default pool (mimalloc) kept ~100 MB more at the peak of a 50,000-report ingest."""
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def concat(schema: pa.Schema, parts: list[pa.Table | None]) -> pa.Table:
    """The non-empty ``parts`` as one table of ``schema`` (its empty table when there are none)."""
    parts = [p.select(schema.names).cast(schema) for p in parts if p is not None and p.num_rows]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def keep(table: pa.Table | None, ids) -> pa.Table | None:
    """The rows of ``table`` whose report_id is one of ``ids`` (an Arrow array or any collection)."""
    ids = ids if isinstance(ids, pa.Array) else pa.array(sorted(ids), pa.string())
    return None if table is None else table.filter(pc.is_in(table["report_id"], value_set=ids))


def compact(parts: list[pa.Table], every: int = 256) -> None:
    """Merge many small per-batch tables into one: each Arrow table has a fixed overhead."""
    if len(parts) >= every:
        parts[:] = [pa.concat_tables(parts).combine_chunks()]


def disclosure(cells: pa.Table) -> pa.Table:
    """The disclosure table: the cells of part 二, which the dataset also keeps on their own."""
    return cells.filter(pc.equal(cells["table"], "disclosure")).select(["report_id", "row", "column", "value"])


class Read:
    """What the files read in this run gave: small tables in memory, large ones in the scratch area."""

    def __init__(self, scratch: store.Scratch) -> None:
        self.scratch = scratch
        self.reports: list[pa.Table] = []
        self.findings: list[pa.Table] = []
        self.ids: set[str] = set()

    def add_batch(self, tables: dict[str, pa.Table]) -> None:
        for name in READ_TABLES:
            if name in tables and tables[name].num_rows:
                schema = WORKER_SCHEMAS[name]
                self.scratch.append(name, tables[name].select(schema.names).cast(schema))
        for parts, name in ((self.reports, "reports"), (self.findings, "findings")):
            if name in tables:  # a copy: what came from a worker shares one buffer with the batch's large tables
                parts.append(tables[name].take(pa.array(range(tables[name].num_rows), pa.int32())))
                compact(parts)
        if "reports" in tables:
            self.ids.update(tables["reports"]["report_id"].to_pylist())


class Data:
    """The large tables streamed into a transaction; only the rows the across-year checks need stay in memory."""

    def __init__(self, tx: store.Transaction | None) -> None:
        self.tx, self.carry, self.stock, self.sigs = tx, [], [], []

    def add(self, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self.tx.append(name, table)
        if name == "applications":
            self.carry.append(table.filter(pc.is_in(table["row"], value_set=CARRY_ROWS)))
            compact(self.carry)
        elif name == "disclosure":
            self.stock.append(table.filter(pc.is_in(table["row"], value_set=STOCK_ROWS)))
            compact(self.stock)
        elif name == "signatures":
            self.sigs.append(table)
            compact(self.sigs)

    def stream(self, name: str, batches, ids: pa.Array | None) -> None:
        """Rows of ``ids`` (all rows when None) from ``batches`` of a table a worker gives (disclosure is
        taken from the cells)."""
        for b in batches:
            t = pa.Table.from_batches([b])
            if ids is not None:
                t = t.filter(pc.is_in(b["report_id"], value_set=ids))
            if name in WORKER_SCHEMAS:
                t = t.select(WORKER_SCHEMAS[name].names).cast(WORKER_SCHEMAS[name])
            self.add(name, t)
            if name == "cells":
                self.add("disclosure", disclosure(t))

    def close(self) -> None:
        """Every large table exists, even when empty."""
        for name in DATA_TABLES:
            if name not in self.tx.names:
                schema = WORKER_SCHEMAS.get(name) or disclosure(WORKER_SCHEMAS["cells"].empty_table()).schema
                self.tx.append(name, schema.empty_table())
        self.tx.close()
        release()

    def from_disk(self, out: Path) -> None:
        """Nothing to rewrite: the checks read what is on disk."""
        self.carry.append(store.read(out, "applications", filters=[("row", "in", CARRY_ROWS.to_pylist())]))
        self.stock.append(store.read(out, "disclosure", filters=[("row", "in", STOCK_ROWS.to_pylist())]))
        self.sigs.append(store.read(out, "signatures"))

    def checks_input(self) -> tuple[pd.DataFrame, pd.DataFrame, pa.Table]:
        """carry and stock as frames; the signatures stay Arrow (only real reports' are compared)."""
        carry = [t for t in self.carry if t is not None] or [WORKER_SCHEMAS["applications"].empty_table()]
        stock = [t for t in self.stock if t is not None] or [disclosure(WORKER_SCHEMAS["cells"].empty_table())]
        sigs = concat(WORKER_SCHEMAS["signatures"], self.sigs)
        return pa.concat_tables(carry).to_pandas(), pa.concat_tables(stock).to_pandas(), sigs
