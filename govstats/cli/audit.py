"""`govstats audit DIR --to FILE.xlsx`: the quality table, the open flags and the decisions taken,
with agency, place and year beside each report id, for people who work in Excel."""

from __future__ import annotations

import argparse

from govstats.cli.export import write_tables


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("--to", required=True, metavar="FILE", help="FILE.xlsx (one sheet each) or FILE.csv")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus.workbook import audit_frames

    return write_tables(name, args.dir, args.to, audit_frames)
