"""`govstats export DIR --to FILE.xlsx|FILE.csv`: the dataset's tables with Chinese headers, for Excel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("--to", required=True, metavar="FILE", help="FILE.xlsx (one sheet per table) or FILE.csv")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus import export

    target = Path(args.to)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        print(f"govstats export: {target}: use a .xlsx or .csv file name", file=sys.stderr)
        return 2
    try:
        tables = export.frames(args.dir)
    except FileNotFoundError as e:
        print(f"govstats export: {e}", file=sys.stderr)
        return 2
    try:
        written = export.write(target, tables)
    except export.write_errors() as e:  # permissions, a full disk, openpyxl refusing a value: one line
        reason = e.strerror if isinstance(e, OSError) and e.strerror else (str(e) or type(e).__name__).splitlines()[0]
        print(f"govstats export: {target}: cannot write: {reason}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0
