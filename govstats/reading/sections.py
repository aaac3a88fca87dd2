"""Find the report's parts (一 overview, 二 disclosure, 三 applications, 四 review/litigation, 五, 六) by their
headings, and cut the rows into one region per part.

A heading counts when it is numbered (`三、收到和处理政府信息公开申请情况`, whatever the numeral:
reports renumber parts) or when a short cell starts with it. The intro sentence that lists the
parts (`本报告包括总体情况、主动公开政府信息情况、…`) is neither. Text that lost its line breaks
(one long cell) is split at numbered headings first.
"""

from __future__ import annotations

import re
from functools import cache

from govstats.format import national_format
from govstats.reading.formats import Rows
from govstats.reading.normalize import label_key, memo_short, nfkc, simplified

_NUMERALS = "一二三四五六七八九十"
# every heading has one of these (simplified or traditional): a cheap filter before normalising
_HINT = re.compile("情况|情況|复议|復議|问题|問題|事项|事項")
ORDER = ("overview", "disclosure", "applications", "review_litigation", "problems", "other")
_NUMERAL = r"[一二三四五六七八九十]\s*[、.．]\s*"
_NUMERAL_MARK = re.compile(_NUMERAL)
# words some reports print before the heading proper (四、政府信息公开行政复议…, 四、因政府信息公开…)
_LEAD = r"[^。，；\d]{0,14}?"


@cache
def _bodies() -> dict[str, str]:
    """Per part, a regex of its heading keys allowing the punctuation and spaces printed between."""
    sections = national_format().sections
    out = {}
    for code in ORDER:
        alts = sorted(sections[code].keys, key=len, reverse=True)
        out[code] = "|".join(r"[、，,\s的]*".join(map(re.escape, k)) for k in alts)
    return out


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {code: re.compile(f"(?:{_NUMERAL}{_LEAD}|(?=[^一二三四五六七八九十]))(?:{body})") for code, body in _bodies().items()}


@cache
def _any_numbered() -> re.Pattern[str]:
    return re.compile(f"{_NUMERAL}{_LEAD}(?:{'|'.join(_bodies().values())})")


def _split_long_cells(rows: Rows) -> Rows:
    """One long cell holding several parts becomes one row per heading and one per stretch between."""
    out: Rows = []
    for row in rows:
        # a numeral mark first (cheap): most reports have no long cell with a heading in it, and
        # then never build the pattern of every heading (the slowest step of a first read)
        if len(row) != 1 or len(row[0]) < 80 or not _NUMERAL_MARK.search(row[0]) or not _any_numbered().search(row[0]):
            out.append(row)
            continue
        finder = _any_numbered()
        text = simplified(nfkc(row[0]))
        cuts = sorted({m.start() for m in finder.finditer(text)} | {m.end() for m in finder.finditer(text)})
        if not cuts:
            out.append(row)
            continue
        bounds = [0, *cuts, len(text)]
        out.extend([text[a:b].strip()] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip())
    return out


def heading_of(row: list[str]) -> str | None:
    """The part this row is the heading of, if it is one."""
    for first in row:
        if first:
            break
    else:
        return None
    if len(first) > 80 or not _HINT.search(first):
        return None
    cells = [c for c in row if c.strip()]
    if len(cells) > 2:
        return None
    return _heading_code(cells[0])


@memo_short(1 << 12)
def _heading_code(cell: str) -> str | None:
    """The part a heading cell names (memoised: headings recur verbatim across reports)."""
    text = simplified(nfkc(cell)).lstrip("#*> ")
    if not text or len(text) > 60:
        return None
    for code, pat in _patterns().items():
        m = pat.match(text)
        if m and (text[0] in _NUMERALS or len(text) <= m.end() + 2):
            return code
    return None


@cache
def _column_keys() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Per table, (column code, keys) of its columns: the words its header prints."""
    return {t: tuple((c.code, c.keys) for c in spec.columns.values()) for t, spec in national_format().tables.items()}


def _header_hits(text: str) -> dict[str, int]:
    """How many distinct columns of each table a row's text names."""
    return {t: sum(any(k in text for k in keys) for _, keys in cols) for t, cols in _column_keys().items()}


