"""One page's glyphs, rule segments and image area from pdfium (pypdfium2): the fast backend.

pdfium parses a page's content in C++, 8–9× faster than pdfminer; its text page gives every glyph
with its Unicode value, loose box (origin to advance width, descent to ascent), font size and
matrix, and its path objects give the segments that draw the table rules. Glyph boxes and rules are
put in exactly the geometry the pdfminer backend (``pdf_layout``) gives — a glyph spans descent to
descent + font size, a rectangle path becomes four rules only when it is stroked, thin or narrow,
a line or polyline one rule per straight segment — so that both read every PDF the same.
Coordinates are top-left based, as pdfplumber puts them.
"""

from __future__ import annotations

import ctypes
from math import sqrt

import pypdfium2.raw as pdfium_c

from govstats.reading.formats.pdf_layout import UNREADABLE, PageObjects, add_rect, add_segment
from govstats.reading.formats.pdf_limits import check_glyphs
from govstats.reading.formats.pdf_tables import Rule

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_EPS = 1e-6
_MAX_FORM_DEPTH = 8  # form XObjects nested deeper than this are not read (pdfium already stops cycles)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row-vector convention of the PDF spec)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _display(page, rotation: int) -> tuple[Matrix, float, float, float, float]:
    """The matrix pdfminer puts pages in (MediaBox origin at 0, /Rotate applied), the page's width
    and height, and the MediaBox origin that pdfplumber adds back."""
    x0, y0, x1, y1 = page.get_mediabox()
    ctm = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    width, height = (y1 - y0, x1 - x0) if rotation in (90, 270) else (x1 - x0, y1 - y0)
    return ctm, width, height, x0, -y0


def page_objects(page) -> PageObjects:
    """Glyphs (whitespace left out), rules and image area of a pypdfium2 page."""
    ctm, width, height, mb_x0, mb_top = _display(page, page.get_rotation())
    out = PageObjects(width=width, height=height)

    def to_top(x: float, y: float) -> tuple[float, float]:
        return x + mb_x0, height - y + mb_top

    _chars(page, ctm, to_top, out)
    _walk(page.raw, None, ctm, to_top, out, 0)
    return out


def _chars(page, ctm: Matrix, to_top, out: PageObjects) -> None:
    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    if not textpage:
        return
    plain = ctm[:4] == (1.0, 0.0, 0.0, 1.0)  # no /Rotate: top-left coordinates are (x, height - y)
    height = out.height
    chars = out.chars
    try:
        box = pdfium_c.FS_RECTF()
        m = pdfium_c.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        n = pdfium_c.FPDFText_CountChars(textpage)
        out.glyph_count += n
        check_glyphs(n)
        for i in range(n):
            if pdfium_c.FPDFText_IsGenerated(textpage, i):
                continue
            code = pdfium_c.FPDFText_GetUnicode(textpage, i)
            text = chr(code) if 0 < code < 0x110000 else UNREADABLE
            if text.isspace():
                continue
            if pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) or not text.isprintable():
                text = UNREADABLE
            pdfium_c.FPDFText_GetLooseCharBox(textpage, i, box)
            pdfium_c.FPDFText_GetMatrix(textpage, i, m)
            size = pdfium_c.FPDFText_GetFontSize(textpage, i)
            if abs(box.right - box.left - size) < 1e-3 * size:  # as wide as the unscaled size: vertical?
                pdfium_c.FPDFText_GetCharOrigin(textpage, i, ox, oy)
                if _vertical(m, ox.value, oy.value, size):
                    s = size * abs(m.d)
                    box.left, box.right, box.bottom, box.top = ox.value, ox.value + s, oy.value, oy.value + s
                    chars.append(_char(text, box, (1.0, 0.0, 0.0, 1.0), s, ctm, to_top))
                    continue
            if plain and m.a > 0 and m.d > 0 and abs(m.b) < _EPS and abs(m.c) < _EPS:  # upright: most glyphs
                bottom = height - box.bottom
                s = size * m.d
                chars.append({"text": text, "x0": box.left, "x1": box.right, "top": bottom - s, "bottom": bottom,
                              "size": s, "turn": 0})
            else:
                chars.append(_char(text, box, (m.a, m.b, m.c, m.d), size, ctm, to_top))
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


def _vertical(m, ox: float, oy: float, size: float) -> bool:
    """A glyph of a vertical-writing font (Identity-V): pdfium puts its origin half an em left of the
    pen, at the glyph's lower left corner, and its loose box is unscaled, so the box is built from
    the origin (as pdfminer builds it: one em square)."""
    if abs(m.b) > _EPS or abs(m.c) > _EPS:
        return False
    half = size * abs(m.a) / 2
    return half > 0 and abs(m.e - ox - half) < 0.01 * half


