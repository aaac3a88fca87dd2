"""The narrative's sentences and whether one speaks about this report: figures are read from them
(to fill or check table cells), so a sentence about another year, a comparison or a whole region must
be told apart. The words are the format's (``[narrative]`` in national_format.toml)."""

from __future__ import annotations

import re
from functools import cache

from govstats.format import FigureRule, national_format

_ENDS = "。；;！!？?"  # and the line break


def split_sentences(text: str) -> list[str]:
    """The text cut at every sentence end (a line break too): each end made a line break, then one
    str.split (several times faster than a regex split)."""
    for end in _ENDS:
        if end in text:
            text = text.replace(end, "\n")
    return text.split("\n")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def other_year(sentence: str, year: int | None) -> bool:
    """The sentence names a year that is not the report's."""
    return year is not None and any(int(y) != year for y in _YEAR.findall(sentence))


def about_this_year(sentence: str, year: int | None) -> bool:
    """Not about another year and not a comparison (上年, 同比 …): its figures may describe the tables."""
    skip = _skip()
    return not ((skip is not None and skip.search(sentence)) or other_year(sentence, year))


@cache
def _skip() -> re.Pattern[str] | None:
    """The skip words as one regex (None when there are none)."""
    words = national_format().narrative.skip
    return re.compile("|".join(map(re.escape, words))) if words else None


def regional(sentence: str) -> str:
    """The words where the sentence speaks for a whole region (全区, 各部门 …), "" when it does not."""
    return next((sentence[i : i + 5] for w in national_format().narrative.regional_scope
                 if (i := sentence.find(w)) >= 0), "")


@cache
def figure_rules() -> tuple[tuple[FigureRule, re.Pattern[str] | None, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...]:
    """Per narrative figure rule: its words as one regex (None: no words, never looked at), its
    patterns and its zero patterns, compiled once (the audit and the narrative recovery read them)."""
    return tuple((r, re.compile("|".join(map(re.escape, r.words))) if r.words else None,
                  tuple(map(re.compile, r.patterns)), tuple(map(re.compile, r.zero)))
                 for r in national_format().narrative.figures)
