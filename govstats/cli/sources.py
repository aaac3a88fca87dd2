"""`govstats sources DIR`: the source folders a dataset was built from, their files and last scan."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="the dataset directory")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus.sources import listing

    try:
        table = listing(args.dir)
    except FileNotFoundError as e:
        print(f"govstats sources: {e}", file=sys.stderr)
        return 2
    if table.empty:
        print(f"{args.dir}: no source remembered (a dataset written by an older govstats: ingest its sources again)")
        return 0
    table["present"] = table["present"].map({True: "yes", False: "NOT THERE"})
    print(table.to_string(index=False))
    return 0
