"""Cell text -> tokens. A cell is a value (a number, perhaps with a note or unit; blank; a dash),
a label, or a mix of both when a layout lost its cell boundaries (`行政许可2293`)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from govstats.reading.normalize import MEMO_CHARS, nfkc

# A number as printed: thousands separators, decimals, an optional unit and a note in brackets
# (`22（其中修订16件）`, `251000元`, `1,234`).
_VALUE = re.compile(
    r"^[+-]?(?P<num>\d{1,3}(?:[,，]\d{3})+|\d+)(?P<frac>\.\d+)?\s*"
    r"(?P<unit>万元|元|件|个|项|条|次|人次|%)?\s*(?P<note>[（(\[【][^（）()]*[)）\]】])?$"
)
_DASH = re.compile(r"^(?:[/／\\—–\-－─━_~～]+|无|空|不适用|N/?A)$", re.IGNORECASE)
# Inside a mixed cell: numbers (runs of digits, perhaps a decimal) between label text.
_NUM_RUN = re.compile(r"\d+(?:\.\d+)?")
_NOTE = re.compile(r"^[（(][^（）()]*[)）]$")  # a note printed on a line of its own: （其中修订 16 件）
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MINUS = "-−－"
# Digits beyond this are no count or amount: such a number is read as infinite (never converted:
# int() refuses thousands of digits), and interpretation leaves its cell null with an error.
_MAX_DIGITS = 20
_NUMBERING_AFTER = re.compile(r"\s*[.．、](?=\s*[\u4e00-\u9fff])")
# A number followed by a measure word or a date/percent sign is a figure of a sentence (`2022年`,
# `总数510条`, `占41.5%`), never a table cell: in scraped text a cell is followed by the next label,
# and no label of the format starts with one of these. Units a cell may print (元, 万元) are not here.
_NARRATIVE_AFTER = re.compile(r"\s*(?:年|月|日|条|件|个|次|项|人|份|篇|期|名|家|起|余|多|%|号|天|小时|批|类|场|亿|倍|户|位|页|种|套|所|处|封|台|辆|万(?!元))")


@dataclass(frozen=True, slots=True)
class Value:
    """A value cell: ``kind`` is number, blank or dash. ``glued`` marks digits that came out of a
    cell whose separators were lost, so they may hold several numbers (`640020470`)."""

    kind: str
    number: int | float | None
    raw: str
    glued: bool = False
    unit: str = ""  # a unit printed in the cell (元, 万元, 件 …)


@dataclass(frozen=True, slots=True)
class Label:
    text: str


Token = Value | Label
BLANK = Value("blank", None, "")


def parse_number(text: str) -> int | float | None:
    """The number a value cell prints, or None when the cell is not a number."""
    m = _VALUE.match(text.strip())
    return _number(m) if m else None


def _number(m: re.Match[str]) -> int | float | None:
    whole = m.group("num").replace(",", "").replace("，", "")
    sign = -1 if m.string.startswith("-") else 1
    if len(whole) > _MAX_DIGITS:
        return sign * math.inf
    if m.group("frac"):
        try:
            return sign * float(Decimal(whole + m.group("frac")))
        except InvalidOperation:
            return None
    return sign * int(whole)


def classify_cells(cells: Iterable[str], split_mixed: bool) -> list[Token]:
    """Tokens of each cell, in order. Memoised per cell (cells such as "0" repeat in every report),
    but for long text (see normalize.MEMO_CHARS). Whole-cell values keep the cell's printed text as raw."""
    memo = _classify_memo
    out: list[Token] = []
    for cell in cells:
        out += memo(cell, split_mixed) if len(cell) <= MEMO_CHARS else _classify(cell, split_mixed)
    return out


def _classify(cell: str, split_mixed: bool) -> list[Token]:
    """Whole-cell values keep the cell's printed text as raw."""
    raw = cell.strip()
    if not raw:
        return [BLANK]
    text = nfkc(raw)
    if _DASH.match(text):
        return [Value("dash", None, raw)]
    m = _VALUE.match(text)
    if m:
        return [Value("number", _number(m), raw, unit=m.group("unit") or "")]
    if not split_mixed or not any(ch.isdigit() for ch in text) or _NOTE.match(text):
        return [Label(text)]
    return _split_mixed(text)


_classify_memo = lru_cache(maxsize=1 << 16)(lambda cell, split_mixed: tuple(_classify(cell, split_mixed)))


def _split_mixed(text: str) -> list[Token]:
    """Split `规章 000行政规范性文件693665` into labels and (possibly glued) numbers. Digits glued to
    the numbering of the next label (`00000002.其他…`) give that numbering back to the label."""
    out: list[Token] = []
    pos = 0
    pending_label = ""
    for m in _NUM_RUN.finditer(text):
        start, end = m.span()
        run = m.group()
        if _NARRATIVE_AFTER.match(text, end) or text[max(start - 1, 0):start] == "第":
            continue  # a figure of a sentence (or an ordinal): part of the label text
        numbering = _NUMBERING_AFTER.match(text, end) is not None and "." not in run
        if numbering:
            # the last digit is the label's own numbering ("2.其他法律…"); the rest is a value
            head, run, end_label = run[:-1], run[-1], True
        else:
            head, end_label = run, False
        label = pending_label + text[pos:start]
        negative = start > 0 and text[start - 1] in _MINUS and "." not in head
        if negative:  # `行政事业性收费15-15`: a 2019 本年增/减 printed with its sign
            label = label[:-1]
        if head:
            if label.strip():
                out.append(Label(label.strip()))
            for piece in head.split():
                out.append(_glued_value(piece, negative))
                negative = False
            label = ""
        pending_label = label + run if end_label else label
        pos = end
    tail = pending_label + text[pos:]
    if tail.strip():
        out.append(Label(tail.strip()))
    return _merge_labels(out)


def _glued_value(digits: str, negative: bool = False) -> Value:
    if "." in digits:
        return Value("number", float(digits), digits, glued=False)
    number = int(digits) if len(digits) <= _MAX_DIGITS else math.inf
    if negative:  # a signed number is one cell: it is never split
        return Value("number", -number, "-" + digits, glued=False)
    return Value("number", number, digits, glued=True)


def _merge_labels(tokens: list[Token]) -> list[Token]:
    """Adjacent labels become one; a label without any Chinese character (stray punctuation) is dropped."""
    out: list[Token] = []
    for t in tokens:
        if isinstance(t, Label):
            if not _CJK.search(t.text) and not any(c.isalpha() for c in t.text):
                continue
            if out and isinstance(out[-1], Label):
                out[-1] = Label(out[-1].text + t.text)
                continue
        out.append(t)
    return out
