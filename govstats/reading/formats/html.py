"""HTML reports (CMS article pages, saved pages, bare fragments) -> rows of cells.

The report sits inside site chrome; its tables were pasted from Word, so labels are split over
spans and paragraphs and cells are merged. The reader finds the article, keeps its title line
first, and emits paragraphs as one-cell rows and table rows as grids (see `cells.Grid`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from lxml import etree

from govstats.format import national_format
from govstats.reading.encoding import decode
from govstats.reading.formats import Rows
from govstats.reading.formats.cells import MAX_TAGS, Grid, clean, span
from govstats.reading.formats.text import split_line
from govstats.reading.patterns import trie as _trie
from govstats.reading.report import NotAReport

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CHROME = ("script", "style", "nav", "header", "footer", "iframe", "noscript", "select", "button", "textarea")
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article aside main blockquote center address "  # noqa: SIM905
    "hr tr td th caption figure figcaption form fieldset legend".split()
)
_HEADINGS = ("h1", "h2", "h3")
# A title names a report (年度报告, 工作报告, 年报; traditional too); "六、其他需要报告的事项" does not.
_TITLE_WORD = re.compile("(?:年度|工作)(?:报告|報告)|年报|年報")
_YEAR = re.compile(r"(?:19|20)\d\d")
_TITLE_SEP = re.compile(r"\s*[-_|–—]+\s*")
_SECTIONS = frozenset(("thead", "tbody", "tfoot"))
_DAMAGE_RATIO = 100  # a declared-UTF-8 page may have one damaged character in this many (GBK has far more)
_REPORT_TABLE_WORDS = 4  # distinct format words that make a table part of the report, not a menu
_ARTICLE_CHARS = 200  # paragraph text below this is not an article: keep the whole page
_span = lru_cache(maxsize=1024)(span)  # a page prints the same few colspan and rowspan values


def _text(el: etree._Element) -> str:
    """All text inside ``el`` (the fastest lxml way: serialising as text)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


@cache
def _markers() -> re.Pattern[str]:
    """Words that only a report table contains: the format's row, column and section keys."""
    fmt = national_format()
    keys = {k for s in fmt.sections.values() for k in s.keys}
    for t in fmt.tables.values():
        keys.update(k for r in t.rows for k in r.keys)
        keys.update(k for c in t.columns.values() for k in c.keys)
    return re.compile(_trie(k for k in keys if len(k) >= 3))


def html_rows(data: bytes) -> Rows:
    """Rows of an HTML report page, in document order, the title line first."""
    if data.count(b"<") > MAX_TAGS:  # counted before parsing: the tree of such a page takes gigabytes
        raise NotAReport(f"HTML page of over {MAX_TAGS:,} tags: no report page has that many")
    m = _CHARSET.search(data, 0, 16384)
    text = _decode(data, m.group(1).decode("ascii") if m else None)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    if root is None:
        raise NotAReport("HTML page without content")
    published = _published(root)  # (in the <head>, which goes with the chrome)
    headings = _report_headings(root)  # before the chrome goes: an article's <header> may hold its title
    etree.strip_elements(root, *_CHROME, with_tail=False)
    container = _article(root)
    title_el, title = _title(root, container, headings)
    rows = Rows([[title]] if title else [], stripped=True)  # every cell is clean()ed
    rows.published = published
    _Walker(rows, title_el).block(container)
    if not rows:
        raise NotAReport("HTML page without text")
    return rows


# <meta name=… content="2024-01-25 16:04"> tags by which government CMS sites (TRS, Hanweb …) and
# news markup say when a page was published.
_PUBLISHED_META = frozenset({"pubdate", "publishdate", "publish_date", "publishedtime", "pubtime", "firstpublishedtime",
                             "article:published_time", "dc.date", "dcterms.issued", "dc.date.issued"})
