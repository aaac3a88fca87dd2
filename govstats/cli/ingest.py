"""`govstats ingest SRC... --out DIR`: read folders of reports into the Parquet dataset (adding to it).

Exit status: 0 done; 1 with --strict when a file is rejected; 2 bad arguments or the dataset cannot
be written; 3 another ingest is writing DIR (busy)."""

from __future__ import annotations

import argparse
import os
import sys

from govstats.corpus.scan import MAX_SIZE
from govstats.reading.limits import DEFAULT_LIMITS

BUSY = 3


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("sources", nargs="*", metavar="SRC",
                        help="folders (or files) of report documents, added to the dataset (it remembers them)")
    parser.add_argument("--out", required=True, metavar="DIR", help="the dataset directory (created or updated)")
    parser.add_argument("--rescan", action="store_true", help="scan every source the dataset remembers too")
    parser.add_argument("--drop-source", action="append", default=[], metavar="ROOT",
                        help="take the files of a remembered source out of the dataset (repeatable)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="reader processes (default: one per core; 0 reads in this process, without limits "
                             "on memory)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any file was rejected")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="read on this Dask distributed cluster")
    parser.add_argument("--max-size", type=float, default=MAX_SIZE / 2**20, metavar="MiB",
                        help=f"reject files larger than this (default {MAX_SIZE // 2**20} MiB)")
    parser.add_argument("--file-timeout", type=float, default=DEFAULT_LIMITS.file_timeout, metavar="S",
                        help=f"reject a file whose reading takes longer (default {DEFAULT_LIMITS.file_timeout:g} s; "
                             "0: no limit)")
    parser.add_argument("--memory-limit", type=int, default=DEFAULT_LIMITS.memory_mb, metavar="MiB",
                        help=f"address space of each reader process (default {DEFAULT_LIMITS.memory_mb} MiB; "
                             "0: no limit); a file that needs more is rejected")
    parser.add_argument("--wait", type=float, default=0.0, metavar="S",
                        help="when another ingest is writing DIR, wait this long for it (default: exit 3 at once)")
    parser.add_argument("--reread", action="store_true",
                        help="read every file of the scanned sources again (after a reader fix), not only new ones")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--ocr", choices=("auto", "never", "always"), default="auto",
                        help="OCR scanned PDFs and images: auto (pages without a usable text layer), never, always")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.corpus.ingest import ingest
    from govstats.corpus.store import Busy
    from govstats.reading.limits import Limits
    from govstats.reading.read import reader_for

    if not (args.sources or args.rescan or args.drop_source):
        print("govstats ingest: give SRC, --rescan or --drop-source ROOT", file=sys.stderr)
        return 2
    missing = [s for s in args.sources if not os.path.exists(s)]
    if missing:
        print(f"govstats ingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    limits = Limits(file_timeout=args.file_timeout, memory_mb=args.memory_limit)
    try:
        summary = ingest(args.sources, args.out, rescan=args.rescan, drop=args.drop_source, workers=args.workers,
                         scheduler=args.scheduler, max_size=int(args.max_size * 2**20), limits=limits, wait=args.wait,
                         progress=not args.quiet, reader=reader_for(args.ocr),
                         reread=args.reread)
    except Busy as e:
        print(f"govstats ingest: {e} (exit {BUSY}; --wait S to wait for it)", file=sys.stderr)
        return BUSY
    except ValueError as e:
        print(f"govstats ingest: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # source files never raise (they become ledger rows): this is the dataset folder
        print(f"govstats ingest: cannot write the dataset {e.filename or args.out}: {e.strerror or e}",
              file=sys.stderr)
        return 2
    print(summary.text(), file=sys.stderr)
    return 1 if args.strict and summary.rejected_total else 0
