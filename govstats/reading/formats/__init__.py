"""Format readers: each turns the bytes of one format into rows of cells, in document order.

A paragraph or text line is a one-cell row; a table row keeps its cells (merged cells expanded
so that every row of a table has its labels). `govstats.reading.interpret` turns rows into a Report, so
every format is read by the same label matching, checks and recovery.
"""

from govstats.reading.report import Finding


class Rows(list):
    """Rows of cells (a list of lists of strings), plus `notes`: what the reader repaired on the
    way (a table joined across a page break, …), which the Report lists as findings; `stripped`:
    whether the reader already stripped every cell (then interpretation need not; rows made from
    other Rows keep it); for text read by OCR, `confidence`: each table cell's text -> the
    recogniser's lowest confidence for it; and `published`: the date the file's metadata gives
    (an HTML page's publication meta tag, a PDF's creation date)."""

    def __init__(self, rows=(), notes: list[Finding] | None = None, *, stripped: bool | None = None):
        super().__init__(rows)
        self.notes: list[Finding] = list(notes or [])
        self.confidence: dict[str, float] = {}
        self.stripped: bool = getattr(rows, "stripped", False) if stripped is None else stripped
        self.published: str | None = getattr(rows, "published", None)  # yyyy-mm-dd from the file's metadata
