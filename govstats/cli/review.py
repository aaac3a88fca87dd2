"""`govstats review DIR`: list the flags no one has decided on; `govstats review DIR ID --dismiss
--reviewer 王` (or --confirm, or --correct VALUE [--column C]) records a decision in DIR/reviews.csv."""

from __future__ import annotations

import argparse
import sys

from govstats.cli import reason


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("finding", nargs="?", metavar="ID", help="the finding to decide on (ids are listed without it)")
    decide = parser.add_mutually_exclusive_group()
    decide.add_argument("--confirm", action="store_true", help="the flag is right")
    decide.add_argument("--dismiss", action="store_true", help="the flag is wrong: it leaves the pages")
    decide.add_argument("--correct", type=float, metavar="VALUE", help="the cell's true value (a separate layer)")
    parser.add_argument("--column", help="with --correct on a row's finding: the column to correct")
    parser.add_argument("--reviewer", default="", help="who decides (required with a decision)")
    parser.add_argument("--note", default="", help="why")
    parser.add_argument("--all", action="store_true", help="list decided flags too, with their decision")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus import load
    from govstats.corpus.reviews import record

    try:
        corpus = load(args.dir)
        flags = corpus.flags
    except (OSError, ValueError) as e:
        print(f"govstats review: {reason(e)}", file=sys.stderr)
        return 2
    decision = "confirm" if args.confirm else "dismiss" if args.dismiss else "correct" if args.correct is not None else None
    if args.finding is None:
        if decision:
            print("govstats review: name the finding (ID) to decide on", file=sys.stderr)
            return 2
        shown = flags if args.all else flags[flags["decision"].isna()]
        who = corpus.reports[["report_id", "agency", "year"]].astype({"report_id": str})
        shown = shown.astype({"report_id": str}).merge(who, on="report_id", how="left")
        for f in shown.itertuples(index=False):
            where = ".".join(str(x) for x in (f.table, f.row, f.column) if isinstance(x, str) and x)
            state = f.decision if isinstance(f.decision, str) else "open"
            print(f"{f.finding_id}\t{state}\t{f.agency} {f.year}\t{f.severity}\t{f.check}\t{where}\t{f.message}")
        print(f"{int(flags['decision'].isna().sum())} open of {len(flags)} flags", file=sys.stderr)
        return 0
    if decision is None:
        print("govstats review: say --confirm, --dismiss or --correct VALUE", file=sys.stderr)
        return 2
    try:
        row = record(args.dir, corpus.findings, args.finding, decision, reviewer=args.reviewer, value=args.correct,
                     column=args.column, note=args.note)
    except (OSError, ValueError) as e:
        print(f"govstats review: {reason(e)}", file=sys.stderr)
        return 2
    print(f"recorded: {row['finding_id']} {row['decision']} by {row['reviewer']}", file=sys.stderr)
    return 0
