"""`govstats export DIR --to FILE.xlsx|FILE.csv`: the dataset's tables with Chinese headers, for Excel."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from govstats.cli import reason


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("--to", required=True, metavar="FILE", help="FILE.xlsx (one sheet per table) or FILE.csv")


def write_tables(command: str, dir: str, to: str, tables_of: Callable[[str], dict]) -> int:
    """Write the tables ``tables_of(dir)`` gives to an .xlsx or CSV files; every failure is one line
    on stderr and exit 2 (an unknown extension, no dataset, permissions, a full disk, a value openpyxl
    refuses). Shared by `govstats export` and `govstats audit`."""
    from govstats.corpus import export

    target = Path(to)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        print(f"govstats {command}: {target}: use a .xlsx or .csv file name", file=sys.stderr)
        return 2
    try:
        tables = tables_of(dir)
    except (OSError, ValueError) as e:
        print(f"govstats {command}: {reason(e)}", file=sys.stderr)
        return 2
    try:
        written = export.write(target, tables)
    except export.write_errors() as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else reason(e)
        print(f"govstats {command}: {target}: cannot write: {why}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus import export

    return write_tables(name, args.dir, args.to, export.frames)
