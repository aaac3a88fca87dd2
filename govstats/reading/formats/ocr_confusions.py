"""Other readings of an OCR'd value cell, which the reader keeps only when the identities hold
with exactly one of them: look-alikes (`I`, `l`, `|` for 1, `O`, `o` for 0 …) read as the digits
they stand for (each stands for one digit, so a cell has one digit reading), and the readings the
recogniser gave the cell on its own (``Reading``)."""

from __future__ import annotations

import re

from govstats.reading.formats import Rows

_DIGIT_FOR = str.maketrans({"I": "1", "l": "1", "|": "1", "i": "1", "!": "1", "O": "0", "o": "0", "D": "0",
                            "Q": "0", "S": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "。": "0", "〇": "0",
                            "○": "0", "°": "0"})
_LOOKALIKES = "Il|i!OoDQSBZzg。〇○°"
_CELL = re.compile(rf"[0-9{re.escape(_LOOKALIKES)}]+")
# What OCR makes of a printed figure: digits, look-alikes, and the punctuation a lone digit is taken for
_VALUE_LIKE = re.compile(rf"[0-9{re.escape(_LOOKALIKES)}.,，、·:：;；'`\"“”‘’\[\]]+")


class Reading(str):
    """The text of an OCR'd table cell, with the other readings the recogniser gave it."""

    alternatives: tuple[str, ...]

    def __new__(cls, text: str, alternatives: tuple[str, ...] = ()):
        out = super().__new__(cls, text)
        out.alternatives = alternatives
        return out


def value_like(text: str) -> bool:
    """Whether OCR text could be a misread figure (`1O`, `，` for a lone 1), not a label or a dash."""
    return bool(_VALUE_LIKE.fullmatch(text.replace(" ", "")))


def candidate(text: str) -> str | None:
    """The digit reading of a cell printed as digits and look-alikes (`1O`, `l2`), else None."""
    t = text.strip()
    if _CELL.fullmatch(t) and any(c in _LOOKALIKES for c in t) and (any(c.isdigit() for c in t) or len(t) == 1):
        return t.translate(_DIGIT_FOR)
    return None


def corrected(rows: Rows, only: set[str] | None = None) -> tuple[Rows, dict[str, str]]:
    """The rows with look-alike value cells of table rows (three or more cells) read as digits
    (those printed as one of ``only``, if given), and each printed text -> its digit reading."""
    out = Rows(notes=list(rows.notes))
    out.confidence = dict(rows.confidence)
    changes: dict[str, str] = {}
    for row in rows:
        if len(row) > 2:
            new = []
            for cell in row:
                digits = candidate(cell)
                if digits is not None and only is not None and cell.strip() not in only:
                    digits = None
                if digits is not None:
                    changes[cell.strip()] = digits
                    out.confidence[digits] = min(out.confidence.get(digits, 1.0), rows.confidence.get(cell.strip(), 1.0))
                new.append(cell if digits is None else digits)
            out.append(new)
        else:
            out.append(row)
    return out, changes
