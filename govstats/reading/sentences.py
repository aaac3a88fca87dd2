"""The narrative's sentences and whether one speaks about this report: figures are read from them
(to fill or check table cells), so a sentence about another year, a comparison or a whole region must
be told apart. The words are the format's (``[narrative]`` in national_format.toml)."""

from __future__ import annotations

import re

from govstats.format import national_format

SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def other_year(sentence: str, year: int | None) -> bool:
    """The sentence names a year that is not the report's."""
    return year is not None and any(int(y) != year for y in _YEAR.findall(sentence))


def about_this_year(sentence: str, year: int | None) -> bool:
    """Not about another year and not a comparison (上年, 同比 …): its figures may describe the tables."""
    return not (any(w in sentence for w in national_format().narrative.skip) or other_year(sentence, year))


def regional(sentence: str) -> str:
    """The words where the sentence speaks for a whole region (全区, 各部门 …), "" when it does not."""
    return next((sentence[i : i + 5] for w in national_format().narrative.regional_scope
                 if (i := sentence.find(w)) >= 0), "")
