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
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_NUMBERING = re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|(?<![\d.])\d{1,2}\s*[、.．](?!\d)")
_NOT_LABEL = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")


def nfkc(text: str) -> str:
    """Full-width digits and brackets to ASCII, Kangxi radicals (⾏) to ordinary characters."""
    return unicodedata.normalize("NFKC", text)


def simplified(text: str) -> str:
    return _t2s().convert(text)


@cache
def _t2s():
    """OpenCC's converter, made on first use (loading its dictionaries takes a while)."""
    import opencc

    return opencc.OpenCC("t2s")


def squash(text: str) -> str:
    """Remove every kind of space (Chinese text has none between words)."""
    return _SPACES.sub("", text)


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
