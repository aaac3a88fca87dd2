"""Review of flags (issue 14): a person confirms, dismisses or corrects each warning or error.

Decisions live in ``reviews.csv`` in the dataset folder (UTF-8, one row per decision, the latest
decision on a finding counts), so they survive re-ingests and can be read in Excel. A correction
is a separate layer: the printed value stays in the dataset; ``apply`` gives a table with the
corrected values and a ``corrected`` column saying which rows include a reviewed correction.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

from govstats.format import national_format

FILE = "reviews.csv"
DECISIONS = {
    "confirm": ("确认", "the flag is right"),
    "dismiss": ("驳回", "the flag is wrong: it leaves the pages"),
    "correct": ("更正", "the flag is right and the cell's true value is given"),
}
COLUMNS = ("finding_id", "report_id", "check", "table", "row", "column", "decision", "corrected_value", "reviewer",
           "note", "date")
FLAGGED = ("warning", "error")


_FIGURES = r"\d[\d.,]*%?"


def finding_ids(findings: pd.DataFrame) -> pd.Series:
    """A stable id per finding: from its report, check and cell, or its message when it names no
    cell (an ordinal where these repeat), so that a decision still names its finding after the
    dataset is rebuilt, and never another one."""
    cell = (findings["table"].fillna("").astype(str) + "|" + findings["row"].fillna("").astype(str) + "|"
            + findings["column"].fillna("").astype(str))
    # a finding about the whole report (a missing part, a copy that disagrees) is told by its message,
    # its figures left out: a share or a number of days late that moves on a rebuild is the same flag
    whole = cell == "||"
    message = findings["message"] if "message" in findings else pd.Series("", index=findings.index)
    told = message.fillna("").astype(str).str.replace(_FIGURES, "#", regex=True)
    cell = cell.where(~whole, told.map(lambda m: hashlib.sha1(m.encode()).hexdigest()[:8]))
    key = findings["report_id"].astype(str) + "|" + findings["check"].astype(str) + "|" + cell
    nth = key.groupby(key).cumcount().astype(str)
    return (key + "|" + nth).map(lambda k: hashlib.sha1(k.encode()).hexdigest()[:12])


def read_reviews(dir: str | os.PathLike) -> pd.DataFrame:
    """Every decision recorded for a dataset (empty when none)."""
    path = Path(dir) / FILE
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS})
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["corrected_value"] = pd.to_numeric(df["corrected_value"], errors="coerce")
    return df


def latest(reviews: pd.DataFrame) -> pd.DataFrame:
    """The decision that counts for each finding: the last one recorded."""
    return reviews.drop_duplicates("finding_id", keep="last")


def flags(findings: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """Warnings and errors with their ids and the decision that counts (NA: still open)."""
    f = findings.assign(finding_id=finding_ids(findings))
    f = f[f["severity"].astype(str).isin(FLAGGED)]
    return f.merge(latest(reviews)[["finding_id", "decision", "reviewer", "note"]], on="finding_id", how="left")


def dismissed(reviews: pd.DataFrame) -> set[str]:
    """Ids of findings whose latest decision dismisses them: they leave the pages."""
    last = latest(reviews)
    return set(last.loc[last["decision"] == "dismiss", "finding_id"])


def record(dir: str | os.PathLike, findings: pd.DataFrame, finding_id: str, decision: str, *, reviewer: str,
           value: float | None = None, column: str | None = None, note: str = "", today: date | None = None) -> dict:
    """Append a decision on ``finding_id`` (one of ``findings``) to the dataset's reviews file.

    ``correct`` needs the cell's true value and the cell: the finding's own, or ``column`` of the
    row a row-level finding names. Raises ValueError with a one-line reason otherwise."""
    from filelock import FileLock

    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if not reviewer.strip():
        raise ValueError("a decision needs a reviewer")
    ids = finding_ids(findings)
    hit = findings[ids == finding_id]
    if hit.empty:
        raise ValueError(f"no finding {finding_id} in this dataset")
    f = hit.iloc[0].copy()
    if decision == "correct":
        if value is None:
            raise ValueError("a correction needs the true value (--correct VALUE)")
        f["column"] = f["column"] or column or ""
        if not (f["table"] and f["row"] and f["column"]):
            raise ValueError(f"finding {finding_id} names no single cell: give the column to correct (--column)")
        if f["column"] not in national_format().tables[f["table"]].columns:
            raise ValueError(f"{f['table']} has no column {f['column']}")
        spec = national_format().column(f["table"], f["column"])
        if not spec.decimal and (value != int(value) or (value < 0 and not spec.signed)):
            raise ValueError(f"{f['table']}.{f['column']} holds whole, non-negative counts: {value} is not one")
    row = {"finding_id": finding_id, "report_id": f["report_id"], "check": f["check"], "table": f["table"] or "",
           "row": f["row"] or "", "column": f["column"] or "", "decision": decision,
           "corrected_value": "" if value is None else value, "reviewer": reviewer.strip(), "note": note,
           "date": (today or date.today()).isoformat()}
    path = Path(dir) / FILE
    with FileLock(str(path) + ".lock", timeout=30):
        old = read_reviews(dir)
        new = pd.concat([old, pd.DataFrame([row])], ignore_index=True)[list(COLUMNS)]
        fd, tmp = tempfile.mkstemp(prefix=".reviews.", suffix=".csv", dir=dir)
        os.close(fd)
        try:
            new.to_csv(tmp, index=False, encoding="utf-8")
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return row


def corrections(reviews: pd.DataFrame) -> pd.DataFrame:
    """report_id, table, row, column, value, reviewer, date: the corrections that count."""
    last = latest(reviews)
    c = last[last["decision"] == "correct"]
    return c[["report_id", "table", "row", "column", "corrected_value", "reviewer", "date"]].rename(
        columns={"corrected_value": "value"}).reset_index(drop=True)


FLAG = "has_correction"  # not a format code (part 四 has a column `corrected`)


def apply(frame: pd.DataFrame, table: str, fixes: pd.DataFrame) -> pd.DataFrame:
    """A table of the format, with codes (not display labels), with reviewed corrections applied and
    a ``has_correction`` column: True on rows that include one. Wide (report_id, row, a column per
    format column) or long (report_id, row, column, value) alike. The input is not changed."""
    out = frame.copy()
    out[FLAG] = False
    long = "value" in out and "column" in out
    ids, rows = out["report_id"].astype(str), out["row"].astype(str)
    for rid, r, c, v in fixes.loc[fixes["table"] == table, ["report_id", "row", "column", "value"]].itertuples(index=False):
        at = (ids == rid) & (rows == r) & ((out["column"].astype(str) == c) if long else True)
        target = "value" if long else c
        if target in out and at.any():
            out.loc[at, target] = v
            out.loc[at, FLAG] = True
    return out