def _char(text: str, box, m: tuple[float, float, float, float], font_size: float, ctm: Matrix, to_top) -> dict:
    """pdfminer's box of a glyph: pdfium's loose box with its ascent side moved to descent + size.

    The side that moves is the glyph's top in its own upright frame: up the page for upright text,
    left for text turned left, right for text turned right."""
    a, b, c, d = m
    left, right, bottom, top = box.left, box.right, box.bottom, box.top
    if abs(b) < _EPS and abs(c) < _EPS:  # upright (or mirrored)
        top = bottom + font_size * abs(d)
    elif abs(a) < _EPS and abs(d) < _EPS:  # turned a quarter
        if b > 0:
            left = right - font_size * abs(c)
        else:
            right = left + font_size * abs(c)
    corners = [_apply(ctm, x, y) for x in (left, right) for y in (bottom, top)]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    x0, t = to_top(min(xs), max(ys))
    x1, btm = to_top(max(xs), min(ys))
    ta, tb, tc, td = _mul((a, b, c, d, 0.0, 0.0), ctm)[:4]
    upright = ta * td > 0 and tb * tc <= 0
    size = btm - t if abs(b) < _EPS and abs(c) < _EPS or abs(a) < _EPS and abs(d) < _EPS else font_size * sqrt(abs(a * d - b * c))
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": t,
        "bottom": btm,
        "size": size,
        "turn": 0 if upright or abs(tb) < _EPS else (1 if tb > 0 else -1),
    }


def _walk(page_raw, form, parent: Matrix, to_top, out: PageObjects, depth: int) -> None:
    """Path and image objects of a page, or of a form XObject placed with matrix ``parent``."""
    if form is None:
        count, get = pdfium_c.FPDFPage_CountObjects(page_raw), lambda k: pdfium_c.FPDFPage_GetObject(page_raw, k)
    else:
        count, get = pdfium_c.FPDFFormObj_CountObjects(form), lambda k: pdfium_c.FPDFFormObj_GetObject(form, k)
    m = pdfium_c.FS_MATRIX()
    for k in range(count):
        obj = get(k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, m)
        matrix = _mul((m.a, m.b, m.c, m.d, m.e, m.f), parent)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _path(obj, matrix, to_top, out)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            corners = [to_top(*_apply(matrix, x, y)) for x in (0.0, 1.0) for y in (0.0, 1.0)]
            xs = [p[0] for p in corners]
            ys = [p[1] for p in corners]
            out.image_area += (max(xs) - min(xs)) * (max(ys) - min(ys))
        elif depth < _MAX_FORM_DEPTH:
            _walk(page_raw, obj, matrix, to_top, out, depth + 1)


def _path(obj, matrix: Matrix, to_top, out: PageObjects) -> None:
    """A painted path's subpaths, classified as pdfminer does: a line (``ml``), a rectangle (four
    sides on the axes, closed) or a polyline; unpainted paths (clipping) draw nothing."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or (fill.value == 0 and not stroke.value):
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            _subpath(shape, pts, bool(stroke.value), out, to_top)
            shape, pts, bezier = ["m"], [_apply(matrix, x.value, y.value)], 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1  # pdfium gives a curve as its two control points and its end point
            if bezier % 3:
                continue
            shape.append("c")
            pts.append(_apply(matrix, x.value, y.value))
        else:
            shape.append("l")
            pts.append(_apply(matrix, x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(seg) and pts:
            shape.append("h")
            pts.append(pts[0])
    _subpath(shape, pts, bool(stroke.value), out, to_top)


def _subpath(shape: list[str], pts: list[tuple[float, float]], stroke: bool, out: PageObjects, to_top) -> None:
    if not shape:
        return
    text = "".join(shape)
    points = list(pts)
    if len(text) > 3 and text.endswith("lh") and points[-2] == points[0]:
        text = text[:-2] + "h"
        points.pop(-2)
    top = [to_top(px, py) for px, py in points]
    if text in ("ml", "mlh"):
        add_segment(out, top[0], top[1])
    elif text in ("mlllh", "mllll") and points[0] == points[4] and _square(points):
        xs = [p[0] for p in top[:4]]
        ys = [p[1] for p in top[:4]]
        add_rect(out, min(xs), min(ys), max(xs), max(ys), stroke)
    else:
        for a, b in zip(top, top[1:], strict=False):
            add_segment(out, a, b)


def _square(p: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


__all__ = ["Rule", "page_objects"]
