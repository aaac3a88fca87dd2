"""The dataset's tables: file names, Arrow schemas, and the row and column codes of the template tables.

Codes come from the national format (govstats.format); this module only names the tables.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from govstats.format import TABLES, national_format

FILES = ("reports", "cells", "applications", "disclosure", "review_litigation", "findings", "ledger", "copies",
         "signatures", "quality")


@cache
def columns(table: str) -> tuple[str, ...]:
    """The value columns of a template table, in printed order."""
    return tuple(national_format().tables[table].columns)


@cache
def row_codes(table: str) -> tuple[str, ...]:
    """Every row code of a template table over all templates, in printed order, once each."""
    seen: dict[str, None] = {}
    for r in national_format().tables[table].rows:
        seen.setdefault(r.code, None)
    return tuple(seen)


def _distinct(codes_of) -> tuple[str, ...]:
    """Codes over every table, in table then printed order, once each."""
    return tuple(dict.fromkeys(code for t in TABLES for code in codes_of(t)))


@cache
def all_column_codes() -> tuple[str, ...]:
    return _distinct(columns)


@cache
def all_row_codes() -> tuple[str, ...]:
    return _distinct(row_codes)


def _wide_schema(table: str) -> pa.Schema:
    return pa.schema([("report_id", pa.string()), ("row", pa.string())] + [(c, pa.int64()) for c in columns(table)])


_S = pa.string()
_F = pa.float64()
# What a worker produces per batch (places, counts and source_path are added at the edge).
WORKER_SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [("report_id", _S), ("agency", _S), ("year", pa.int64()), ("template", _S), ("status", _S),
         ("source_format", _S), ("synthetic", pa.bool_()), ("title", _S), ("n_null", pa.int64()),
         ("parts", _S), ("published", _S)]
    ),
    # the MinHash signature of each report's narrative (govstats.corpus.similarity), for copied text
    "signatures": pa.schema([("report_id", _S), ("signature", pa.list_(pa.uint32()))]),
    "cells": pa.schema(
        [("report_id", _S), ("table", _S), ("row", _S), ("column", _S), ("value", _F), ("state", _S), ("raw", _S), ("origin", _S),
         ("confidence", _F)]
    ),
    "applications": _wide_schema("applications"),
    "review_litigation": _wide_schema("review_litigation"),
    "findings": pa.schema(
        [("report_id", _S), ("check", _S), ("severity", _S), ("table", _S), ("row", _S), ("column", _S),
         ("expected", _F), ("printed", _F), ("message", _S)]
    ),
}
PLACE_COLUMNS = ("province", "city", "county", "level", "scope")
REPORTS_SCHEMA = pa.schema(
    list(WORKER_SCHEMAS["reports"])
    + [pa.field("source_path", _S)]
    + [pa.field(c, _S) for c in PLACE_COLUMNS]
    + [pa.field("agency_key", _S), pa.field("n_errors", pa.int64()), pa.field("n_warnings", pa.int64())]
)
# The quality table (govstats.corpus.quality): one row per report.
_I = pa.int32()
QUALITY_SCHEMA = pa.schema(
    [("report_id", _S), ("parts_present", _I), ("parts_missing", _S), ("parts_silent", _I), ("identity_breaks", _I),
     ("text_table_mismatches", _I), ("uncorroborated_rows", _I), ("unread", _I),
     ("copied_share", _F), ("similar_to", _S),
     ("copied_kind", _S), ("published", _S), ("days_late", _I), ("yoy_jumps", _I), ("score", _I)]
)
# Files holding another file's report: the columns of reports (their counts are of their own reading)
# and the report they are a copy of.
COPIES_SCHEMA = pa.schema(list(REPORTS_SCHEMA) + [pa.field("copy_of", _S)])
# path as text (bytes that are not UTF-8 as \xNN); raw_path: the exact bytes of such a path, else null.
LEDGER_SCHEMA = pa.schema(
    [("path", _S), ("raw_path", pa.binary()), ("sha256", _S), ("size", pa.int64()), ("mtime_ns", pa.int64()),
     ("status", _S), ("reason", _S), ("report_id", _S)]
)
