"""PDF reading speed against the pdfplumber floor (bare ``extract_text`` of every page) on the same files.

Generated documents (the synthetic PDF writer, tables split over pages) and, when ../shared is
beside the project, the real PDFs. CPU time of one process (per core), the median of a few rounds,
since the machine is shared. Prints reports/s, the five-page equivalent, the
ratio to the floor and the speed-up over it (issue 13: the pdfium backend at least 4× the floor on
the real PDFs), for both backends.
"""

from __future__ import annotations

import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from _reports import known_report  # noqa: E402
from measures import record  # noqa: E402

from govstats import read_bytes  # noqa: E402
from govstats.reading.formats.pdf import pdf_rows  # noqa: E402
from govstats.synth.documents import to_pdf  # noqa: E402
from govstats.synth.printing import Quirks  # noqa: E402

ROUNDS = 3
PDFIUM_LEAST = 4.0  # × faster than the floor, on the real PDFs
REAL = ROOT.parent / "shared" / "corpus" / "real"


def generated() -> list[bytes]:
    out = []
    for seed, template in enumerate(("2021", "2019", "hybrid", "2021")):
        quirks = Quirks(page_break_in_table=seed % 2 == 0, footer_in_table=seed == 3)
        out.append(to_pdf(known_report(template, seed=seed), quirks=quirks))
    return out


def floor(data: bytes) -> None:
    with pdfplumber.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def pages(data: bytes) -> int:
    with pdfplumber.open(BytesIO(data)) as pdf:
        return len(pdf.pages)


def median(fn, docs: list[bytes]) -> float:
    """CPU seconds for reading every document once, median of ROUNDS."""
    times = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for d in docs:
            fn(d)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    sets = {"generated": generated()}
    if REAL.is_dir():
        sets["real (../shared)"] = [p.read_bytes() for p in sorted(REAL.rglob("*.pdf"))]
    print(f"{'documents':<18}{'n':>3}{'pages':>7}  {'reader':<26}{'reports/s':>10}{'5-page/s':>10}{'x floor':>9}{'speed-up':>9}")
    for name, docs in sets.items():
        n_pages = sum(pages(d) for d in docs)
        base = median(floor, docs)
        for label, fn in (
            ("pdfplumber extract_text", floor),
            ("pdf_rows (pdfium)", lambda d: pdf_rows(d, "pdfium")),
            ("pdf_rows (pdfminer)", lambda d: pdf_rows(d, "pdfminer")),
            ("read_bytes (+interpret)", lambda d: read_bytes(d, "x.pdf")),
        ):
            t = base if fn is floor else median(fn, docs)
            per_page = t / n_pages
            print(
                f"{name:<18}{len(docs):>3}{n_pages / len(docs):>7.1f}  {label:<26}"
                f"{len(docs) / t:>10.1f}{1 / (5 * per_page):>10.1f}{t / base:>9.2f}{base / t:>8.1f}×"
            )
            if fn is not floor:
                bound = label == "pdf_rows (pdfium)" and name.startswith("real")
                record("pdf", f"{name}: {label}", len(docs) / t, "reports/s", floor=len(docs) / base,
                       basis="pdfplumber text", target=f"≤ {1 / PDFIUM_LEAST:g}× floor" if bound else "",
                       met=base / t >= PDFIUM_LEAST if bound else None)


if __name__ == "__main__":
    main()
