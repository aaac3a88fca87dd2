"""The `govstats` command. Each subcommand lives in its own module, imported only when used,
so that `govstats parse` starts fast."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# name -> (module, one-line help). A module provides add_arguments(parser) and run(args) -> int.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("govstats.cli.parse", "read reports and print a summary or the JSON of spec §7"),
    "validate": ("govstats.cli.parse", "check the accounting identities and print the findings"),
    "synth": ("govstats.cli.synth", "write a synthetic corpus of report documents"),
    "ingest": ("govstats.cli.ingest", "read folders of reports into a Parquet dataset"),
    "sources": ("govstats.cli.sources", "list the source folders of a dataset: files, reports, last scan"),
    "dictionary": ("govstats.cli.dictionary", "print the data dictionary (Markdown or CSV)"),
    "export": ("govstats.cli.export", "write a dataset's tables to Excel or CSV with Chinese headers"),
    "render": ("govstats.cli.render", "render the per-county report notebooks to HTML"),
    "audit": ("govstats.cli.audit", "write the quality table and the flags to Excel or CSV"),
    "review": ("govstats.cli.review", "list the flags to review, or record a decision on one"),
}


def _version() -> str:
    from govstats import __version__

    return __version__


def reason(e: BaseException) -> str:
    """An expected error as one line: its first line, or its type when it says nothing."""
    text = str(e)
    return text.splitlines()[0] if text.strip() else type(e).__name__


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    top = argparse.ArgumentParser(prog="govstats", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_) in SUBCOMMANDS.items():
        sub.add_parser(name, help=help_, add_help=False)
    top.add_argument("--version", action="version", version=f"govstats {_version()}")
    if not argv or argv[0] not in SUBCOMMANDS:
        top.parse_args(argv)  # prints help, the version or a usage error
        top.print_help()
        return 2
    name = argv[0]
    module = importlib.import_module(SUBCOMMANDS[name][0])
    parser = argparse.ArgumentParser(prog=f"govstats {name}", description=SUBCOMMANDS[name][1])
    module.add_arguments(parser, name)
    args = parser.parse_args(argv[1:])
    try:
        return int(module.run(args, name) or 0)
    except KeyboardInterrupt:
        print(f"govstats {name}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a scheduled run's log gets one line, never a traceback (GOVSTATS_DEBUG=1 shows it)
        if os.environ.get("GOVSTATS_DEBUG"):
            raise
        detail = " ".join(str(e).split())[:300]
        print(f"govstats {name}: unexpected {type(e).__name__}: {detail} (GOVSTATS_DEBUG=1 for the traceback; "
              "please report it)", file=sys.stderr)
        return 2