def _found_by_labels(rows: Rows, starts: dict[str, int]) -> dict[str, int]:
    """A table part whose heading was not found (an unusual heading) starts at its table's own
    header: the first row, between the parts found before and after it, that names two or more of
    its columns and more of them than of any other table's."""
    found: dict[str, int] = {}
    for pos, code in enumerate(ORDER):
        if code in starts or code not in _column_keys():
            continue
        lo = max((starts[c] for c in ORDER[:pos] if c in starts), default=-1) + 1
        hi = min((starts[c] for c in ORDER[pos + 1 :] if c in starts), default=len(rows))
        for i in range(lo, hi):
            text = label_key("".join(rows[i]))
            hits = _header_hits(text)
            if hits[code] >= 2 and hits[code] > max(v for t, v in hits.items() if t != code):
                found[code] = i
                break
    return found


def _problems_by_subheading(rows: Rows, starts: dict[str, int]) -> int | None:
    """Part 五 printed without its numbered heading, as sub-headings only (`（一）主要问题`): the first
    short row after the table parts that names it by one of its keys."""
    if "problems" in starts:
        return None
    after = max((starts[c] for c in ("applications", "review_litigation") if c in starts), default=None)
    if after is None:
        return None
    keys = national_format().sections["problems"].keys
    end = starts.get("other", len(rows))
    for i in range(after + 1, end):
        text = label_key("".join(rows[i]))
        if len(text) <= 30 and any(k in text for k in keys):
            return i
    return None


@cache
def _table_starts() -> dict[str, re.Pattern[str]]:
    """Per table part, what its table prints first, for text that lost its line breaks: part 二's
    first group (第二十条第（一）项) or its item header, part 三's balance note or applicant header,
    part 四's header (行政复议 then 行政诉讼, or its first column)."""
    fmt = national_format()
    layout = fmt.layout
    disclosure = fmt.tables["disclosure"].rows[0].group
    review = fmt.tables["review_litigation"]
    words = {
        "disclosure": [disclosure, layout["item_header"]],
        "applications": [layout["balance_note"][:8], layout["applicant_header"]],
        "review_litigation": [review.rows[0].zh + review.rows[1].group, next(iter(review.columns.values())).zh],
    }
    return {code: re.compile("|".join(re.escape(nfkc(w)) for w in ws)) for code, ws in words.items()}


def _cut_at_tables(rows: Rows, starts: dict[str, int]) -> tuple[Rows, dict[str, int]]:
    """A table part whose heading is not found, in text that lost its line breaks (one long cell
    holding several parts), starts where its table starts: the cell is cut there. Returns the rows
    and the parts found so (at their first row, which is the table's)."""
    found: dict[str, int] = {}
    for code, pattern in _table_starts().items():
        if code in starts:
            continue
        for i, row in enumerate(rows):
            if len(row) != 1 or len(row[0]) < 80:
                continue
            text = nfkc(row[0])  # cut the text searched: NFKC may change its length (…… is ......)
            m = pattern.search(text)
            if m and m.start() > 0:
                rows = [*rows[:i], [text[: m.start()]], [text[m.start():]], *rows[i + 1:]]
                found = {c: j + (j > i) for c, j in found.items()}
                found[code] = i + 1
                break
    return rows, found


def split_sections(rows: Rows) -> dict[str, Rows]:
    """Rows of each part; "preamble" holds what comes before the first part found. A part found by
    its heading starts after the heading; one found by its table's header starts at the header."""
    rows = _split_long_cells(rows)
    starts: dict[str, int] = {}
    for i, row in enumerate(rows):
        code = heading_of(row)
        if code and code not in starts:
            starts[code] = i
    rows, cut = _cut_at_tables(rows, starts)
    if cut:  # rows moved: the headings again
        starts = {}
        for i, row in enumerate(rows):
            code = heading_of(row)
            if code and code not in starts and code not in cut:
                starts[code] = i
    by_labels = _found_by_labels(rows, starts) | cut
    if (sub := _problems_by_subheading(rows, starts)) is not None:
        by_labels["problems"] = sub
    order = sorted([(c, i + 1) for c, i in starts.items()] + list(by_labels.items()), key=lambda kv: kv[1])
    bounds = {c: i for c, i in starts.items()} | by_labels
    regions: dict[str, Rows] = {"preamble": rows[: bounds[order[0][0]]] if order else rows}
    for k, (code, start) in enumerate(order):
        end = bounds[order[k + 1][0]] if k + 1 < len(order) else len(rows)
        regions[code] = rows[start:end]
    return regions
