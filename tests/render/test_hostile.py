"""Hostile input never runs in a published page, and distinct places never share one.

A corpus is rendered whose catalog.csv gives places names like ``"><svg onload=…>``, ``a/b``, ``a_b``,
``a b`` and names past 80 characters, whose documents carry script in their title and tables, and
whose dataset holds an agency name, a report title and a finding message with script in them (text
that a reader let through). Every page is parsed: no script element, no event-handler attribute, no
``javascript:`` link, and the hostile text is shown as text.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lxml import html as lxml_html

from govstats.cli import main
from govstats.render.page import sanitize

LONG = "长" * 90
PLACES = {  # agency folder -> (province, city, county) written into catalog.csv
    "郏县人民政府": ("河南省", "平顶山市", "a/b"),
    "郏县人民政府办公室": ("河南省", "平顶山市", "a_b"),
    "郏县冢头镇人民政府": ("河南省", "平顶山市", "a b"),
    "郏县龙山街道办事处": ("河南省", "平顶山市", f"{LONG}县"),
    "郏县堂街镇人民政府": ("河南省", "平顶山市", f"{LONG}区"),
    "郏县薛店镇人民政府": ('"><svg onload=alert(1)>', "<img src=x onerror=alert(2)>", "javascript:alert(3)"),
}
AGENCY = '郏县<script>alert("agency")</script>局'
MESSAGE = '-5【<script>alert("finding")</script>】<img src=x onerror=alert("finding")>'


def _hostile_documents(docs: Path) -> None:
    """Script in a title and in a table cell of two documents, as a hostile site would print them."""
    first = next(docs.rglob("郏县人民政府/*.txt"))
    text = first.read_text(encoding="utf-8")
    text = text.replace("郏县人民政府20", "郏县<script>alert('title')</script>人民政府20", 1)
    first.write_text(re.sub(r"(行政许可\t)\d+", r"\1-5【<script>alert('cell')</script>】", text, count=1),
                     encoding="utf-8")


def _hostile_catalog(docs: Path) -> None:
    path = docs / "catalog.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        agency = row["path"].split("/")[-2]
        if agency in PLACES:
            row["province"], row["city"], row["county"] = PLACES[agency]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _hostile_dataset(data: Path) -> None:
    """What a reader might let through: script in an agency name, a title and a finding message."""
    reports = pq.read_table(data / "reports.parquet")
    frame = reports.to_pandas()
    target = frame.index[frame["county"] == "郏县"][0]
    frame.loc[target, "agency"] = AGENCY
    frame.loc[target, "title"] = AGENCY + "2023年政府信息公开工作年度报告"
    pq.write_table(pa.Table.from_pandas(frame, schema=reports.schema, preserve_index=False), data / "reports.parquet")
    findings = pq.read_table(data / "findings.parquet")
    row = {f.name: [None] for f in findings.schema}
    row.update(report_id=[frame.loc[target, "report_id"]], check=["I1_balance"], severity=["error"], message=[MESSAGE])
    extra = pa.table(row, schema=findings.schema)
    pq.write_table(pa.concat_tables([findings, extra]), data / "findings.parquet")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    docs, data, out = root / "docs", root / "data", root / "reports"
    assert main(["synth", "--out", str(docs), "--counties", "郏县", "--years", "2023", "--formats", "txt",
                 "--departments", "1", "--seed", "3"]) == 0
    _hostile_documents(docs)
    _hostile_catalog(docs)
    assert main(["ingest", str(docs), "--out", str(data), "--quiet", "--workers", "1"]) == 0
    _hostile_dataset(data)
    assert main(["render", "--all", "--data", str(data), "--out", str(out)]) == 0
    return out


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_no_script_handler_or_javascript_link_from_data(rendered):
    pages = _pages(rendered)
    assert len(pages) == 1 + 7  # the index and one page per county: 郏县 and the six catalog places
    for page in pages:
        tree = lxml_html.fromstring(page.read_bytes())
        assert not tree.xpath("//script | //iframe | //object | //embed | //svg | //body//style"), page
        for el in tree.iter():
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (page, el.tag, name)
                assert "javascript:" not in value.lower().replace(" ", ""), (page, el.tag, name, value)
            if el.tag == "img":
                assert el.get("src", "").startswith("data:image/png;base64,"), page
        for href in tree.xpath("//a/@href"):
            assert (page.parent / href.split("#")[0]).resolve().exists(), (page, href)


def test_hostile_text_is_shown_as_text(rendered):
    index = lxml_html.fromstring((rendered / "index.html").read_bytes()).text_content()
    for province, city, county in PLACES.values():
        assert county in index and province in index and city in index
    jia = next(p for p in _pages(rendered) if "/郏县/" in p.as_posix())
    text = lxml_html.fromstring(jia.read_bytes()).text_content()
    assert AGENCY in text  # escaped where it entered the page, so the reader sees it, and nothing runs
    assert '-5【<script>alert("finding")</script>】' in text


def test_distinct_places_get_distinct_pages_and_the_index_says_so(rendered):
    stems = {p.parent.relative_to(rendered).as_posix() for p in _pages(rendered) if p.name != "index.html"}
    assert len(stems) == 7
    assert "河南省/平顶山市/a_b" in stems  # a safe name is kept
    assert all(len(part) <= 80 for s in stems for part in s.split("/"))
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert index.count("路径已改写") == 5  # a/b, a b, both long names and the hostile place


def test_sanitizer_keeps_document_markup_only():
    dirty = ('<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)>'
             '<img src="data:image/png;base64,AAAA"><a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
             '<a href="2023.html">ok</a><style>*{}</style><iframe src=x></iframe><td style="x">1</td></p>')
    clean = sanitize(dirty)
    tree = lxml_html.fragment_fromstring(clean, create_parent="div")
    assert not tree.xpath("//script | //style | //iframe")
    assert [a.get("href") for a in tree.xpath("//a")] == [None, None, "2023.html"]
    assert [i.get("src") for i in tree.xpath("//img")] == [None, "data:image/png;base64,AAAA"]
    assert not any(k.startswith("on") or k == "style" for el in tree.iter() for k in el.attrib)
