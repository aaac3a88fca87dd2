"""PDF characters -> lines of text: fake-bold doubles removed, lines and word gaps from positions.

pdfplumber gives one dict per glyph. Reports printed from Word often fake bold by drawing every
glyph twice a fraction of a point apart (`予予以以`); real repeated characters are a glyph width
apart, so a same-text glyph within a small fraction of the font size is a double, never content.
"""

from __future__ import annotations

from dataclasses import dataclass

from govstats.reading.formats.cells import clean
from govstats.reading.normalize import nfkc

Char = dict
_TOL = 1.5  # points; the largest offset a fake-bold double is drawn at
_GAP = 0.25  # a horizontal gap wider than this share of the font size is a word space


def dedupe(chars: list[Char]) -> list[Char]:
    """Drop glyphs drawn again at (almost) the same place with the same text (fake bold)."""
    # Bins twice the tolerance wide: a glyph within the tolerance is in the same bin or in the
    # neighbouring one on the side of the nearer bin border, so four look-ups suffice.
    width = 2 * _TOL
    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    out = []
    for ch in chars:
        text, x, y = ch["text"], ch["x0"], ch["top"]
        tol = min(_TOL, 0.25 * (ch["size"] or 4.0))
        fx, fy = x / width, y / width
        bx, by = int(fx), int(fy)
        sx = 1 if fx - bx >= 0.5 else -1
        sy = 1 if fy - by >= 0.5 else -1
        double = False
        for key in ((text, bx, by), (text, bx + sx, by), (text, bx, by + sy), (text, bx + sx, by + sy)):
            for px, py in seen.get(key, ()):
                if abs(px - x) <= tol and abs(py - y) <= tol:
                    double = True
        if not double:
            seen.setdefault((text, bx, by), []).append((x, y))
            out.append(ch)
    return out


@dataclass
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str


def lines(chars: list[Char]) -> list[Line]:
    """Chars grouped into visual lines, top to bottom; text turned a quarter (Word's vertical text
    direction in a label cell) makes lines of its own, read the way it runs."""
    turned = [c for c in chars if c.get("turn")]
    if not turned:
        return _lines(chars)
    return sorted(_lines([c for c in chars if not c.get("turn")]) + _turned_lines(turned), key=lambda ln: ln.top)


def _lines(chars: list[Char]) -> list[Line]:
    """Horizontal lines: a char joins the line its vertical middle falls in."""
    out: list[Line] = []
    group: list[Char] = []
    top = bottom = 0.0
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        if group and top <= mid <= bottom:
            bottom = max(bottom, ch["bottom"])
            group.append(ch)
            continue
        if group:
            out.append(_line(group))
        group, top, bottom = [ch], ch["top"], ch["bottom"]
    if group:
        out.append(_line(group))
    return [ln for ln in out if ln.text]


def _turned_lines(chars: list[Char]) -> list[Line]:
    """Vertical runs of turned glyphs. ``turn`` 1: turned left, read bottom to top, first line on
    the left; -1: turned right, read top to bottom, first line on the right."""
    columns: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c["x0"], c["top"])):
        mid = (ch["x0"] + ch["x1"]) / 2
        if columns and columns[-1][0]["x0"] <= mid <= columns[-1][0]["x1"]:
            columns[-1].append(ch)
        else:
            columns.append([ch])
    rising = sum(c["turn"] for c in chars) > 0
    out = []
    for col in columns if rising else reversed(columns):
        col.sort(key=lambda c: c["top"], reverse=rising)
        top, bottom = min(c["top"] for c in col), max(c["bottom"] for c in col)
        size = max(c["size"] for c in col)
        out.append(
            Line(top, bottom, col[0]["x0"], max(c["x1"] for c in col), size, tidy("".join(c["text"] for c in col)))
        )
    # One visual block: give every line the block's top so that they keep their reading order.
    first = min((ln.top for ln in out), default=0.0)
    for k, ln in enumerate(out):
        ln.top = first + k * 1e-3
    return [ln for ln in out if ln.text]


def _line(group: list[Char]) -> Line:
    group.sort(key=lambda c: c["x0"])
    size = max(c["size"] for c in group) or 4.0
    gaps = [b["x0"] - a["x1"] for a, b in zip(group, group[1:], strict=False)]
    space = _GAP * size + _letter_spacing(group, gaps, size)
    parts = [group[0]["text"]]
    for gap, ch in zip(gaps, group[1:], strict=True):
        if gap > space:
            parts.append(" ")
        parts.append(ch["text"])
    return Line(
        group[0]["top"], max(c["bottom"] for c in group), group[0]["x0"], group[-1]["x1"], size, tidy("".join(parts))
    )


def _letter_spacing(group: list[Char], gaps: list[float], size: float) -> float:
    """The extra space between all glyphs of a letter-spaced line (`2 0 2 4 年 政 府`), else 0.

    Letter spacing puts the same gap, under one em, after every glyph of a Chinese line; cells of a
    table row printed as text have uneven gaps, and a row of numbers has no Chinese to go by.
    """
    if len(gaps) < 3 or not any(_is_cjk(c["text"]) for c in group):
        return 0.0
    typical = sorted(gaps)[len(gaps) // 2]
    if not _GAP * size < typical <= size:
        return 0.0
    even = sum(1 for g in gaps if abs(g - typical) <= 0.15 * size)
    return typical if even >= 0.75 * len(gaps) else 0.0


def _is_cjk(text: str) -> bool:
    return "\u2e80" <= text[:1] <= "\u9fff"


def tidy(text: str) -> str:
    """Letter spacing removed (`政 府 信 息`), Kangxi radicals and full-width forms normalised (NFKC)."""
    return nfkc(clean(text))


def join_lines(texts: list[str]) -> str:
    """The lines of one table cell as one string: Chinese wraps without a space, ASCII words with one."""
    out = ""
    for t in texts:
        if out and out[-1].isascii() and out[-1].isalpha() and t[:1].isascii() and t[:1].isalpha():
            out += " "
        out += t
    return out
