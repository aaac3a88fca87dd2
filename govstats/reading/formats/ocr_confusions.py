"""Other readings of an OCR'd value cell, which the reader keeps only when the identities hold
with exactly one of them (``reading.ocr_repair``): look-alikes (`I`, `l`, `|` for 1, `O`, `o` for
0 …, a speck beside a figure) read as the digits they stand for (each stands for one digit, so a
cell has one digit reading), and the readings the recogniser gave the cell on its own
(``Reading``)."""

from __future__ import annotations

import re

_DIGIT_FOR = str.maketrans({"I": "1", "l": "1", "|": "1", "i": "1", "!": "1", "O": "0", "o": "0", "D": "0",
                            "Q": "0", "S": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "。": "0", "〇": "0",
                            "○": "0", "°": "0"})
_LOOKALIKES = "Il|i!OoDQSBZzg。〇○°"
_CELL = re.compile(rf"[0-9{re.escape(_LOOKALIKES)}]+")
_EDGES = re.compile(r"^[.,，、·'`‘’]+|[.,，、·'`‘’]+$")  # specks OCR reads beside a figure
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
    """The digit reading of a cell printed as digits and look-alikes (`1O`, `l2`), or with a stray
    speck at its edge (`4.`, `，1`), else None."""
    t = text.strip()
    core = _EDGES.sub("", t)
    if not _CELL.fullmatch(core) or not (any(c in _LOOKALIKES for c in core) or core != t):
        return None
    if any(c.isdigit() for c in core) or len(core) == 1:
        return core.translate(_DIGIT_FOR)
    return None
