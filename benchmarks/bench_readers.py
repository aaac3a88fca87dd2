"""Reader speed per format on generated documents, against the bare library floor on the same files,
and the start-up of `govstats parse` on one report.

Floors: text = decode + split lines and cells; HTML = lxml parsing the page; PDF = pdfplumber
extracting each page's text; DOCX = python-docx opening the document and reading every cell.
Times are CPU seconds of this one process (reports/s per core); each figure is the median of
several rounds, since the machine is shared. Start-up is the CPU time of `python -m govstats parse`
with compiled bytecode (written by a first run), against the bare interpreter (`python -c pass`).
Run: `make bench` or `python benchmarks/bench_readers.py`.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
import lxml.html
import pdfplumber
from measures import record

from govstats import read_bytes
from govstats.reading.encoding import decode
from govstats.synth.documents import to_html
from govstats.synth.generate import plan, resolve_counties
from govstats.synth.printing import Quirks

# (reports/s per core at least, × the floor at most)
TARGETS = {"txt": (3000, None), "html": (300, 5.0), "docx": (100, None), "pdf": (10, None)}
CMS = Quirks(cms_page=True)
SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "000_f8b21749840a51ab.txt"


def documents(fmt: str, n: int) -> list[bytes]:
    """Generated documents; "html-cms" is the same article inside a county site's page, as most
    published HTML reports are (the bare article page is "html")."""
    base = "html" if fmt == "html-cms" else fmt
    docs = plan(resolve_counties("郏县,宝丰县,叶县"), list(range(2019, 2025)), formats=(base,), seed=11, reports=n)
    if fmt == "html-cms":
        return [to_html(d.report, quirks=CMS, notes=d.notes) for d in docs]
    return [d.render() for d in docs]


def floor_text(data: bytes) -> None:
    for line in decode(data).splitlines():
        line.split("\t")


def floor_html(data: bytes) -> None:
    lxml.html.fromstring(data)


def floor_pdf(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def floor_docx(data: bytes) -> None:
    d = docx.Document(io.BytesIO(data))
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                cell.text  # noqa: B018 (reading is the work measured)


FLOORS: dict[str, Callable[[bytes], None]] = {
    "txt": floor_text, "html": floor_html, "html-cms": floor_html, "pdf": floor_pdf, "docx": floor_docx,
}
FLOOR_NAMES = {"txt": "decode+split", "html": "lxml", "html-cms": "lxml", "pdf": "pdfplumber text", "docx": "python-docx"}


def rate(fn: Callable[[bytes], object], docs: list[bytes], rounds: int) -> float:
    """Median documents per CPU second over ``rounds``."""
    fn(docs[0])
    rates = []
    for _ in range(rounds):
        start = time.process_time()
        for d in docs:
            fn(d)
        rates.append(len(docs) / max(time.process_time() - start, 1e-9))
    return statistics.median(rates)


def startup(path: str, runs: int = 11) -> tuple[float, float]:
    """Median CPU seconds of `python -m govstats parse PATH` and of `python -c pass`, with bytecode
    compiled (PYTHONDONTWRITEBYTECODE unset for these runs, and a first run to write it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def cpu(cmd: list[str]) -> float:
        times = []
        for _ in range(runs + 1):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return statistics.median(times[1:])  # the first run writes the bytecode

    return cpu([sys.executable, "-m", "govstats", "parse", path]), cpu([sys.executable, "-c", "pass"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the number of documents")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    counts = {"txt": 400, "html": 300, "html-cms": 300, "docx": 100, "pdf": 20}
    print(f"{'format':8} {'docs':>5} {'pages':>5} {'govstats/s':>11} {'floor/s':>9} {'ratio':>6}  target")
    for fmt, n in counts.items():
        docs = documents(fmt, max(int(n * args.scale), 2))
        pages = ""
        if fmt == "pdf":
            with pdfplumber.open(io.BytesIO(docs[0])) as pdf:
                pages = str(len(pdf.pages))
        ours = rate(read_bytes, docs, args.rounds)
        floor = rate(FLOORS[fmt], docs, args.rounds)
        least, most = TARGETS[fmt.split("-")[0]]
        target = f"≥ {least}/s per core" + (f", ≤ {most:g}× floor" if most else "")
        met = ours >= least and (most is None or floor / ours <= most)
        print(f"{fmt:8} {len(docs):>5} {pages:>5} {ours:>11.1f} {floor:>9.1f} {floor / ours:>5.1f}×  {target}")
        record("readers", f"read {fmt}, generated", ours, "reports/s", floor=floor, basis=FLOOR_NAMES[fmt],
               target=target, met=met)
    with tempfile.TemporaryDirectory() as tmp:
        seed = SEED if SEED.is_file() else Path(tmp) / "report.txt"
        if seed != SEED:
            seed.write_bytes(documents("txt", 1)[0])
        parse, bare = startup(str(seed))
    print(f"start-up of `govstats parse` on one report: {parse * 1000:.0f} ms CPU "
          f"(the bare interpreter: {bare * 1000:.0f} ms)")
    record("readers", "start-up of `govstats parse`", parse * 1000, "ms", floor=bare * 1000, basis="python -c pass")


if __name__ == "__main__":
    main()
