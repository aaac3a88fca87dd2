"""One report per agency and year: which files hold the same report, which one the dataset keeps,
and where the others print different values.

Files hold the same report when they name the same agency (its ``agency_key``) in the same place,
year and scope, and are both real or both synthetic; an unplaced report is only the same as one in
the same folder (鼓楼区人民政府 of two cities are two agencies). The dataset keeps the best read of
them, the canonical report: parsed before metadata-only, then the fewest cells without a number, the
fewest reading errors, the fewest reading warnings, then the format (``FORMAT_ORDER``: structure
read from markup before layout and flattened text), then the path. The order is total, so the choice
is the same on every run and a better file added later takes over.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable

import pandas as pd

from govstats.corpus.places import UNKNOWN

# DOCX and HTML tables carry their cell structure; .doc/.wps are converted (by LibreOffice) to it;
# PDF cells come from positions on the page; text has lost the table (run-together digits).
FORMAT_ORDER = ("docx", "html", "doc", "wps", "pdf", "text")
CHECKS = {
    "copy_disagrees": (
        "error",
        "同一报告的另一文件印有不同数值",
        "another file of the same report prints different values (table.row.column: kept vs other)",
    ),
}
IDENTITY = ("synthetic", "province", "city", "county", "agency_key", "year", "scope")
CHUNK = 20_000  # reports whose cells are compared at a time: memory stays bounded on any corpus


def same_report(versions: pd.DataFrame) -> pd.Series:
    """A key per version: equal for the files of one report (a report's own key when it cannot be told).

    Integers from grouping the identity columns: no key strings, which would cost a national corpus much."""
    v = versions
    named = v["agency_key"].fillna("").ne("") & v["year"].notna()
    folder = v["source_path"].map(os.path.dirname, na_action="ignore").astype("str").where(v["province"] == UNKNOWN, "")
    keys = v[list(IDENTITY)].assign(_folder=folder)
    group = keys.groupby([*IDENTITY, "_folder"], dropna=False, sort=False).ngroup()
    return group.where(named, -1 - pd.Series(range(len(v)), index=v.index))


def canonical(versions: pd.DataFrame) -> pd.Series:
    """report_id -> the report_id of the canonical version of its report (itself when it is canonical).

    ``versions``: report_id, source_path, status, source_format, n_null, read_errors, read_warnings
    and the columns of ``IDENTITY``."""
    order = ["_key", "_metadata_only", "n_null", "read_errors", "read_warnings", "_format", "source_path"]
    v = versions[["report_id", "n_null", "read_errors", "read_warnings", "source_path"]].assign(
        _key=same_report(versions),
        _metadata_only=versions["status"].ne("parsed"),
        _format=versions["source_format"].map({f: i for i, f in enumerate(FORMAT_ORDER)}).fillna(len(FORMAT_ORDER)),
    )
    v = v.sort_values(order, kind="stable")  # only the columns it needs: a national corpus has a million
    first = v.groupby("_key", sort=False)["report_id"].transform("first")
    return pd.Series(first.to_numpy(), index=v["report_id"].to_numpy(), name="canonical")


def copies_of(canon: pd.Series) -> dict[str, list[str]]:
    """Canonical report_id -> its copies' report_ids (reports without copies left out)."""
    copies = canon[canon.index != canon.to_numpy()]
    out: dict[str, list[str]] = defaultdict(list)
    for k, c in zip(copies.index, copies, strict=True):
        out[c].append(k)
    return {c: sorted(ks) for c, ks in out.items()}


def touched_reports(canon: pd.Series, before: dict[str, str], read: set[str]) -> set[str]:
    """Canonical report_ids whose set of files, or choice, is not the last run's (``before``: each
    version -> its canonical then), or that have a file read in this run: their comparisons are redone."""
    now, then = defaultdict(set), defaultdict(set)
    for k, c in zip(canon.index, canon, strict=True):
        now[c].add(k)
    for k, c in before.items():
        then[c].add(k)
    return {c for c, ks in now.items() if then.get(c) != ks or ks & read}


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _chunks(groups: dict[str, list[str]]) -> Iterable[dict[str, list[str]]]:
    part: dict[str, list[str]] = {}
    size = 0
    for c, members in groups.items():
        part[c] = members
        size += 1 + len(members)
        if size >= CHUNK:
            yield part
            part, size = {}, 0
    if part:
        yield part


def disagreements(groups: dict[str, list[str]], paths: dict[str, str],
                  cells_of: Callable[[list[str]], pd.DataFrame]) -> list[dict]:
    """An error finding on each canonical report per copy that prints another number in some cell.

    ``groups``: canonical report_id -> its copies' report_ids; ``paths``: report_id -> file;
    ``cells_of(ids)``: their cells (report_id, table, row, column, value). A cell null in either
    file is not a disagreement: it is a cell one of them could not read."""
    severity, zh, en = CHECKS["copy_disagrees"]
    out = []
    for part in _chunks(groups):
        pairs = pd.DataFrame([(c, k) for c, ks in part.items() for k in ks], columns=["canonical", "copy"])
        cells = cells_of([*part, *pairs["copy"]])
        cells = cells[cells["value"].notna()]
        keys = ["table", "row", "column"]
        kept = cells.rename(columns={"report_id": "canonical", "value": "kept"})
        other = cells.rename(columns={"report_id": "copy", "value": "other"}).merge(pairs, on="copy")
        both = kept.merge(other, on=["canonical", *keys])
        differ = both[(both["kept"] - both["other"]).abs() > 1e-9]
        for (c, k), d in differ.groupby(["canonical", "copy"], sort=False):
            listed = "; ".join(f"{t}.{r}.{col}: {_number(a)} vs {_number(b)}"
                               for t, r, col, a, b in zip(d["table"], d["row"], d["column"], d["kept"], d["other"],
                                                          strict=True))
            tables = d["table"].unique()
            out.append({"report_id": c, "check": "copy_disagrees", "severity": severity,
                        "table": str(tables[0]) if len(tables) == 1 else "", "row": "", "column": "",
                        "expected": None, "printed": None, "message": f"{zh} / {en}: {paths[k]}: {listed}"})
    return sorted(out, key=lambda f: (f["report_id"], f["message"]))
