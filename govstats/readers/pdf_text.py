"""PDF characters -> lines of text: fake-bold doubles removed, lines and word gaps from positions.

pdfplumber gives one dict per glyph. Reports printed from Word often fake bold by drawing every
glyph twice a fraction of a point apart (`予予以以`); real repeated characters are a glyph width
apart, so a same-text glyph within a small fraction of the font size is a double, never content.
"""

from __future__ import annotations

from dataclasses import dataclass

from govstats.normalize import nfkc
from govstats.readers.cells import clean

Char = dict
_BIN = 1.5  # points; the largest offset a fake-bold double is drawn at
_GAP = 0.25  # a horizontal gap wider than this share of the font size is a word space


def dedupe(chars: list[Char]) -> list[Char]:
    """Drop glyphs drawn again at (almost) the same place with the same text (fake bold)."""
    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    out = []
    for ch in chars:
        text, x, y = ch["text"], ch["x0"], ch["top"]
        tol = min(_BIN, 0.25 * (ch["size"] or 4.0))
        bx, by = int(x // _BIN), int(y // _BIN)
        near = ((px, py) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for px, py in seen.get((text, bx + dx, by + dy), ()))
        if any(abs(px - x) <= tol and abs(py - y) <= tol for px, py in near):
            continue
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
    """Chars grouped into visual lines (a char joins a line its vertical middle falls in), top to bottom."""
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


def _line(group: list[Char]) -> Line:
    group.sort(key=lambda c: c["x0"])
    parts: list[str] = []
    prev = None
    for ch in group:
        if prev is not None and ch["x0"] - prev["x1"] > _GAP * (ch["size"] or 4.0):
            parts.append(" ")
        parts.append(ch["text"])
        prev = ch
    size = max(c["size"] for c in group)
    return Line(
        group[0]["top"], max(c["bottom"] for c in group), group[0]["x0"], group[-1]["x1"], size, tidy("".join(parts))
    )


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
