"""Loading the dataset: pandas DataFrames with categorical codes and 32-bit counts, read only as needed.

Every table is read on first use, and only the rows asked for: ``load(dir, counties=["郏县"], years=[2023])``
pushes the filters into the Parquet scan of ``reports``, then reads the other tables' rows of those
reports only. Codes (report ids, places, table/row/column codes, states) are categoricals and counts
32-bit, to keep memory small (benchmarks/bench_load.py measures it). ``Corpus.sql`` runs DuckDB on
views of the files (filtered the same way) without loading anything into pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from govstats.corpus import store
from govstats.corpus.dictionary import FORMATS, LEDGER_STATUSES, LEVELS, SCOPES, SEVERITIES, STATES, labels
from govstats.corpus.schema import FILES, all_column_codes, all_row_codes, columns, row_codes
from govstats.format import TABLES, TEMPLATES, national_format
from govstats.reading.report import ORIGINS

# table -> {column: categories}; None: this table's row codes; (): whatever values the file holds.
_REPORT_CODES: dict[str, tuple[str, ...] | None] = {
    "report_id": (), "agency": (), "status": (), "province": (), "city": (), "county": (), "template": TEMPLATES,
    "source_format": tuple(FORMATS), "level": tuple(LEVELS), "scope": tuple(SCOPES)}
_CATEGORIES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "reports": _REPORT_CODES,
    "copies": _REPORT_CODES,  # files holding another file's report: the reports' columns
    "applications": {"report_id": (), "row": None},
    "review_litigation": {"report_id": (), "row": None},
    "disclosure": {"report_id": (), "row": None, "column": columns("disclosure")},
    "findings": {"report_id": (), "check": (), "severity": tuple(SEVERITIES)},
    "ledger": {"status": tuple(LEDGER_STATUSES)},
    "cells": {"report_id": (), "table": TABLES, "row": all_row_codes(), "column": all_column_codes(),
              "state": tuple(STATES), "origin": tuple(ORIGINS)},
}
# Columns always read, whatever ``columns`` asks for: a table's rows mean nothing without them.
_KEYS = ("report_id", "table", "row", "column")
# Counts of the format tables are stored as int64 and held as Arrow-backed int32 (zero-copy from the
# scan, a validity bit per value); a file with a count outside int32, which no real report prints, is
# read as 64-bit rather than overflow.
_COUNT_TABLES = ("applications", "review_litigation")
_BATCH = 1 << 18  # rows converted at a time
_MAPPER = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.ArrowDtype(pa.int32()), pa.float64(): pd.Float64Dtype(),
           pa.bool_(): pd.BooleanDtype()}


def _as_list(values) -> list | None:
    if values is None:
        return None
    if isinstance(values, str | int):
        return [values]
    return list(values)


def _dataset(path: Path, name: str, counts: bool) -> ds.Dataset:
    """One file as an Arrow dataset: code columns read as dictionaries, counts cast to int32 as they are read."""
    cats = [c for c in _CATEGORIES.get(name, {}) if c != "report_id" or name != "ledger"]
    fmt = ds.ParquetFileFormat(read_options={"dictionary_columns": cats})

    def field(f: pa.Field) -> pa.Field:
        if f.name in cats:
            return pa.field(f.name, pa.dictionary(pa.int32(), f.type))
        return pa.field(f.name, pa.int32()) if counts and name in _COUNT_TABLES and f.type == pa.int64() else f

    return ds.dataset(path, format=fmt, schema=pa.schema([field(f) for f in pq.read_schema(path)]))


def _scan(path: Path, name: str, columns: list[str] | None) -> pd.DataFrame:
    """The whole file, converted to pandas one batch at a time, so that memory peaks at the frame plus a batch."""
    for counts in (True, False):
        scanner = _dataset(path, name, counts).scanner(columns=columns, batch_size=_BATCH, use_threads=False)
        try:
            return _from_batches(scanner.to_batches(), scanner.projected_schema, name)
        except pa.ArrowInvalid:  # a count beyond int32: read it as 64-bit; any other error is raised as it is
            if not counts:
                raise
    raise AssertionError("unreachable: the 64-bit read returns or raises")


def _from_batches(batches, schema: pa.Schema, name: str) -> pd.DataFrame:
    """Columns built from each batch's pieces: categoricals unioned, Arrow-backed columns chunked (no copy)."""
    from pandas.api.types import union_categoricals

    pieces: dict[str, list] = {}
    for batch in batches:
        for i, field in enumerate(batch.schema):
            col = batch.column(i)
            if pa.types.is_dictionary(field.type):
                codes = col.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                piece = pd.Categorical.from_codes(codes, categories=pd.Index(col.dictionary.to_pandas(),
                                                                             dtype=object).astype(str))
            else:
                piece = pa.chunked_array([col]).to_pandas(types_mapper=_MAPPER.get)
            pieces.setdefault(field.name, []).append(piece)
        del batch
    if not pieces:  # an empty table keeps its columns and types
        return _to_pandas(schema.empty_table(), name)
    out = {}
    for column in schema.names:
        parts = pieces.pop(column)
        if isinstance(parts[0], pd.Categorical):
            out[column] = pd.Series(union_categoricals(parts) if len(parts) > 1 else parts[0])
        else:
            out[column] = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
        del parts
    pa.default_memory_pool().release_unused()
    return _finish(pd.DataFrame(out, copy=False), name)


