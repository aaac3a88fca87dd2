"""Cell text and merged-cell rules shared by the HTML and DOCX readers.

Both formats print tables pasted from Word: text split over runs and paragraphs, NBSP padding,
merged cells. The rules for what a merged cell puts into the positions it covers live here so
that both readers give the interpreter the same grid.
"""

from __future__ import annotations

import re

# Whitespace, NBSP and zero-width characters: layout, never content.
_SPACE = re.compile(r"[\s\u200b-\u200d\ufeff]+")
# A space next to a non-ASCII character is layout, not content: Chinese has no word spaces.
_SPACE_BY_WIDE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
# A printed value: a number, possibly followed by a unit or a note ("251000元", "22（其中修订16件）"),
# but not a numbered label ("1.属于国家秘密", "2、重复申请").
_VALUE = re.compile(r"[-+−]?\d+(?:[.,，]\d+)*(?![.．、\d])")
_DASHES = frozenset({"/", "／", "-", "－", "—", "——", "–", "无", "\\"})
# The most tags an HTML page or a DOCX body may have, counted before parsing: a report page, CMS
# chrome and all, has some 2,000-50,000; the tree of millions takes gigabytes.
MAX_TAGS = 500_000


def clean(text: str) -> str:
    """One cell's or line's text with layout whitespace removed.

    Whitespace, NBSP and zero-width runs vanish next to Chinese text and at the ends; between two
    ASCII characters they become one space, so that "12&nbsp;34" does not become the number 1234.
    """
    if text.isprintable() and " " not in text:  # no whitespace, NBSP or zero-width character: as is
        return text
    text = _SPACE.sub(" ", text).strip()
    if " " in text:
        text = _SPACE_BY_WIDE.sub("", text)
    return text


def is_label(text: str) -> bool:
    """Whether a merged cell's text is a label (repeated down a row span) rather than a value.

    Values are never repeated, so that a number printed once is never counted twice.
    """
    return bool(text) and text not in _DASHES and _VALUE.match(text) is None


class Grid:
    """Expands row spans of one table: call ``row`` with each row's (text, colspan, rowspan) cells."""

    __slots__ = ("_below",)

    def __init__(self) -> None:
        # per grid column: [rows still covered, text to put there] of a span from above, or None
        self._below: list[list | None] = []

    def row(self, cells: list[tuple[str, int, int]], start: int = 0) -> list[str]:
        """One grid row; ``start`` skips leading grid columns (DOCX gridBefore)."""
        below = self._below
        n = len(below)
        out: list[str] = [""] * start
        col = start
        for text, colspan, rowspan in cells:
            while col < n:
                entry = below[col]
                if entry is None:
                    break
                out.append(entry[1])
                entry[0] -= 1
                if not entry[0]:
                    below[col] = None
                col += 1
            end = col + colspan
            if colspan > 1:
                for k in range(col + 1, min(end, n)):
                    below[k] = None  # malformed: this cell overlaps a span from above; the cell wins
                out.append(text)
                out.extend([""] * (colspan - 1))
            else:
                out.append(text)
            if rowspan > 1:
                if end > n:
                    below.extend([None] * (end - n))
                    n = end
                below[col] = [rowspan - 1, text if is_label(text) else ""]
                for k in range(col + 1, end):
                    below[k] = [rowspan - 1, ""]
            col = end
        for k in range(col, n):  # spans covering columns after this row's last cell
            entry = below[k]
            if entry is not None:
                out.extend([""] * (k - len(out)))
                out.append(entry[1])
                entry[0] -= 1
                if not entry[0]:
                    below[k] = None
        return out


_MAX_SPAN = 1000


def span(value: str | None) -> int:
    """A colspan/rowspan attribute as a count (missing, 0, junk -> 1; capped against absurd values)."""
    if not value:
        return 1
    digits = value.strip().split(".")[0]
    if not digits.isdecimal():  # (isdigit would pass "²", which int() refuses)
        return 1
    return _MAX_SPAN if len(digits) > 4 else min(max(int(digits), 1), _MAX_SPAN)
