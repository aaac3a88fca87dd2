"""Hostile PDFs, generated here (nothing big is committed): each read ends quickly with a Report or a
one-line NotAReport — an object that refers to itself, a stream that inflates to gigabytes, a page
that draws a million glyphs."""

from __future__ import annotations

import base64
import zlib

import pytest

from govstats import NotAReport, read_bytes
from govstats.reading.formats import pdf_limits
from govstats.reading.formats.pdf import pdf_rows


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the numbered objects (1 is the catalog), with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def _page(resources: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << " + resources + b" >> >>"


SELF_REFERRING = {
    "pages tree lists itself": _pdf([CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
    "page is its own parent's kid": _pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 2 0 R >>",
                                          b"<< /Type /Page /Parent 2 0 R /Kids [2 0 R] /MediaBox [0 0 200 200] >>"]),
    "stream length is itself": _pdf([CATALOG, PAGES, _page(), b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"]),
    "form draws itself": _pdf([CATALOG, PAGES, _page(b"/XObject << /F 5 0 R >>"), _stream(b"", b"/F Do"),
                               _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /F 5 0 R >> >>",
                                       b"0 0 m 10 10 l S /F Do")]),
}


@pytest.mark.parametrize("name", sorted(SELF_REFERRING))
def test_objects_that_refer_to_themselves_end_with_one_line(name):
    data = SELF_REFERRING[name]
    assert len(data) < 1000
    with pytest.raises(NotAReport) as e:
        read_bytes(data, "loop.pdf")
    assert str(e.value) and "\n" not in str(e.value)


def test_a_stream_that_inflates_past_the_cap_is_refused_before_parsing():
    bomb = zlib.compress(b" " * (pdf_limits.MAX_STREAM + (1 << 20)), 9)
    data = _pdf([CATALOG, PAGES, _page(), _stream(b"/Filter /FlateDecode", bomb)])
    assert len(data) < pdf_limits.MAX_STREAM // 100
    with pytest.raises(NotAReport, match="inflates past 64 MB"):
        pdf_rows(data)


@pytest.mark.parametrize("wrap", ["a85", "hex"])
def test_a_bomb_wrapped_in_text_before_flate_is_unwrapped_and_refused(wrap):
    bomb = zlib.compress(b" " * (pdf_limits.MAX_STREAM + (1 << 20)), 9)
    text, name = (base64.a85encode(bomb) + b"~>", b"/ASCII85Decode") if wrap == "a85" else (bomb.hex().encode() + b">", b"/AHx")
    data = _pdf([CATALOG, PAGES, _page(), _stream(b"/Filter [" + name + b" /FlateDecode]", text)])
    with pytest.raises(NotAReport, match="inflates past 64 MB"):
        pdf_rows(data)


def test_a_text_wrapped_stream_under_the_cap_is_read():
    content = b"BT /F1 12 Tf 20 100 Td (Annual report of the office 2024) Tj ET\n"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    wrapped = base64.a85encode(zlib.compress(content)) + b"~>"
    data = _pdf([CATALOG, PAGES, _page(b"/Font << /F1 5 0 R >>"),
                 _stream(b"/Filter [/A85 /Fl]", wrapped), font])
    assert pdf_rows(data) == [["Annual report of the office 2024"]]


def test_many_streams_that_together_inflate_past_the_file_cap_are_refused(monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_TOTAL", 3 << 20)
    part = zlib.compress(b" " * (1 << 20), 9)
    data = _pdf([CATALOG, PAGES, _page(), *[_stream(b"/Filter /FlateDecode", part) for _ in range(4)]])
    with pytest.raises(NotAReport, match="inflate past 3 MB together"):
        pdf_rows(data)


def test_an_unmeasurable_filter_before_flate_is_refused():
    data = _pdf([CATALOG, PAGES, _page(), _stream(b"/Filter [/LZWDecode /FlateDecode]", b"\x80\x0b\x60")])
    with pytest.raises(NotAReport, match="filtered by LZWDecode before Flate"):
        pdf_rows(data)


def test_a_stream_under_the_cap_is_read():
    content = b"BT /F1 12 Tf 20 100 Td (Annual report of the office 2024) Tj ET\n" + b" " * (1 << 20)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    data = _pdf([CATALOG, PAGES, _page(b"/Font << /F1 5 0 R >>"), _stream(b"/Filter /FlateDecode", zlib.compress(content)), font])
    assert pdf_rows(data) == [["Annual report of the office 2024"]]


def test_a_page_over_the_glyph_cap_is_refused():
    line = b"(" + b"A" * 100 + b") Tj\n"
    n = pdf_limits.MAX_GLYPHS // 100 + 10
    content = zlib.compress(b"BT /F1 1 Tf " + line * n + b"ET", 9)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    data = _pdf([CATALOG, PAGES, _page(b"/Font << /F1 5 0 R >>"), _stream(b"/Filter /FlateDecode", content), font])
    assert len(data) < 100_000
    with pytest.raises(NotAReport, match="glyphs"):
        pdf_rows(data)


def test_too_many_pages_are_refused():
    kids = b" ".join(b"3 0 R" for _ in range(pdf_limits.MAX_PAGES + 1))
    data = _pdf([CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (pdf_limits.MAX_PAGES + 1),
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"])
    with pytest.raises(NotAReport, match="pages"):
        pdf_rows(data)
