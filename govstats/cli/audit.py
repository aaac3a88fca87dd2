"""`govstats audit DIR --to FILE.xlsx`: the quality table, the open flags and the decisions taken,
with agency, place and year beside each report id, for people who work in Excel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("--to", required=True, metavar="FILE", help="FILE.xlsx (one sheet each) or FILE.csv")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus import export
    from govstats.corpus.audit import audit_frames

    target = Path(args.to)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        print(f"govstats audit: {target}: use a .xlsx or .csv file name", file=sys.stderr)
        return 2
    try:
        tables = audit_frames(args.dir)
    except (OSError, ValueError) as e:
        print(f"govstats audit: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    try:
        written = export.write(target, tables)
    except export.write_errors() as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else (str(e) or type(e).__name__).splitlines()[0]
        print(f"govstats audit: {target}: cannot write: {reason}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0