_DATE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def _published(root: etree._Element) -> str | None:
    """The publication date a page's meta tags give (yyyy-mm-dd), or None."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _PUBLISHED_META and (m := _DATE.search(meta.get("content") or "")):
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y}-{mo:02d}-{d:02d}"
    return None


def _decode(data: bytes, declared: str | None) -> str:
    """The page's text; a UTF-8 page with a few damaged bytes (saved or cut badly) is still UTF-8,
    where detection could take it for GB18030 (which decodes nearly any bytes)."""
    if (declared or "").lower().replace("-", "").replace("_", "") == "utf8":
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") * _DAMAGE_RATIO <= len(text):
            return text[1:] if text.startswith("\ufeff") else text
    return decode(data, declared)


def _article(root: etree._Element) -> etree._Element:
    """The element holding the report.

    A TRS editor div holding a table; else the common ancestor of the tables that print the
    format's labels (several of them: a menu table may name 行政许可 or 行政复议); else a TRS editor div; else the element with the most paragraph text (a report
    whose tables are images or in an older format); else the whole body.
    """
    body = root.find("body")
    body = root if body is None else body
    editor = None
    for div in body.iter("div"):
        if "TRS_Editor" in (div.get("class") or ""):
            if div.find(".//table") is not None:
                return div
            editor = editor if editor is not None else div
    hits = [(t, _format_words(clean(_text(t)).replace(" ", ""))) for t in body.iter("table") if t.find(".//table") is None]
    tables = [t for t, n in hits if n >= _REPORT_TABLE_WORDS] or [t for t, n in hits if n]
    if tables:
        return _common_ancestor(tables)
    if editor is not None:
        return editor
    return _densest(body)


def _format_words(text: str) -> int:
    """How many distinct format words ``text`` has, counted up to _REPORT_TABLE_WORDS (all that
    tells a report's table from a menu)."""
    seen: set[str] = set()
    for m in _markers().finditer(text):
        seen.add(m.group())
        if len(seen) >= _REPORT_TABLE_WORDS:
            break
    return len(seen)


def _common_ancestor(tables: list[etree._Element]) -> etree._Element:
    """The deepest element containing every table, lifted out of table structure."""
    common = list(tables[0].iterancestors())[::-1] + [tables[0]]
    for t in tables[1:]:
        path = list(t.iterancestors())[::-1] + [t]
        n = 0
        while n < len(common) and n < len(path) and common[n] is path[n]:
            n += 1
        common = common[:n]
    node = common[-1]
    while node.tag in ("table", "tr") or node.tag in _SECTIONS:
        node = node.getparent()
    return node


def _densest(body: etree._Element) -> etree._Element:
    """The element whose own paragraphs hold the most text, if that is a real article's worth."""
    score: dict[etree._Element, int] = {}
    for p in body.iter("p"):
        parent = p.getparent()
        score[parent] = score.get(parent, 0) + len(_text(p).strip())
    if not score:
        return body
    best = max(score, key=score.__getitem__)
    return best if score[best] >= _ARTICLE_CHARS else body


def _report_headings(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """Headings (h1-h3) that name a report, in document order."""
    out = []
    for h in root.iter(*_HEADINGS):
        text = clean(_text(h))
        if _TITLE_WORD.search(text):
            out.append((h, text))
    return out


def _title(
    root: etree._Element, container: etree._Element, headings: list[tuple[etree._Element, str]]
) -> tuple[etree._Element | None, str]:
    """The report's title line and its element: a heading in the article naming a report, else one
    elsewhere naming a year, else the page <title>."""
    outside = None
    for h, text in headings:
        if any(a is container for a in h.iterancestors()):
            return h, text
        if outside is None and _YEAR.search(text):
            outside = (None, text)
    if outside:
        return outside
    for t in root.iter("title"):
        parts = [p for p in _TITLE_SEP.split(clean(_text(t))) if _TITLE_WORD.search(p)]
        if parts:
            return None, parts[0]
    return None, ""


class _Walker:
    """Depth-first walk that turns blocks into one-cell rows and tables into grid rows."""

    __slots__ = ("rows", "skip", "buf")

    def __init__(self, rows: Rows, skip: etree._Element | None) -> None:
        self.rows = rows
        self.skip = skip
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            line = clean("".join(self.buf))
            self.buf = []
            if line:
                self.rows.append([line])

    def block(self, el: etree._Element) -> None:
        self.flush()
        if el.text:
            self.buf.append(el.text)
        self.children(el)
        self.flush()

    def children(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if child is self.skip:
                pass
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag == "br":
                self.flush()
            elif tag == "pre":  # preformatted text keeps its lines, and its cells apart as plain text does
                self.flush()
                self.rows.extend(split_line(line) for line in _text(child).splitlines() if line.strip())
            elif tag in _BLOCK:
                self.block(child)
            elif isinstance(tag, str):
                if child.text:
                    self.buf.append(child.text)
                self.children(child)
            if child.tail:
                self.buf.append(child.tail)

    def table(self, table: etree._Element) -> None:
        nested = table.find(".//table") is not None
        grid = Grid()
        caption = table.find("caption")
        if caption is not None:
            self.block(caption)
        rows = self.rows
        for cells in _table_items(table):
            if not isinstance(cells, list):  # content misplaced between rows
                self.block(cells)
                continue
            if nested and any(c.find(".//table") is not None for c in cells):
                for c in cells:  # a layout row: its cells are blocks holding paragraphs and tables
                    self.block(c)
                continue
            if not cells:
                continue
            spec = []
            for c in cells:  # the hot loop of the reader: kept free of calls where it can be
                text = _text(c) if len(c) else c.text
                if not text:
                    text = ""
                elif " " in text or not text.isprintable():
                    text = clean(text)
                attributes = c.items()  # (one call for all of them: cheaper than get() of each)
                if attributes:
                    colspan = rowspan = 1
                    for name, value in attributes:
                        if name == "colspan":
                            colspan = _span(value) if value else 1
                        elif name == "rowspan":
                            rowspan = _span(value) if value else 1
                    spec.append((text, colspan, rowspan))
                else:
                    spec.append((text, 1, 1))
            rows.append(grid.row(spec))


def _table_items(table: etree._Element) -> list:
    """In order: each row's cells (cells outside any <tr> form one row) and any other content.

    Rows of tables nested in cells are not included.
    """
    items: list = []
    stray: list[etree._Element] = []
    for child in table.iterchildren():
        tag = child.tag
        if tag == "td" or tag == "th":
            stray.append(child)
            continue
        if stray:
            items.append(stray)
            stray = []
        if tag == "tr":
            items.append(list(child.iterchildren("td", "th")))
        elif tag in _SECTIONS:
            items.extend(_table_items(child))
        elif tag != "caption" and isinstance(tag, str):
            items.append(child)
    if stray:
        items.append(stray)
    return items
