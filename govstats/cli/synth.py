"""`govstats synth`: write a synthetic corpus of report documents with its manifest and catalog."""

from __future__ import annotations

import argparse
import sys
import time

from govstats.synth.documents import WRITERS


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("--out", required=True, help="folder to write (created if needed)")
    parser.add_argument("--counties", default="郏县", help="comma-separated county names (市/县 when ambiguous), or 'all'")
    parser.add_argument("--years", default="2019-2024", help="e.g. 2019-2024 or 2019,2021")
    parser.add_argument("--formats", default=",".join(WRITERS), help=f"comma-separated, from {','.join(WRITERS)}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--defects", type=float, default=0.0, help="share of documents with one injected defect")
    parser.add_argument("--reports", type=int, default=None, help="stop after this many reports")
    parser.add_argument("--departments", type=int, default=None, help="departments per county (default: all)")
    parser.add_argument("--all-formats", action="store_true",
                        help="write every report in every format (default: one each); ingest counts each once")
    parser.add_argument("--copies", type=float, default=0.0, metavar="SHARE",
                        help="share of reports also published as an attachment in another format (a page and its PDF)")
    parser.add_argument("--exclude", default="", metavar="AGENCY,...",
                        help="agencies to leave out (those of real reports the corpus is mixed with)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.synth.generate import generate_corpus

    if not 0 <= args.defects <= 1:
        print("govstats synth: --defects must be between 0 and 1", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        df = generate_corpus(
            args.out,
            counties=args.counties,
            years=args.years,
            formats=args.formats,
            seed=args.seed,
            defects=args.defects,
            reports=args.reports,
            departments=args.departments,
            all_formats=args.all_formats,
            copies=args.copies,
            exclude=args.exclude,
            workers=args.workers,
        )
    except (ValueError, OSError) as e:
        print(f"govstats synth: {e}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    n_defects = int((df["defect"] != "").sum())
    print(f"{len(df)} documents ({n_defects} with a defect) in {args.out} in {seconds:.1f} s")
    return 0
