"""Agency, year and title from the first lines of a report.

Titles come as `郟县龙山街道办事处 2023 年政府信息公开工作年度 报告` (traditional characters,
stray spaces), `标题: 平潭综合实验区2021年度…`, or split over two lines with the year first
(`2024 年上海市科委政府信息公开工作` / `年度报告`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govstats.reading.formats import Rows
from govstats.reading.normalize import memo_short, nfkc, simplified, squash

_REPORT = r"(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)"
_AGENCY_FIRST = re.compile(r"(?P<agency>[\u4e00-\u9fff()（）·]{2,60}?)(?P<year>(?:19|20)\d{2})年度?" + _REPORT)
_YEAR_FIRST = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?P<agency>[\u4e00-\u9fff()（）·]{2,60}?)" + _REPORT)
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日[起至到]")
_PREFIX = re.compile(r"^.*[:：]")
_SEARCH_ROWS = 40
_TITLE_MAX = 160  # a title (or half of one) is short; narrative lines are not converted


@dataclass(frozen=True)
class Metadata:
    agency: str | None
    year: int | None
    title: str
    traditional: bool = False  # the title was printed in traditional characters (郟县)


@memo_short(1 << 12)
def _nfkc(text: str) -> str:
    return nfkc(text)


@memo_short(1 << 12)
def _simplified(text: str) -> str:
    """``text`` in NFKC and simplified characters (memoised: lines recur, and the title is asked twice)."""
    return simplified(_nfkc(text))


def _traditional(lines: tuple[str, ...]) -> bool:
    """Whether the printed title (one line, or two joined) has traditional characters. Line by line
    (memoised) when the second starts with a character normalisation never joins to the one before
    (ASCII, CJK ideographs and punctuation, full-width ASCII); else the joined text."""
    if len(lines) == 1 or _stable_start(lines[1]):
        return any(_simplified(line) != _nfkc(line) for line in lines)
    printed = nfkc("".join(lines))
    return simplified(printed) != printed


def _stable_start(text: str) -> bool:
    o = ord(text[0]) if text else 0x20
    return 0x20 <= o < 0x7F or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x3029 or 0xFF01 <= o <= 0xFF5E


def _clean(text: str) -> str:
    return squash(_simplified(text))


def _agency(raw: str) -> str:
    """The agency of a title match; "" when the match holds no name (`2022年度政府信息公开…`: the 政府
    is the report's name, not an agency)."""
    agency = _PREFIX.sub("", raw).strip("()（）·")
    return "" if agency == "政府" else agency


def read_metadata(rows: Rows) -> Metadata:
    """The first title-like line (or pair of lines) gives agency and year; else the statistics period."""
    # title-like lines, joined lazily: the title is nearly always among the first few
    raw = (t for t in ("".join(r) for r in rows[:_SEARCH_ROWS]) if t.strip() and len(t) <= _TITLE_MAX)
    this = next(raw, None)
    nameless = None  # a title without an agency still gives the year
    while this is not None:
        after = next(raw, None)
        line = _clean(this)
        for pair, text in enumerate((line, line + (_clean(after) if after is not None else ""))):
            text = text[:160]
            if "年" not in text or "公开" not in text:  # both patterns need a year and 信息公开/政务公开
                continue
            matches = [m for pattern in (_AGENCY_FIRST, _YEAR_FIRST) if (m := pattern.search(text))]
            for m in matches:
                if _agency(m.group("agency")):
                    return Metadata(_agency(m.group("agency")), int(m.group("year")), m.group(0),
                                    traditional=_traditional((this, after) if pair and after else (this,)))
            if matches:  # a whole title without a name: the next line is another title, not its second half
                nameless = nameless or Metadata(None, int(matches[0].group("year")), matches[0].group(0))
                break
        this = after
    for row in rows:
        m = _PERIOD.search(_clean("".join(row)))
        if m:
            return Metadata(None, int(m.group(1)), "")
    return nameless or Metadata(None, None, "")
