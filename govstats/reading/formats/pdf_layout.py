"""One page's glyphs, table rules and image area, straight from the pdfminer layout pdfplumber parses.

pdfplumber's ``page.chars``/``page.rects`` turn every layout object into a dict of some twenty
resolved attributes; the reader needs six of a glyph and the geometry of a rule, and skipping that
conversion is a third of the time on table-heavy pages. Coordinates are converted exactly as
pdfplumber converts them (top-left origin, MediaBox offset), so its table finder gets the edges it
expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTRect

_HAIRLINE = 3.0  # points: a filled rectangle thinner than this is drawn as a rule
# A filled box narrower than this share of the page is a cell's background and borders the cell;
# wider ones are the boxes Word draws behind whole paragraphs.
_CELL_FILL = 0.5
UNREADABLE = "\ufffd"
_STRAIGHT = 0.5  # points: a segment whose ends differ less than this across is horizontal/vertical


@dataclass
class PageObjects:
    chars: list[dict] = field(default_factory=list)  # text, x0, x1, top, bottom, size, turn
    edges: list[dict] = field(default_factory=list)  # pdfplumber edge dicts, for its table finder
    image_area: float = 0.0


def page_objects(page) -> PageObjects:
    """Glyphs (whitespace left out), rules and image area of a pdfplumber page."""
    out = PageObjects()
    height, width = page.height, page.width
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]

    def edge(x0: float, top: float, x1: float, bottom: float) -> None:
        orientation = "h" if bottom - top < _STRAIGHT else "v" if x1 - x0 < _STRAIGHT else None
        if orientation == "h":
            bottom = top
        elif orientation == "v":
            x1 = x0
        else:
            return
        out.edges.append(
            {
                "object_type": "rule_edge",
                "orientation": orientation,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": x1 - x0,
                "height": bottom - top,
            }
        )

    def walk(objs) -> None:
        for obj in objs:
            if isinstance(obj, LTChar):
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
                x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
                top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
                w, h = x1 - x0, bottom - top
                if obj.stroke or min(w, h) < _HAIRLINE or w < _CELL_FILL * width:
                    edge(x0, top, x1, top)
                    edge(x0, bottom, x1, bottom)
                    edge(x0, top, x0, bottom)
                    edge(x1, top, x1, bottom)
            elif isinstance(obj, LTCurve):  # lines and paths: each straight segment is a rule
                pts = [(x + mb_x0, height - y + mb_top) for x, y in obj.pts]
                for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
                    edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            elif isinstance(obj, LTImage):
                out.image_area += obj.width * obj.height
            elif isinstance(obj, LTContainer):  # form XObjects (LTFigure)
                walk(obj)

    walk(page.layout)
    return out
