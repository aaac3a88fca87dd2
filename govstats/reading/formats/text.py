"""Plain text copied or extracted from reports: tab-separated cells, runs of spaces, markdown pipe
tables, or one cell per line. Each line becomes a row of cells."""

from __future__ import annotations

import re

from govstats.reading.encoding import decode
from govstats.reading.formats import Rows

_SPACE_RUN = re.compile(r"[ \u00a0\u3000]{2,}")
_PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def split_line(line: str) -> list[str]:
    """Cells of one line, by the separator the line uses."""
    if "\t" in line:
        return list(map(str.strip, line.split("\t")))
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped.strip("|").split("|")]
    if " " not in stripped and "\u3000" not in stripped and "\u00a0" not in stripped:
        return [stripped]  # no space to split at: a paragraph line (most lines that have no tab)
    return [c.strip() for c in _SPACE_RUN.split(stripped)]


def text_rows(data: bytes) -> Rows:
    """Rows of a text document; blank lines and markdown table rules are dropped."""
    text = decode(data)
    rows = Rows(stripped=True)  # split_line strips every cell
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or (stripped[0] in "|:-" and _PIPE_RULE.match(stripped)):
            continue
        # the tab-separated case of split_line inline: it is most lines of most text reports
        rows.append(list(map(str.strip, line.split("\t"))) if "\t" in line else split_line(line))
    return rows
