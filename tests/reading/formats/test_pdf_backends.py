"""The pdfium backend reads every PDF of the suite exactly as the pdfminer (pdfplumber) backend
does: the real PDFs in ../shared, the bundled synthetic sample, the synthetic writer's quirks and
the hand-drawn traps of test_pdf. And the table finder over rules finds exactly pdfplumber's tables."""

from __future__ import annotations

import inspect
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from govstats import NotAReport, read_bytes
from govstats.reading.formats import pdf as pdf_reader
from govstats.reading.formats.pdf import pdf_rows
from govstats.reading.formats.pdf_layout import page_objects
from govstats.reading.formats.pdf_tables import find_tables
from govstats.synth.documents import to_pdf
from govstats.synth.printing import Quirks
from tests._reports import known_report
from tests.conftest import ROOT
from tests.reading.formats import test_pdf

SAMPLE = sorted((ROOT / "data" / "sample").rglob("*.pdf"))


def _fixtures() -> dict[str, bytes]:
    """Every PDF the tests draw: test_pdf's traps (functions returning bytes) and the writer's quirks."""
    out = {name: fn() for name, fn in inspect.getmembers(test_pdf, inspect.isfunction)
           if name.endswith("_pdf") and not inspect.signature(fn).parameters}
    out["group_split_running"] = test_pdf._group_split_pdf("某某县人民政府政务公开")
    for template in ("2021", "2019", "hybrid"):
        for quirks in (Quirks(), Quirks(page_break_in_table=True, footer_in_table=True, page_footer="- {n} -"),
                       Quirks(traditional_title=True)):
            out[f"synth-{template}-{quirks}"] = to_pdf(known_report(template, seed=3), quirks=quirks)
    return out


def _outcome(data: bytes, backend: str):
    try:
        rows = pdf_rows(data, backend)
    except NotAReport as e:
        return str(e)
    return [list(r) for r in rows], [(f.check, f.message) for f in rows.notes]


def _report(data: bytes, backend: str, monkeypatch):
    monkeypatch.setattr(pdf_reader, "pdf_rows", lambda d, b="auto", **kw: pdf_rows(d, backend, **kw))
    try:
        return read_bytes(data, "x.pdf").to_dict()
    except NotAReport as e:
        return str(e)


def _real(shared: Path) -> list[Path]:
    return sorted((shared / "corpus" / "real").rglob("*.pdf"))


def test_fixtures_read_the_same_with_both_backends():
    fixtures = _fixtures()
    assert len(fixtures) >= 10
    differ = [name for name, data in fixtures.items() if _outcome(data, "pdfium") != _outcome(data, "pdfminer")]
    assert differ == []


def test_sample_pdfs_read_the_same_with_both_backends():
    assert len(SAMPLE) > 20
    differ = [p.name for p in SAMPLE if _outcome(p.read_bytes(), "pdfium") != _outcome(p.read_bytes(), "pdfminer")]
    assert differ == []


def test_real_pdfs_give_the_same_report_with_both_backends(shared_dir, monkeypatch):
    files = _real(shared_dir)
    assert len(files) >= 3
    for path in files:
        data = path.read_bytes()
        assert _outcome(data, "pdfium") == _outcome(data, "pdfminer"), path.name
        assert _report(data, "pdfium", monkeypatch) == _report(data, "pdfminer", monkeypatch), path.name


def test_the_auto_backend_is_pdfium_when_every_glyph_maps(shared_dir, monkeypatch):
    """pdfminer is only the fallback: a file whose glyphs pdfium maps never reaches it."""
    monkeypatch.setattr(pdf_reader, "_pdfminer_pages", lambda data: pytest.fail("pdfminer used"))
    for path in _real(shared_dir) + SAMPLE[:5]:
        pdf_rows(path.read_bytes())


@pytest.mark.parametrize("name", ["split_table_pdf"])
def test_table_finder_finds_pdfplumbers_tables(shared_dir, name):
    """The rules-only finder against pdfplumber's own, on every page of the real PDFs and a fixture."""
    docs = [p.read_bytes() for p in _real(shared_dir)] + [getattr(test_pdf, name)()]
    pages = 0
    for data in docs:
        with pdfplumber.open(BytesIO(data)) as pdf:
            for page in pdf.pages:
                objects = page_objects(page)
                edges = [{"object_type": "rule_edge", "orientation": r.orientation,
                          "x0": r.at if r.orientation == "v" else r.start, "x1": r.at if r.orientation == "v" else r.end,
                          "top": r.start if r.orientation == "v" else r.at, "bottom": r.end if r.orientation == "v" else r.at,
                          "doctop": r.start if r.orientation == "v" else r.at,
                          "width": 0 if r.orientation == "v" else r.end - r.start,
                          "height": r.end - r.start if r.orientation == "v" else 0} for r in objects.rules]
                v = [e for e in edges if e["orientation"] == "v"]
                h = [e for e in edges if e["orientation"] == "h"]
                theirs = [] if len(v) < 2 or len(h) < 2 else page.find_tables(
                    {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                     "explicit_vertical_lines": v, "explicit_horizontal_lines": h})
                ours = find_tables(objects.rules)
                assert [sorted(t.cells) for t in ours] == [sorted(t.cells) for t in theirs]
                pages += bool(ours)
    assert pages >= 4  # pages that have tables were compared, not only empty ones
