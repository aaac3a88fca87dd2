"""Text normalisation shared by every reader: width, Kangxi radicals, traditional characters,
stray spaces, and the label form that row matching compares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache, wraps
from typing import TypeVar

# Texts longer than this are not memoised: labels and headings recur across reports and are short,
# while narrative and scraped page text is unique to its report and would only grow a worker's
# memory over a national ingest.
MEMO_CHARS = 100
R = TypeVar("R")


def memo_short(maxsize: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """``lru_cache(maxsize)`` for a function whose first argument is a text, skipped for texts
    longer than MEMO_CHARS."""

    def wrap(fn: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize)(fn)

        @wraps(fn)
        def call(text: str, *args, **kwargs) -> R:
            return cached(text, *args, **kwargs) if len(text) <= MEMO_CHARS else fn(text, *args, **kwargs)

        return call

    return wrap
_NUMBERING = re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|(?<![\d.])\d{1,2}\s*[、.．](?!\d)")
_NOT_LABEL = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")


# Characters NFKC leaves as they are on their own: ASCII, CJK ideographs, common Chinese punctuation.
_KEPT = "\x00-\x7f\u4e00-\u9fff\u3001\u3002\u3008-\u3011\u2014\u2018\u2019\u201c\u201d\u00b7"
_MAYBE_CHANGED = re.compile(f"[^{_KEPT}]")
_FAST_CHARS = 64  # shorter texts go straight to unicodedata
# The characters reports print that NFKC changes, nearly all of them: full-width punctuation and digits, wide spaces.
_COMMON = tuple((ch, unicodedata.normalize("NFKC", ch)) for ch in "，（）：；！？％．／０１２３４５６７８９\u3000\u00a0")


def nfkc(text: str) -> str:
    """Full-width digits and brackets to ASCII, Kangxi radicals (⾏) to ordinary characters.

    unicodedata normalises a whole text slowly once one character needs it, and a report's text
    has a few kinds of them (full-width ：（），) among thousands of characters that stay: those few
    are replaced by their own NFKC. The result has the same compatibility decomposition as the
    text, so when it is NFKC-normalised it is the text's NFKC (else unicodedata does it all)."""
    if len(text) < _FAST_CHARS or unicodedata.is_normalized("NFKC", text):
        return unicodedata.normalize("NFKC", text)
    out = text
    for ch, to in _COMMON:  # (a few substring tests are cheaper than looking at every character)
        if ch in out:
            out = out.replace(ch, to)
    if unicodedata.is_normalized("NFKC", out):
        return out
    for ch in set(_MAYBE_CHANGED.findall(out)):
        if (to := _nfkc_char(ch)) != ch:
            out = out.replace(ch, to)
    return out if unicodedata.is_normalized("NFKC", out) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def simplified(text: str) -> str:
    return _t2s().convert(text)


@cache
def _t2s():
    """OpenCC's converter, made on first use (loading its dictionaries takes a while)."""
    import opencc

    return opencc.OpenCC("t2s")


def squash(text: str) -> str:
    """Remove every kind of space (Chinese text has none between words): Unicode whitespace (NBSP
    and the ideographic space among it) and the zero-width space and BOM. (str.split is several
    times faster than a regex of these.)"""
    text = "".join(text.split())
    if "\u200b" in text:
        text = text.replace("\u200b", "")
    return text.replace("\ufeff", "") if "\ufeff" in text else text


@memo_short(65536)
def label_key(text: str) -> str:
    """The comparable form of a printed label: numbering, punctuation, digits and spaces removed."""
    text = squash(simplified(nfkc(text)))
    text = _NUMBERING.sub("", text)
    return _NOT_LABEL.sub("", text)


def split_numbering(text: str) -> list[str]:
    """Split a label cell at its numbering marks: "（六）其他处理3.其他" -> ["其他处理", "其他"]."""
    text = nfkc(text)
    parts = _NUMBERING.split(text)
    return [k for k in (label_key(p) for p in parts) if k]
