"""What evaluators check by hand in one report, beyond its arithmetic (issue 14): are the six parts
there and do they say something, does part 六 say whether fees were charged, and do the figures the
narrative states agree with the tables they describe. Also the publication date the page prints.

The rules (the narrative figures, scope words, boilerplate) are data in national_format.toml. Each
flag is a finding a person can confirm or dismiss; nothing here changes a value.
"""

from __future__ import annotations

import re
from functools import cache

from govstats.format import national_format
from govstats.reading.formats import Rows
from govstats.reading.normalize import MEMO_CHARS, nfkc, simplified, squash
from govstats.reading.patterns import trie
from govstats.reading.report import Finding, Report
from govstats.reading.sections import ORDER
from govstats.reading.sentences import about_this_year, figure_rules, regional, split_sentences

PARTS = ORDER  # 一 overview … 六 other, in printed order
CHECKS = frozenset({"section_missing", "section_empty", "fees_not_stated", "text_table_mismatch"})
_PUBLISHED = re.compile(r"(?:发布|发文|成文|公开)(?:时间|日期)[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_SIGNED = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日$")
_FOUR_CJK = re.compile(r"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){4}")  # four Chinese characters (or more)
_DIGIT_OR_NONE = re.compile(r"\d|未|没有|无")  # a sentence stating a figure, or that there was none


@cache
def _any_figure_word() -> re.Pattern[str] | None:
    """Every figure rule's words as one regex: most sentences have none (None: no rule has words)."""
    words = {w for r in national_format().narrative.figures for w in r.words}
    return re.compile("|".join(map(re.escape, sorted(words)))) if words else None


def _clean(text: str) -> str:
    return squash(simplified(nfkc(text)))


# Joins texts normalised in one call: NFKC, OpenCC's phrases and squash never reach across this
# control character nor change it, so the joined text normalises text by text.
_SEP = "\x01"


def _clean_lines(lines: list[str]) -> list[str]:
    """``_clean`` of each line, in one call (not one per row)."""
    joined = _SEP.join(lines)
    if len(lines) < 2 or joined.count(_SEP) != len(lines) - 1:  # (a line holding the separator)
        return [_clean(line) for line in lines]
    return squash(simplified(nfkc(joined))).split(_SEP)


_LINE_MEMO = 1 << 15  # cleaned short lines kept: a bound for national-scale ingests
_cleaned: dict[str, str] = {}


def _clean_lines_memo(lines: list[str]) -> list[str]:
    """``_clean_lines``, short lines taken from a memo (table rows, headings and titles recur across
    reports); the others still normalised in one call."""
    memo = _cleaned
    out = list(map(memo.get, lines))
    todo = [i for i, c in enumerate(out) if c is None]
    if todo:
        if len(memo) > _LINE_MEMO:
            memo.clear()
        for i, c in zip(todo, _clean_lines([lines[i] for i in todo]), strict=True):
            out[i] = c
            if len(lines[i]) <= MEMO_CHARS:
                memo[lines[i]] = c
    return out  # type: ignore[return-value]


def _squash_each(texts: list[str]) -> list[str]:
    """``squash`` of each text, in one call."""
    joined = _SEP.join(texts)
    if len(texts) < 2 or joined.count(_SEP) != len(texts) - 1:
        return [squash(t) for t in texts]
    return squash(joined).split(_SEP)


def _text(rows: Rows) -> str:
    """Running text: paragraph lines join up (a PDF breaks sentences across lines), a table row is
    a sentence of its own."""
    return "".join(row[0] if len(row) == 1 else "\n" + "\t".join(row) + "\n" for row in rows)


def audit(report: Report, rows: Rows, regions: dict[str, Rows]) -> None:
    """Parts found, completeness findings, text against tables, publication date, narrative."""
    report.parts = tuple(p for p in PARTS if p in regions)
    report.published = published(rows, report.year, getattr(rows, "published", None))
    text = simplified(nfkc(_text(rows)))  # once per report: sentences and narrative share it
    _completeness(report, regions)
    _text_against_tables(report, _squash_each(list(filter(_DIGIT_OR_NONE.search, split_sentences(text)))))
    report.narrative = narrative(text)


@cache
def _fixed_wording() -> re.Pattern[str]:
    """Every word the format prints (headings, row and column labels and their variants, layout
    words), longest first: what every report shares, so never evidence of copying."""
    fmt = national_format()
    words = set(fmt.layout.values())
    for s in fmt.sections.values():
        words |= {s.zh, *s.keys}
    for t in fmt.tables.values():
        words |= {t.zh, *(c.zh for c in t.columns.values()), *(k for c in t.columns.values() for k in c.keys)}
        words |= {w for r in t.rows for w in (r.zh, r.group, *r.keys) if w}
    return re.compile(trie(w for w in map(_clean, words) if len(w) >= 2))


