"""The scanner: deterministic, image-only, one page per page; `synth --formats scan` writes scans."""

from __future__ import annotations

import pypdfium2 as pdfium

from govstats.synth.documents import to_pdf
from govstats.synth.generate import generate_corpus
from govstats.synth.scanner import scan_pdf
from tests._reports import known_report


def _glyphs(data: bytes) -> list[int]:
    doc = pdfium.PdfDocument(data)
    return [page.get_textpage().count_chars() for page in doc]


def test_scans_are_deterministic_image_only_and_keep_the_pages():
    text = to_pdf(known_report("2021", seed=2))
    scan = scan_pdf(text, seed=5)
    assert scan == scan_pdf(text, seed=5)
    assert scan != scan_pdf(text, seed=6)
    assert len(_glyphs(scan)) == len(_glyphs(text))
    assert sum(_glyphs(text)) > 500 and sum(_glyphs(scan)) == 0


def test_synth_writes_scans_on_request_only(tmp_path):
    manifest = generate_corpus(tmp_path, counties="郏县", years="2023", formats="scan", reports=1, seed=7)
    (path,) = manifest["path"]
    assert path.endswith(".scan.pdf") and sum(_glyphs((tmp_path / path).read_bytes())) == 0
    default = generate_corpus(tmp_path / "d", counties="郏县", years="2023", reports=3, seed=7)
    assert "scan" not in set(default["format"])
