"""`govstats parse` and `govstats validate`: read report files, print a summary, the JSON of
spec §7, or the findings. Bad input: one line on stderr naming the file and the reason, exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from govstats.reading.checks import uncorroborated
from govstats.reading.limits import DEFAULT_LIMITS, Limits, TimeLimit, Watch
from govstats.reading.read import read_report
from govstats.reading.report import MAX_SIZE, NotAReport, Report


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files (text, HTML, PDF, DOCX, PNG/JPEG/TIFF)")
    parser.add_argument("--ocr", choices=("auto", "never", "always"), default="auto",
                        help="OCR scanned PDFs and images: auto (pages without a usable text layer), never, always")
    if name == "parse":
        parser.add_argument("--json", action="store_true", help="print the JSON of spec §7: one object per line (JSON Lines)")
    parser.add_argument("--max-size", type=float, default=MAX_SIZE / 2**20, metavar="MiB",
                        help=f"reject files larger than this (default {MAX_SIZE // 2**20} MiB, as ingest)")
    parser.add_argument("--file-timeout", type=float, default=DEFAULT_LIMITS.file_timeout, metavar="S",
                        help=f"give up on a file whose reading takes longer (default {DEFAULT_LIMITS.file_timeout:g} s, "
                             f"as ingest, plus {DEFAULT_LIMITS.ocr_page:g} s a page sent to OCR; 0: no limit)")


def _summary(report: Report) -> str:
    apps = report.tables()["applications"]
    n = apps.get("new_received", {}).get("total")
    t = apps.get("total_processed", {}).get("total")
    errors = sum(f.severity == "error" for f in report.findings)
    warnings = sum(f.severity == "warning" for f in report.findings)
    synthetic = " [synthetic]" if report.synthetic else ""
    return (f"{report.source_path}: {report.agency or '?'} {report.year or '?'}, template {report.template or '-'}, "
            f"{report.status}{synthetic}; applications new {n}, processed {t}; "
            f"{errors} errors, {warnings} warnings, {len(uncorroborated(report))} uncorroborated values")


def _provenance(report: Report) -> str:
    """How the values were obtained, and how many no identity corroborates."""
    origins = Counter(c.origin for c in report.cells.values() if c.value is not None)
    parts = ", ".join(f"{n} {o}" for o, n in origins.most_common())
    return f"{sum(origins.values())} values ({parts}); {len(uncorroborated(report))} uncorroborated"


def _findings_table(report: Report) -> list[str]:
    lines = [f"{report.source_path}\tvalues\t\t\t{_provenance(report)}"]
    for f in report.findings:
        where = ".".join(x for x in (f.table, f.row, f.column) if x)
        lines.append(f"{report.source_path}\t{f.severity}\t{f.check}\t{where}\t{f.message}")
    return lines


def _progress(path: str, watch: Watch, limits: Limits):
    """Each OCR page extends the file's time limit; its progress goes to stderr on a terminal (logs get
    the result lines alone)."""
    shown = sys.stderr.isatty()

    def progress(page: int, pages: int) -> None:
        watch.extend(limits.ocr_page)
        if shown:
            print(f"govstats: {path}: OCR page {page}/{pages}", file=sys.stderr, flush=True)

    return progress


def run(args: argparse.Namespace, name: str) -> int:
    status = 0
    any_error = False
    limits = Limits(file_timeout=args.file_timeout)
    watch = Watch(limits, hard=False)
    for path in args.paths:
        try:
            with watch.file():
                report = read_report(path, ocr=args.ocr, progress=_progress(path, watch, limits),
                                     max_size=int(args.max_size * 2**20))
        except (NotAReport, TimeLimit) as e:
            print(f"govstats: {path}: {e if isinstance(e, NotAReport) else limits.time_reason()}", file=sys.stderr)
            status = 2
            continue
        if name == "parse":
            if args.json:
                print(json.dumps(report.to_dict(), ensure_ascii=False))  # one line per file: JSON Lines
            else:
                print(_summary(report))
        else:
            lines = _findings_table(report)
            print("\n".join(lines) if len(lines) > 1 else f"{lines[0]}\n{path}\tok\t\t\tno findings")
            any_error = any_error or any(f.severity == "error" for f in report.findings)
    if status:
        return status
    return 1 if any_error else 0
