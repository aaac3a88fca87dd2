"""``govstats render``: one HTML report per county, in parallel, skipping counties whose data did not change.

Scheduled use (cron): ``govstats render --all --data data/processed --out reports`` after each ingest;
unchanged counties cost a hash each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govstats.cli import reason
from govstats.render.batch import DEFAULT_TEMPLATE


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--county", help="county name, or 省/市/县 when the name exists in several provinces")
    which.add_argument("--all", action="store_true", help="every county placed in the dataset")
    years = parser.add_mutually_exclusive_group()
    years.add_argument("--year", type=int, help="report year (default: each county's latest)")
    years.add_argument("--every-year", action="store_true", help="one report per county and year")
    parser.add_argument("--data", type=Path, default=Path("data/processed"), help="dataset written by govstats ingest (default data/processed)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="output directory (default reports/)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler (tcp://HOST:PORT) to render on a cluster")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="papermill template notebook")
    parser.add_argument("--force", action="store_true", help="render even counties whose data did not change")


def run(args: argparse.Namespace, name: str) -> int:
    from govstats.render.batch import DiskFull, render_batch

    template: Path = args.template.resolve()
    data: Path = args.data.resolve()
    if not template.is_file():
        print(f"govstats {name}: {template}: template notebook not found", file=sys.stderr)
        return 2
    try:
        done = render_batch(data, args.out, county=args.county, year=args.year, every_year=args.every_year,
                            workers=args.workers, scheduler=args.scheduler, template=template, force=args.force,
                            echo=lambda line: print(line, flush=True))
    except DiskFull as e:
        print(f"govstats {name}: {args.out}: {e.strerror or 'no space left on device'}; stopped, the pages "
              f"written before are complete", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        why = reason(e)
        print(f"govstats {name}: {why if str(data) in why else f'{data}: {why}'}", file=sys.stderr)
        return 2
    print(f"{done.rendered} rendered, {done.failed} failed, {done.unchanged} unchanged; index: {done.index.resolve()}")
    return 1 if done.failed else 0
