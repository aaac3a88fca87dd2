"""`govstats export DIR --to FILE.xlsx|FILE.csv`: the dataset's tables with Chinese headers, for Excel.

An .xlsx gets one sheet per table, named by the data dictionary (format tables as the national format
names them). CSV holds one table per file, so FILE.csv becomes FILE_reports.csv, FILE_applications.csv,
… (UTF-8 with BOM, which Excel needs to show Chinese).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger", "copies")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("--to", required=True, metavar="FILE", help="FILE.xlsx (one sheet per table) or FILE.csv")


def headers(lang: str = "zh") -> dict[str, str]:
    """Dataset column -> header: the dictionary's field labels (format columns are relabelled on load)."""
    from govstats.corpus.dictionary import FIELDS

    return {code: zh if lang == "zh" else en for code, (zh, en) in FIELDS.items()}


def frames(dir: str) -> dict[str, object]:
    """Tables with Chinese labels and headers, in export order."""
    from govstats.corpus.dataset import load

    corpus = load(dir, labels="zh")
    return {name: getattr(corpus, name).rename(columns=headers()) for name in TABLES}


def _write(target: Path, tables: dict) -> list[Path]:
    from govstats.corpus.dictionary import table_label

    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".xlsx":
        import pandas as pd

        tmp = target.with_name(f".{target.stem}.partial.xlsx")  # a failed write leaves no half workbook
        try:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                for t, df in tables.items():
                    df.to_excel(xl, sheet_name=table_label(t), index=False)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        return [target]
    written = []
    for t, df in tables.items():
        path = target.with_name(f"{target.stem}_{t}.csv")
        df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def _write_errors() -> tuple[type[Exception], ...]:
    from openpyxl.utils import exceptions as xl

    return OSError, ValueError, xl.IllegalCharacterError, xl.SheetTitleException, xl.InvalidFileException


def run(args: argparse.Namespace, name: str) -> int:
    target = Path(args.to)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        print(f"govstats export: {target}: use a .xlsx or .csv file name", file=sys.stderr)
        return 2
    try:
        tables = frames(args.dir)
    except FileNotFoundError as e:
        print(f"govstats export: {e}", file=sys.stderr)
        return 2
    try:
        written = _write(target, tables)
    except _write_errors() as e:  # permissions, a full disk, openpyxl refusing a value: one line
        reason = e.strerror if isinstance(e, OSError) and e.strerror else (str(e) or type(e).__name__).splitlines()[0]
        print(f"govstats export: {target}: cannot write: {reason}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0
