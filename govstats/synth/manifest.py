"""The files beside a synthetic corpus: ``manifest.csv``/``manifest.json`` (every document, its
template, the defect injected, if any, and the document of the same report it repeats) and ``catalog.csv`` (the columns ``govstats ingest``
reads: path, province, city, county, agency, level, scope, synthetic)."""

from __future__ import annotations

import json
import os

import pandas as pd

MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
CATALOG_CSV = "catalog.csv"
CATALOG_COLUMNS = ["path", "province", "city", "county", "agency", "level", "scope", "synthetic"]
COLUMNS = CATALOG_COLUMNS + ["year", "format", "template", "real_name", "defect", "details", "same_report_as"]


def row(doc) -> dict:
    """One manifest row for a ``generate.Document``."""
    a = doc.agency
    return {
        "path": doc.path,
        "province": a.county.province,
        "city": a.county.city,
        "county": a.county.name,
        "agency": a.name,
        "level": a.level,
        "scope": "own",
        "synthetic": True,
        "year": doc.report.year,
        "format": doc.fmt,
        "template": doc.report.template,
        "real_name": a.real_name,
        "defect": doc.defect,
        "details": doc.details,
        "same_report_as": doc.same_report_as,
    }


def write(out: str, rows: list[dict]) -> pd.DataFrame:
    """Write manifest and catalog under ``out``; the manifest as a DataFrame."""
    df = pd.DataFrame(rows, columns=COLUMNS)
    df.to_csv(os.path.join(out, MANIFEST_CSV), index=False)
    df[CATALOG_COLUMNS].to_csv(os.path.join(out, CATALOG_CSV), index=False)
    with open(os.path.join(out, MANIFEST_JSON), "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=0)
    return df


def read(out: str) -> pd.DataFrame:
    return pd.read_csv(os.path.join(out, MANIFEST_CSV), dtype={"defect": "str", "details": "str", "same_report_as": "str"},
                       keep_default_na=False)
