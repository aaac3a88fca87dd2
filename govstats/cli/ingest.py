"""`govstats ingest SRC... --out DIR`: read folders of reports into the Parquet dataset."""

from __future__ import annotations

import argparse
import os
import sys

from govstats.corpus.scan import MAX_SIZE


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("sources", nargs="+", metavar="SRC", help="folders (or files) of report documents")
    parser.add_argument("--out", required=True, metavar="DIR", help="the dataset directory (created or updated)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="reader processes (default: one per core; 0 reads in this process)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any file was rejected")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="read on this Dask distributed cluster")
    parser.add_argument("--max-size", type=float, default=MAX_SIZE / 2**20, metavar="MiB",
                        help=f"reject files larger than this (default {MAX_SIZE // 2**20} MiB)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--ocr", choices=("auto", "never", "always"), default="auto",
                        help="OCR scanned PDFs and images: auto (pages without a usable text layer), never, always")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus.ingest import ingest
    from govstats.reading.read import reader_for

    missing = [s for s in args.sources if not os.path.exists(s)]
    if missing:
        print(f"govstats ingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        summary = ingest(args.sources, args.out, workers=args.workers, scheduler=args.scheduler,
                         max_size=int(args.max_size * 2**20), progress=not args.quiet, reader=reader_for(args.ocr))
    except OSError as e:  # source files never raise (they become ledger rows): this is the dataset folder
        print(f"govstats ingest: cannot write the dataset {e.filename or args.out}: {e.strerror or e}",
              file=sys.stderr)
        return 2
    print(summary.text(), file=sys.stderr)
    return 1 if args.strict and summary.rejected_total else 0