def _normalize(table: pa.Table, name: str) -> pa.Table:
    """A DuckDB result in the shape of a scan: code columns as dictionaries, counts as int32 when they fit."""
    for i, f in enumerate(table.schema):
        col = table.column(i)
        if f.name in _CATEGORIES.get(name, {}) and not pa.types.is_dictionary(f.type):
            table = table.set_column(i, f.name, col.dictionary_encode())
        elif name in _COUNT_TABLES and f.type == pa.int64() and len(col):
            lo, hi = pc.min_max(col).values()
            if lo.as_py() is None or (lo.as_py() >= -(2**31) and hi.as_py() < 2**31):
                table = table.set_column(i, f.name, col.cast(pa.int32()))
    return table


def _finish(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Code columns in their documented order; ``synthetic`` a plain bool."""
    for col, order in _CATEGORIES.get(name, {}).items():
        if col not in df or not isinstance(df[col].dtype, pd.CategoricalDtype):
            continue
        if order == ():
            df[col] = df[col].cat.remove_unused_categories()
        else:
            df[col] = df[col].cat.set_categories(list(row_codes(name) if order is None else order))
    if "synthetic" in df:
        df["synthetic"] = df["synthetic"].fillna(False).astype(bool)
    return df


def _to_pandas(table: pa.Table, name: str) -> pd.DataFrame:
    df = table.to_pandas(types_mapper=_MAPPER.get, self_destruct=True, split_blocks=True)  # frees Arrow as it goes
    del table
    return _finish(df, name)


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
    """The tables of one dataset directory, each read on first use; ``sql`` queries the files with DuckDB.

    With filters (places, years), every table holds the rows of the matching reports only, and so do
    the views ``sql`` sees; the ledger keeps the files of those reports.
    """

    def __init__(self, root: Path, labels: str | None = None, where: dict[str, list] | None = None,
                 columns: list[str] | None = None, dataset: Path | None = None) -> None:
        self.root = root  # the folder of the committed version the tables are read from
        self.dataset = dataset or root  # the dataset folder (its reviews file lives there)
        self.labels = labels
        self.where = {k: v for k, v in (where or {}).items() if v is not None}
        self.columns = columns

    # -- reading -------------------------------------------------------------------------------------
    def _columns(self, name: str) -> list[str] | None:
        if self.columns is None:
            return None
        have = pq.read_schema(store.path_of(self.root, name)).names
        return [c for c in have if c in _KEYS or c in self.columns]

    def _read(self, name: str) -> pd.DataFrame:
        """One table's rows as a DataFrame.

        Unfiltered: a Parquet scan converted batch by batch. Filtered: DuckDB, whose scan of a million
        reports' ids is several times faster than Arrow's; a file sorted by place with its own place
        columns (render's working copy) is pruned to the row groups of the place asked for."""
        path = self._table_path(name)
        columns = self._columns(name)
        if not self.where:
            return _scan(path, name, columns)
        import duckdb

        con = duckdb.connect()
        try:
            con.execute(f"create view reports as {self._view('reports')}")
            cols = "*" if columns is None else ", ".join(f'"{c}"' for c in columns)
            table = con.sql(f"select {cols} from ({self._view(name)})").to_arrow_table()
        finally:
            con.close()
        return _to_pandas(_normalize(table, name), name)

    def _load(self, name: str) -> pd.DataFrame:
        df = self._read(name)
        return _relabel(name, df, self.labels) if self.labels else df

    @cached_property
    def reports(self) -> pd.DataFrame:
        return self._load("reports")

    @cached_property
    def applications(self) -> pd.DataFrame:
        return self._load("applications")

    @cached_property
    def disclosure(self) -> pd.DataFrame:
        return self._load("disclosure")

    @cached_property
    def review_litigation(self) -> pd.DataFrame:
        return self._load("review_litigation")

    @cached_property
    def findings(self) -> pd.DataFrame:
        return self._load("findings")

    @cached_property
    def ledger(self) -> pd.DataFrame:
        return self._load("ledger")

    @cached_property
    def copies(self) -> pd.DataFrame:
        """Files holding another file's report (a page and its attachment): their own reads."""
        return self._load("copies")

    @cached_property
    def cells(self) -> pd.DataFrame:
        """Every printed cell (long), the largest table: filter the load, or query it with ``sql``."""
        return self._load("cells")

    @cached_property
    def quality(self) -> pd.DataFrame:
        """One row per report: parts present, identity breaks, text-table mismatches, copied share,
        publication and days late, year-on-year jumps, and the score (govstats.corpus.quality)."""
        return self._load("quality")

    # -- review of flags -----------------------------------------------------------------------------
    @cached_property
    def reviews(self) -> pd.DataFrame:
        """Every decision on a flag (`govstats review`), oldest first; the latest per finding counts."""
        from govstats.corpus.reviews import read_reviews

        return read_reviews(self.dataset)

    @cached_property
    def flags(self) -> pd.DataFrame:
        """Warnings and errors with their ids and the decision that counts (NA: not reviewed yet).
        Pages leave dismissed flags out."""
        from govstats.corpus.reviews import flags

        return flags(self.findings, self.reviews)

    @cached_property
    def corrections(self) -> pd.DataFrame:
        """Reviewed corrections of the loaded reports, beside the printed values (which stay printed):
        report_id, table, row, column, value, reviewer, date, and the printed value."""
        from govstats.corpus.reviews import corrections

        fixes = corrections(self.reviews)
        fixes = fixes[fixes["report_id"].isin(self.reports["report_id"].astype(str))]
        if fixes.empty:
            return fixes.assign(printed=pd.Series(dtype="Float64"))
        ids = ", ".join(_literal(r) for r in sorted(set(fixes["report_id"])))
        printed = []
        for table in sorted(set(fixes["table"])):  # from the format's tables: a render copy has no cells table
            t = self.sql(f"select * from {table} where report_id in ({ids})")
            if "value" not in t:
                columns = [c for c in national_format().tables[table].columns if c in t]
                t = t.melt(id_vars=["report_id", "row"], value_vars=columns, var_name="column")
            printed.append(t[["report_id", "row", "column", "value"]].assign(table=table))
        keys = ["report_id", "table", "row", "column"]
        printed = pd.concat(printed, ignore_index=True).rename(columns={"value": "printed"}).astype({c: str for c in keys})
        return fixes.merge(printed.astype({"printed": "Float64"}), on=keys, how="left")

    def with_corrections(self) -> Corpus:
        """The same corpus with reviewed corrections applied to applications, review_litigation and
        disclosure (each with a ``has_correction`` column), for metrics that should include them;
        metrics then count, per figure, the reports it includes a correction of. This corpus is not
        changed; without corrections it is returned as it is."""
        if self.corrections.empty:
            return self
        other = Corpus(self.root, self.labels, self.where, self.columns, dataset=self.dataset)
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("root", "labels")})
        for table in ("applications", "review_litigation", "disclosure"):
            other.__dict__[table] = self.corrected(table)
        return other

    def corrected(self, table: str) -> pd.DataFrame:
        """``table`` (applications, review_litigation or disclosure) with reviewed corrections applied
        and a ``has_correction`` column marking the rows that include one, so that every figure made
        from it can say so. The printed table (``corpus.<table>``) is not changed. Corrections name
        codes, so they are applied before display labels."""
        from govstats.corpus.reviews import apply

        fixed = apply(self._read(table), table, self.corrections)
        return _relabel(table, fixed, self.labels) if self.labels else fixed

    # -- SQL -----------------------------------------------------------------------------------------
    def _table_path(self, name: str) -> Path:
        """A table's file in the loaded version; a clear error when the version has gone (ingests since
        the load replaced it and it was cleaned up an hour later) or the table does not exist."""
        path = store.path_of(self.root, name)
        if path.exists():
            return path
        if self.root != Path(self.dataset) and store.snapshot(Path(self.dataset)) != self.root:
            raise FileNotFoundError(f"{self.dataset}: the version this corpus was loaded from has been replaced by "
                                    f"a newer ingest and removed: load the dataset again")
        raise FileNotFoundError(f"{self.root}: no {name} table here")

    def _view(self, name: str) -> str:
        """SQL of one table's rows: the filters on reports (or on the file's own place and year columns,
        when it has them), report ids of the filtered reports elsewhere."""
        path = store.path_of(self.root, name)
        scan = f"select * from read_parquet('{path.as_posix().replace(chr(39), chr(39) * 2)}')"
        if not self.where:
            return scan
        have = set(pq.read_schema(path).names)
        if name == "reports" or set(self.where) <= have:
            terms = [f"{col} in ({', '.join(_literal(v) for v in values)})" for col, values in self.where.items()]
            return f"{scan} where {' and '.join(terms)}"
        return f"{scan} where report_id in (select report_id from reports)"

    def sql(self, query: str) -> pd.DataFrame:
        """Run DuckDB SQL on views of the Parquet files, named as the attributes; nothing is loaded first."""
        import duckdb

        self._table_path("reports")  # the loaded version is still there
        con = duckdb.connect()
        try:
            for name in FILES:
                if store.path_of(self.root, name).exists():
                    con.execute(f"create view {name} as {self._view(name)}")
            return con.execute(query).df()
        finally:
            con.close()

    def __repr__(self) -> str:
        where = "".join(f", {k}={v!r}" for k, v in self.where.items())
        return f"Corpus({str(self.root)!r}{where})"


