"""Loading the dataset: pandas DataFrames with categorical codes and nullable integers, fast.

Only the small tables are read by `load`; `cells` (one row per printed cell) is read on first use.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from govstats.corpus import store
from govstats.corpus.dictionary import FORMATS, LEDGER_STATUSES, LEVELS, SCOPES, SEVERITIES, STATES, labels
from govstats.corpus.schema import FILES, all_column_codes, all_row_codes, columns, row_codes
from govstats.format import TABLES, TEMPLATES
from govstats.reading.report import ORIGINS

# table -> {column: categories}; a None entry means "this table's row codes".
_CATEGORIES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "reports": {"template": TEMPLATES, "source_format": tuple(FORMATS), "level": tuple(LEVELS), "scope": tuple(SCOPES)},
    "copies": {"template": TEMPLATES, "source_format": tuple(FORMATS), "level": tuple(LEVELS), "scope": tuple(SCOPES)},
    "applications": {"row": None},
    "review_litigation": {"row": None},
    "disclosure": {"row": None, "column": columns("disclosure")},
    "findings": {"severity": tuple(SEVERITIES)},
    "ledger": {"status": tuple(LEDGER_STATUSES)},
    "cells": {"table": TABLES, "row": all_row_codes(), "column": all_column_codes(), "state": tuple(STATES),
              "origin": tuple(ORIGINS)},
}
_MAPPER = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _frame(path: Path, name: str) -> pd.DataFrame:
    cats = _CATEGORIES.get(name, {})
    table = pq.read_table(path, read_dictionary=list(cats))
    df = table.to_pandas(types_mapper=_MAPPER.get, self_destruct=True, split_blocks=True)  # frees Arrow as it goes
    del table
    for col, order in cats.items():
        order = row_codes(name) if order is None else order
        df[col] = df[col].cat.set_categories(list(order))
    if name in ("reports", "copies"):
        df["synthetic"] = df["synthetic"].astype(bool)
    return df


def _relabel(name: str, df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes -> display labels: categories renamed, wide value columns renamed."""
    df = df.copy()
    table_of = {"applications": "applications", "review_litigation": "review_litigation", "disclosure": "disclosure"}
    if name in table_of:
        t = table_of[name]
        df["row"] = df["row"].cat.rename_categories(lambda c: labels("row", lang, t).get(c, c))
        if "column" in df:
            df["column"] = df["column"].cat.rename_categories(lambda c: labels("column", lang, t).get(c, c))
        df = df.rename(columns=labels("column", lang, t))
    kinds = {"level": "level", "scope": "scope", "severity": "severity", "state": "state", "origin": "origin"}
    if name == "ledger":
        kinds["status"] = "ledger_status"
    for col, kind in kinds.items():
        if col in df and isinstance(df[col].dtype, pd.CategoricalDtype):
            df[col] = df[col].cat.rename_categories(lambda c, k=kind: labels(k, lang).get(c, c))
    return df


class Corpus:
    """The tables of one dataset directory; `sql` queries the Parquet files with DuckDB."""

    def __init__(self, root: Path, labels: str | None = None) -> None:
        self.root = root
        self.labels = labels
        self.reports = self._load("reports")
        self.applications = self._load("applications")
        self.disclosure = self._load("disclosure")
        self.review_litigation = self._load("review_litigation")
        self.findings = self._load("findings")
        self.ledger = self._load("ledger")
        self.copies = self._load("copies")

    def _load(self, name: str) -> pd.DataFrame:
        df = _frame(store.path_of(self.root, name), name)
        return _relabel(name, df, self.labels) if self.labels else df

    @cached_property
    def cells(self) -> pd.DataFrame:
        """Every printed cell (long): read on first access, as it is the largest table."""
        return self._load("cells")

    def sql(self, query: str) -> pd.DataFrame:
        """Run DuckDB SQL over the Parquet files; tables are named as the attributes."""
        import duckdb

        con = duckdb.connect()
        try:
            for name in FILES:
                p = store.path_of(self.root, name).as_posix().replace("'", "''")
                con.execute(f"create view {name} as select * from read_parquet('{p}')")
            return con.execute(query).df()
        finally:
            con.close()

    def __repr__(self) -> str:
        return f"Corpus({str(self.root)!r}: {len(self.reports)} reports, {len(self.ledger)} files)"


def load(dir: str | Path, *, labels: str | None = None) -> Corpus:
    """Open the dataset written by `govstats ingest` at ``dir``; ``labels="zh"|"en"`` for display labels."""
    root = Path(dir)
    if labels not in (None, "zh", "en"):
        raise ValueError(f"labels must be None, 'zh' or 'en', not {labels!r}")
    folder = store.snapshot(root)  # the committed version, every table from it; a reader never writes
    if not store.path_of(folder, "reports").exists():
        raise FileNotFoundError(f"{root}: no dataset here (run `govstats ingest SRC --out {root}`)")
    gone = [n for n in FILES if not store.path_of(folder, n).exists()]
    if gone:
        raise FileNotFoundError(f"{root}: no {gone[0]}.parquet: written by an older govstats? "
                                f"(run `govstats ingest SRC --out {root}` again)")
    return Corpus(folder, labels)
