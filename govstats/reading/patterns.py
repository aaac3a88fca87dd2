"""Regexes built from many words (the format's labels): written as a trie, so that the regex engine
tries one branch per character instead of every word at every position of a page."""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie(keys: Iterable[str]) -> str:
    """A regex matching any of ``keys``, the longest at each position (as an alternation sorted
    longest first would), written as a trie."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        body = "" if not alts else alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
        return f"(?:{body})?" if "" in node and body else body

    return build(root)