def _literal(value) -> str:
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def load(dir: str | Path, *, labels: str | None = None, provinces: Iterable[str] | str | None = None,
         cities: Iterable[str] | str | None = None, counties: Iterable[str] | str | None = None,
         years: Iterable[int] | int | None = None, columns: Iterable[str] | None = None) -> Corpus:
    """Open the dataset written by `govstats ingest` at ``dir``.

    ``provinces``, ``cities``, ``counties`` and ``years`` keep the reports placed there (each a name or a
    list; they combine with "and"), and every other table keeps those reports' rows; ``columns`` reads
    only those columns (plus each table's keys). ``labels="zh"|"en"`` for display labels.
    """
    root = Path(dir)
    if labels not in (None, "zh", "en"):
        raise ValueError(f"labels must be None, 'zh' or 'en', not {labels!r}")
    folder = store.snapshot(root)  # the committed version, every table from it; a reader never writes
    if not store.path_of(folder, "reports").exists():
        raise FileNotFoundError(f"{root}: no dataset here (run `govstats ingest SRC --out {root}`)")
    if "agency_key" not in pq.read_schema(store.path_of(folder, "reports")).names:
        raise FileNotFoundError(f"{root}: a dataset written by an older govstats "
                                f"(run `govstats ingest SRC --out {root}` again)")
    where = {"province": _as_list(provinces), "city": _as_list(cities), "county": _as_list(counties),
             "year": _as_list(years)}
    return Corpus(folder, labels, where, None if columns is None else list(columns), dataset=root)


def county_scope(dir: str | Path, county: str, *, province: str | None = None, city: str | None = None,
                 year: int | None = None) -> tuple[str, str, int, list[int]]:
    """Where ``county`` is and which years a page on it covers: ``(province, city, year, years)``,
    ``year`` the latest with reports unless given and ``years`` those up to it (a page of 2022 shows
    no later trend). A county name found in several places needs ``province`` and ``city``."""
    places = load(dir, columns=["province", "city", "county", "year"], counties=county, provinces=province or None,
                  cities=city or None).reports
    if places.empty:
        raise ValueError(f"no reports placed in county {county!r}")
    where = places[["province", "city"]].drop_duplicates()
    if len(where) > 1:
        found = "; ".join(f"{p}{c}" for p, c in where.itertuples(index=False))
        raise ValueError(f"county {county!r} is in several places ({found}): set province and city")
    year = int(places["year"].max()) if year is None else int(year)
    years = sorted(int(y) for y in places["year"].dropna().unique() if y <= year)
    return str(where["province"].iloc[0]), str(where["city"].iloc[0]), year, years
