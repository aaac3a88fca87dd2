"""`govstats dictionary`: every code of the dataset with its printed Chinese label and meaning."""

from __future__ import annotations

import argparse
import csv
import sys

HEADER = ("kind", "table", "code", "zh", "en")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("--format", choices=("markdown", "csv"), default="markdown")


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus.dictionary import entries

    rows = [(e.kind, e.table, e.code, e.zh, e.en) for e in entries()]
    if args.format == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
        return 0
    print("# govstats data dictionary\n")
    kind = None
    for row in rows:
        if row[0] != kind:
            kind = row[0]
            print(f"\n## {kind}\n\n| table | code | 中文 | meaning |\n|---|---|---|---|")
        print("| " + " | ".join(_md(x) for x in row[1:]) + " |")
    return 0
