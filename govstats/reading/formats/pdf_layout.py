"""One page's glyphs, table rules and image area, straight from the pdfminer layout pdfplumber parses.

The fallback backend (``pdf_pdfium`` is the fast one): pdfminer's lenient CMap parser maps glyphs
through ToUnicode tables that pdfium rejects, so a file in which pdfium finds unmapped glyphs is
read again here. pdfplumber's ``page.chars``/``page.rects`` would turn every layout object into a
dict of some twenty resolved attributes; the reader needs six of a glyph and the geometry of a
rule. Coordinates are converted exactly as pdfplumber converts them (top-left origin, MediaBox
offset). The geometry rules shared by both backends live here too: which rectangles and segments
are table rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govstats.reading.formats.pdf_tables import Rule

_HAIRLINE = 3.0  # points: a filled rectangle thinner than this is drawn as a rule
# A filled box narrower than this share of the page is a cell's background and borders the cell;
# wider ones are the boxes Word draws behind whole paragraphs.
_CELL_FILL = 0.5
UNREADABLE = "\ufffd"
_STRAIGHT = 0.5  # points: a segment whose ends differ less than this across is horizontal/vertical


@dataclass
class PageObjects:
    width: float = 0.0
    height: float = 0.0
    chars: list[dict] = field(default_factory=list)  # text, x0, x1, top, bottom, size, turn
    rules: list[Rule] = field(default_factory=list)
    image_area: float = 0.0
    glyph_count: int = 0  # every glyph the page draws, whitespace included (for the glyph cap)


def add_segment(out: PageObjects, a: tuple[float, float], b: tuple[float, float]) -> None:
    """A straight segment (top-left coordinates) as a rule, if it is horizontal or vertical."""
    x0, x1 = min(a[0], b[0]), max(a[0], b[0])
    top, bottom = min(a[1], b[1]), max(a[1], b[1])
    if bottom - top < _STRAIGHT:
        out.rules.append(Rule("h", top, x0, x1))
    elif x1 - x0 < _STRAIGHT:
        out.rules.append(Rule("v", x0, top, bottom))


def add_rect(out: PageObjects, x0: float, top: float, x1: float, bottom: float, stroke: bool) -> None:
    """A rectangle's four sides as rules: when stroked, thin (a rule drawn as a filled bar) or narrower
    than half the page (a cell's shading); never the boxes Word fills behind whole paragraphs."""
    w, h = x1 - x0, bottom - top
    if stroke or min(w, h) < _HAIRLINE or w < _CELL_FILL * out.width:
        add_segment(out, (x0, top), (x1, top))
        add_segment(out, (x0, bottom), (x1, bottom))
        add_segment(out, (x0, top), (x0, bottom))
        add_segment(out, (x1, top), (x1, bottom))


def page_objects(page) -> PageObjects:
    """Glyphs (whitespace left out), rules and image area of a pdfplumber page."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTRect

    out = PageObjects(width=page.width, height=page.height)
    height = page.height
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]

    def walk(objs) -> None:
        for obj in objs:
            if isinstance(obj, LTChar):
                out.glyph_count += 1
                text = obj.get_text()
                if text.startswith("(cid:"):  # no Unicode map: a glyph that is there but unreadable
                    text = UNREADABLE
                if not text.isspace():
                    out.chars.append(
                        {
                            "text": text,
                            "x0": obj.x0 + mb_x0,
                            "x1": obj.x1 + mb_x0,
                            "top": height - obj.y1 + mb_top,
                            "bottom": height - obj.y0 + mb_top,
                            "size": obj.size,
                            # turned a quarter: 1 runs up the page (read bottom to top), -1 down
                            "turn": 0 if obj.upright or abs(obj.matrix[1]) < 1e-6 else (1 if obj.matrix[1] > 0 else -1),
                        }
                    )
            elif isinstance(obj, LTRect):
                add_rect(out, obj.x0 + mb_x0, height - obj.y1 + mb_top, obj.x1 + mb_x0, height - obj.y0 + mb_top,
                         bool(obj.stroke))
            elif isinstance(obj, LTCurve):  # lines and paths: each straight segment is a rule
                pts = [(x + mb_x0, height - y + mb_top) for x, y in obj.pts]
                for a, b in zip(pts, pts[1:], strict=False):
                    add_segment(out, a, b)
            elif isinstance(obj, LTImage):
                out.image_area += obj.width * obj.height
            elif isinstance(obj, LTContainer):  # form XObjects (LTFigure)
                walk(obj)

    walk(page.layout)
    return out
