"""OCR of scanned PDFs and images (rapidocr-onnxruntime; skipped, saying why, when it is not
installed). Scans are made here by the project's scanner from the synthetic writer's PDFs, and only
a few pages are OCR'd, to keep the suite fast. Accuracy on the real reports is in bench_ocr."""

from __future__ import annotations

from io import BytesIO

import pytest

from govstats import NotAReport, read_bytes
from govstats.reading import read
from govstats.reading.formats import ocr
from govstats.reading.formats.ocr_confusions import candidate
from govstats.reading.formats.pdf import pdf_rows
from govstats.reading.report import Finding
from govstats.synth.documents import to_pdf
from govstats.synth.scanner import scan_pages, scan_pdf
from tests._reports import known_report

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed (pip install --no-deps rapidocr-onnxruntime)")


@pytest.fixture(scope="module")
def known():
    return known_report("2021", seed=7)


@pytest.fixture(scope="module")
def scanned(known):
    return scan_pdf(to_pdf(known), seed=3)


@pytest.fixture(scope="module")
def ocr_report(scanned):
    pages = []
    report = read_bytes(scanned, "scan.pdf", progress=lambda page, n: pages.append((page, n)))
    return report, pages


@needs_ocr
def test_a_scanned_report_reads_with_every_wrong_value_warned(known, ocr_report):
    got, pages = ocr_report
    assert pages and pages[-1][0] == pages[-1][1] == len(pages)  # progress: every page, in order
    assert (got.agency, got.year, got.template) == (known.agency, known.year, "2021")
    values = {k: c for k, c in known.cells.items() if c.value is not None}
    exact = sum(got.value(*k) == c.value for k, c in values.items())
    assert exact >= 0.95 * len(values)
    warned = {(f.table, f.row) for f in got.findings if f.severity != "info"}
    columns_warned = {(f.table, f.column) for f in got.findings if f.severity != "info" and f.column and not f.row}
    silent = [k for k, c in values.items() if got.value(*k) not in (None, c.value)
              and (k[0], k[1]) not in warned and (k[0], k[2]) not in columns_warned and (k[0], "") not in warned]
    assert silent == []
    read_cells = [c for c in got.cells.values() if c.origin == "ocr"]
    assert read_cells and all(0 < c.confidence <= 1 for c in read_cells)
    assert "read_by_ocr" in {f.check for f in got.findings}


@needs_ocr
def test_ocr_values_in_part_two_are_warned(ocr_report):
    """Part 二 has no identities: no value read by OCR there stands uncorroborated without a warning."""
    got, _ = ocr_report
    loose = {(c.table, c.row) for c in got.cells.values() if c.table == "disclosure" and c.origin == "ocr"}
    flagged = {(f.table, f.row) for f in got.findings if f.check == "uncorroborated_value"}
    assert loose and loose <= flagged


def test_never_means_needs_ocr(scanned):
    with pytest.raises(NotAReport, match="needs OCR"):
        read_bytes(scanned, "scan.pdf", ocr="never")
    png = BytesIO()
    scan_pages(to_pdf(known_report("2021", seed=1)), seed=1)[0].save(png, "PNG")
    with pytest.raises(NotAReport, match="needs OCR"):
        read_bytes(png.getvalue(), "page.png", ocr="never")


def test_without_the_ocr_package_a_scan_is_refused_in_one_line(scanned, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setattr("govstats.reading.formats.pdf.ocr_available", lambda: False)
    with pytest.raises(NotAReport) as e:
        read_bytes(scanned, "scan.pdf")
    assert "not installed" in str(e.value) and "\n" not in str(e.value)


@needs_ocr
def test_an_image_file_is_read_by_ocr():
    png = BytesIO()
    scan_pages(to_pdf(known_report("2021", seed=1)), seed=1)[0].save(png, "PNG")
    rows = read.rows_for(png.getvalue(), read.sniff(png.getvalue(), "page.png"))
    assert read.sniff(png.getvalue()) == "png"
    assert any("政府信息公开" in cell for row in rows[:5] for cell in row)


def test_damaged_image_says_so():
    with pytest.raises(NotAReport, match="damaged image"):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "x.png")


def test_lookalikes_have_one_digit_reading():
    assert candidate("1O") == "10" and candidate("l2") == "12" and candidate("O") == "0"
    assert candidate("12") is None and candidate("合计") is None and candidate("Ol.属于") is None


def _ocr_rows(text_pdf: bytes, swap: dict[str, str]):
    """The rows of a text PDF as if OCR had read them, with some value cells misread."""
    rows = pdf_rows(text_pdf)
    for row in rows:
        if len(row) > 2:
            row[:] = [swap.get(c, c) if i > 0 else c for i, c in enumerate(row)]
    rows.notes.append(Finding("read_by_ocr", "info"))
    rows.confidence = {"1": 0.9}
    return rows


def test_lookalikes_are_read_as_digits_when_the_identities_hold():
    known = known_report("2021", seed=7)
    total = known.cells[("applications", "total_processed", "total")]
    printed = str(int(total.value))
    misread = printed.replace("1", "l").replace("0", "O")
    assert misread != printed
    got = read._read_ocr(_ocr_rows(to_pdf(known), {printed: misread}))
    assert got.value("applications", "total_processed", "total") == total.value
    assert "ocr_confusion_corrected" in {f.check for f in got.findings}
    assert {c.origin for c in got.cells.values() if c.state == "number"} == {"ocr"}
