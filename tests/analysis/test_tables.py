"""Tables for pages and notebooks: everything from data escaped, codes in Chinese, integers as integers,
each rate with its counts, interval and formula, small bases greyed, the focal row first."""

from __future__ import annotations

import pandas as pd
from lxml import html as lxml_html

from govstats.analysis import metrics, tables


def _cells(markup: str) -> list[list[str]]:
    tree = lxml_html.fragment_fromstring(markup, create_parent="div")
    return [[td.text_content() for td in tr.xpath("./td")] for tr in tree.xpath("//tbody/tr")]


def test_text_from_data_is_escaped():
    frame = pd.DataFrame({"agency": ['<img src=x onerror=alert(1)>', "郏县<script>x()</script>"],
                          "message": ["-5【<script>alert(2)</script>】", '"><svg onload=alert(3)>']})
    markup = str(tables.table(frame))
    tree = lxml_html.fragment_fromstring(markup, create_parent="div")
    assert not tree.xpath("//script | //img | //svg")
    assert _cells(markup)[0] == ['<img src=x onerror=alert(1)>', "-5【<script>alert(2)</script>】"]
    assert "&lt;script&gt;" in str(tables.heading("<script>")) and "&lt;b&gt;" in str(tables.note("<b>"))


def test_codes_labels_integers_and_rates():
    frame = metrics.add_rates(pd.DataFrame({
        "area": ["平顶山市（全市）", "郏县"], "year": [2023, 2023], "level": ["city_gov", "county_gov"],
        "granted_partial": pd.array([1200, 2], dtype="Int64"), "total_processed": pd.array([2000, 3], dtype="Int64"),
        "check": ["I1_balance", "I2_outcomes"], "synthetic": [True, False]}))
    markup = str(tables.table(frame, focal=("area", "郏县")))
    head = lxml_html.fragment_fromstring(markup, create_parent="div").xpath("//th/text()")
    assert head[:2] == ["比较范围", "年度"] and "公开率（广义）" in head
    rows = _cells(markup)
    assert rows[0][0] == "郏县" and rows[1][0] == "平顶山市（全市）"  # the focal row first
    assert rows[0][1] == "2023" and rows[1][3] == "1,200"  # a year is no "2,023"; counts are integers
    assert rows[0][2] == "县级人民政府" and rows[0][5] == metrics.label("I2_outcomes") != "I2_outcomes"  # in Chinese
    assert rows[0][6] == "否" and rows[1][6] == "是"
    assert rows[1][7].startswith("60.0%") and "1,200/2,000" in rows[1][7] and "95%: 58%–62%" in rows[1][7]
    tree = lxml_html.fragment_fromstring(markup, create_parent="div")
    assert tree.xpath("//tr[1]/@class") == ["focal"]
    assert tree.xpath("//tbody/tr[1]/td[last()]/@class") == ["num small"]  # 2/3: greyed
    assert tree.xpath("//tbody/tr[2]/td[last()]/@class") == ["num"]
    notes = tree.xpath("//p[@class='formula']/text()")
    assert metrics.formula("rate_broad") in notes and any("灰色" in n for n in notes)
