"""HTML and DOCX reading speed against the bare library floor on the same files.

Floors: lxml parsing the HTML page (lxml.html.fromstring); for DOCX, unzipping word/document.xml
and parsing it with lxml. Generated documents (the synthetic writers) and, when ../shared is beside
the project, the real HTML pages and the DOCX template. CPU time of one process (per core), the median
of a few rounds, since the machine is shared. Target (issue 13): synthetic HTML read within 5× the lxml parse.
"""

from __future__ import annotations

import statistics
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

import lxml.html
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from _reports import known_report  # noqa: E402
from measures import record  # noqa: E402

from govstats import read_bytes  # noqa: E402
from govstats.reading.formats.docx import docx_rows  # noqa: E402
from govstats.reading.formats.html import html_rows  # noqa: E402
from govstats.synth.documents import to_docx, to_html  # noqa: E402
from govstats.synth.printing import Quirks  # noqa: E402

ROUNDS = 3
REPEAT = 10
HTML_MOST = 5.0  # × the lxml parse, for generated HTML
SHARED = ROOT.parent / "shared" / "corpus"


def generated(writer) -> list[bytes]:
    out = []
    for seed, template in enumerate(("2021", "2019", "hybrid", "2021")):
        quirks = Quirks(encoding="gbk") if writer is to_html and seed == 3 else Quirks()
        out.append(writer(known_report(template, seed=seed), quirks=quirks))
    return out


def html_floor(data: bytes) -> None:
    lxml.html.fromstring(data)


def docx_floor(data: bytes) -> None:
    with zipfile.ZipFile(BytesIO(data)) as z:
        etree.fromstring(z.read("word/document.xml"))


def median(fn, docs: list[bytes]) -> float:
    """CPU seconds for reading every document once, median of ROUNDS (each the mean of REPEAT passes)."""
    times = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(REPEAT):
            for d in docs:
                fn(d)
        times.append((time.process_time() - start) / REPEAT)
    return statistics.median(times)


def main() -> None:
    sets: list[tuple[str, str, list[bytes]]] = [
        ("html", "generated", generated(to_html)),
        ("docx", "generated", generated(to_docx)),
    ]
    if SHARED.is_dir():
        sets.append(
            ("html", "real (../shared)", [p.read_bytes() for p in sorted((SHARED / "real" / "html").glob("*.html"))])
        )
        sets.append(
            ("docx", "template (../shared)", [p.read_bytes() for p in sorted((SHARED / "templates").rglob("*.docx"))])
        )
    print(f"{'format':<7}{'documents':<22}{'n':>3}{'KB':>6}  {'reader':<24}{'reports/s':>10}{'x floor':>9}")
    for fmt, name, docs in sets:
        floor, rows, suffix = (html_floor, html_rows, ".html") if fmt == "html" else (docx_floor, docx_rows, ".docx")
        kb = sum(len(d) for d in docs) / len(docs) / 1024
        base = median(floor, docs)
        readers = [(f"{'lxml parse' if fmt == 'html' else 'unzip + lxml parse'}", floor), (rows.__name__, rows)]
        if name != "template (../shared)":  # the blank template is not a report
            readers.append(("read_bytes (+interpret)", lambda d, s=suffix: read_bytes(d, "x" + s)))
        for label, fn in readers:
            t = base if fn is floor else median(fn, docs)
            print(f"{fmt:<7}{name:<22}{len(docs):>3}{kb:>6.0f}  {label:<24}{len(docs) / t:>10.0f}{t / base:>9.2f}")
            if fn is not floor:
                bound = fmt == "html" and name == "generated" and label.startswith("read_bytes")
                record("html_docx", f"{fmt} {name}: {label}", len(docs) / t, "reports/s", floor=len(docs) / base,
                       basis=readers[0][0], target=f"≤ {HTML_MOST:g}× floor" if bound else "",
                       met=t / base <= HTML_MOST if bound else None)


if __name__ == "__main__":
    main()