_NOT_WORDS = re.compile(r"[^\u4e00-\u9fff]+")


def narrative(text: str) -> str:
    """The report's own words: its (normalised) text without the format's fixed wording, digits,
    punctuation and spaces. Reports whose narratives share most 5-character shingles were copied."""
    return _NOT_WORDS.sub("", _fixed_wording().sub("", squash(text)))


def published(rows: Rows, year: int | None, metadata: str | None = None) -> str | None:
    """The date the report was published, as the page prints it (`发布时间：2024-01-25`), else as
    the file's metadata gives it (an HTML publication tag, a PDF's creation date), else the date
    signed at its end (`2024年1月24日`); None when there is none. ISO yyyy-mm-dd."""
    # (one search of the lines joined: a match never spans the separator, which the pattern has not)
    if m := _PUBLISHED.search(_SEP.join(_clean_lines_memo(["".join(row) for row in rows[:60]]))):
        return _iso(*m.groups())
    if metadata:
        return metadata
    for line in reversed(_clean_lines_memo(["".join(row) for row in rows[-8:]])):
        if (m := _SIGNED.search(line)) and (year is None or int(m.group(1)) >= year):
            return _iso(*m.groups())
    return None


def _iso(y: str, m: str, d: str) -> str | None:
    month, day = int(m), int(d)
    return f"{y}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _completeness(report: Report, regions: dict[str, Rows]) -> None:
    fmt = national_format()
    rules = fmt.narrative
    for part in PARTS:
        spec = fmt.sections[part]
        if part not in regions:
            report.add(Finding("section_missing", "warning", part if part in fmt.tables else "",
                               message_zh=f"未找到第{spec.zh[0]}部分：{spec.zh}", message_en=f"part not found: {spec.en}"))
            continue
        if part in fmt.tables:
            continue  # a table part says what its table says
        body = _clean(_text(regions[part]))
        if not _FOUR_CJK.match(body) or body.strip("。.") in rules.boilerplate:
            report.add(Finding("section_empty", "warning", message_zh=f"第{spec.zh[0]}部分无实质内容：{spec.zh}",
                               message_en=f"part says nothing (empty or boilerplate only): {spec.en}"))
        elif part == "other" and report.template in ("2021", "hybrid") and not any(w in body for w in rules.fee_words):
            report.add(Finding("fees_not_stated", "warning", message_zh="第六部分未说明是否收取信息处理费",
                               message_en="part 六 does not say whether processing fees were charged"))


def _text_against_tables(report: Report, sentences: list[str]) -> None:
    """Each figure a sentence states about a table, against the cells it describes: the first
    sentence per figure counts; a sentence about another year or a comparison is skipped."""
    rules = national_format().narrative
    done: set[str] = set()
    any_word = _any_figure_word()
    for sentence in sentences:
        if any_word is None or not any_word.search(sentence) or not about_this_year(sentence, report.year):
            continue  # (no figure's words: no rule looks at it)
        for rule, words, patterns, zero in figure_rules():
            if rule.id in done or words is None or not words.search(sentence):
                continue
            stated = _stated(sentence, patterns, zero)
            if stated is None:
                continue
            done.add(rule.id)
            values = [report.value(*cell) for cell in rule.cells]
            if any(v is None for v in values):
                continue
            printed = sum(values)
            if abs(printed - stated) < 1e-9:
                continue
            region = regional(sentence)
            own = [sentence[i : i + 5] for w in rules.own_scope if (i := sentence.find(w)) >= 0]
            t, r, c = rule.cells[0]
            note_zh = (f"（正文口径为“{region}”，可能与本报告表格口径不同）" if region
                       else f"（正文口径：“{own[0]}”）" if own else "")
            note_en = (f" (the sentence speaks for '{region}', perhaps not the tables' scope)" if region
                       else f" (the sentence speaks for '{own[0]}')" if own else "")
            report.add(Finding(
                "text_table_mismatch", "info" if region else "warning", t, r if len(rule.cells) == 1 else "",
                c, expected=stated, printed=printed,
                message_zh=f"正文称{rule.zh} {stated}，表格为 {printed}：“{sentence[:80]}”{note_zh}",
                message_en=f"the text states {rule.id.replace('_', ' ')} {stated}, the table prints {printed}: "
                           f"'{sentence[:80]}'{note_en}",
            ))


def _stated(sentence: str, patterns: tuple[re.Pattern[str], ...], zero: tuple[re.Pattern[str], ...]) -> int | None:
    for pattern in patterns:
        if m := pattern.search(sentence):
            return int(m.group(1))
    return 0 if any(z.search(sentence) for z in zero) else None
