"""The shortcuts that make reading fast give the results of the plain computations they replace."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from govstats.format import national_format
from govstats.reading import audit, checks
from govstats.reading.formats.html import _markers, _trie
from govstats.reading.formats.text import _SPACE_RUN, split_line
from govstats.reading.metadata import _traditional
from govstats.reading.normalize import nfkc, simplified, squash
from govstats.reading.read import rows_for, sniff
from govstats.reading.report import Cell
from govstats.reading.sentences import split_sentences
from govstats.synth.documents import to_docx, to_html, to_text
from govstats.synth.printing import Quirks
from tests._reports import known_report


def test_trie_pattern_matches_as_the_longest_first_alternation():
    rng = random.Random(3)
    for _ in range(200):
        keys = {"".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 30))}
        alternation = re.compile("|".join(sorted(keys, key=len, reverse=True)))
        trie = re.compile(_trie(keys))
        for _ in range(10):
            text = "".join(rng.choice("甲乙丙丁 ") for _ in range(80))
            assert trie.findall(text) == alternation.findall(text)


def test_report_table_words_found_as_before():
    fmt = national_format()
    keys = {k for s in fmt.sections.values() for k in s.keys}
    for t in fmt.tables.values():
        keys.update(k for r in t.rows for k in r.keys)
        keys.update(k for c in t.columns.values() for k in c.keys)
    alternation = re.compile("|".join(sorted((k for k in keys if len(k) >= 3), key=len, reverse=True)))
    text = "".join(sorted(keys)) + "其他行政许可行政复议结果维持本年新收政府信息公开申请数量"
    assert _markers().findall(text) == alternation.findall(text)


def test_nfkc_replacing_characters_is_unicodedata_nfkc():
    rng = random.Random(4)
    # characters that change, that combine (e + acute, half-width kana + voicing mark, Hangul jamo)
    pool = "政府信息公开年度报告（）：，。、１２３ＡＢ⾏⽇ \u3000\u00a0e\u0301ｶﾞﾞ①²…ﬁ\u1100\u1161\uac00\u11a8\u0327\u0323"
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 200)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_squash_removes_what_a_regex_of_every_space_does():
    every = "".join(chr(c) + "字" for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert squash(every) == re.sub(r"[\s\u00a0\u3000\u200b\ufeff]+", "", every)


def test_sentences_split_as_at_each_end_character():
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice("年报。；;！!？?\n\r 1") for _ in range(rng.randint(0, 15)))
        assert split_sentences(text) == re.split(r"[。；;！!？?\n]", text)


def test_lines_without_spaces_split_as_by_the_regex():
    rng = random.Random(9)
    for _ in range(3000):
        line = "".join(rng.choice("政府1 |\u3000\u00a0\u2002\n\r") for _ in range(rng.randint(0, 12)))
        if "\t" in line or (line.strip().startswith("|") and line.strip().count("|") >= 2):
            continue
        assert split_line(line) == [c.strip() for c in _SPACE_RUN.split(line.strip())]


def test_four_chinese_characters_as_counted():
    rng = random.Random(6)
    for _ in range(2000):
        text = "".join(rng.choice("政府ab 1。\n，") for _ in range(rng.randint(0, 12)))
        assert bool(audit._FOUR_CJK.match(text)) == (len(re.findall("[\u4e00-\u9fff]", text)) >= 4)


def test_lines_cleaned_at_once_as_one_by_one():
    rng = random.Random(5)
    pool = ["發佈時間：２０２４年１月２５日", "穿著", "乾隆", "隆重", "政府信息公開", "ｶﾞ", " ", "\u3000", "e\u0301", "⾏政", "\t"]
    for _ in range(300):
        lines = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 8))]
        assert audit._clean_lines(lines) == [audit._clean(line) for line in lines]
        assert audit._squash_each(lines) == [squash(line) for line in lines]
    for lines in (["a\x01b", "發佈"], ["a\x01", "\x01 b", "c"], ["\x01"], []):
        assert audit._clean_lines(lines) == [audit._clean(line) for line in lines]
        assert audit._squash_each(lines) == [squash(line) for line in lines]


def test_lines_cleaned_from_the_memo_as_one_by_one():
    rng = random.Random(8)
    pool = ["發佈時間：２０２４年１月２５日", "乾隆", "隆重", "公開", "ｶﾞ", " ", "e\u0301", "⾏政", "\t", "\x01", "1" * 60]
    for _ in range(300):  # lines recur: the second time from the memo, next to other lines
        lines = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 8))]
        assert audit._clean_lines_memo(lines) == [audit._clean(line) for line in lines]


@pytest.mark.parametrize("lines", [
    ("本文件为合成示例数据，数字为随机生成。", "郏县人民政府2023年政府信息公开工作年度报告"),
    ("郟縣人民政府", "2023年政府信息公開工作年度報告"),
    ("標題：", "平潭綜合實驗區2021年度報告"),
    ("２０２３年", "ＡＢＣ政府信息公开工作年度报告"),
    ("上海市科委", "２０２４年度報告，"),
    ("郏县人民政府2023年政府信息公开工作年度报告",),
    ("乾隆", "隆重"),
])
def test_title_check_line_by_line_agrees_with_the_joined_text(lines):
    printed = nfkc("".join(lines))
    assert _traditional(lines) == (simplified(printed) != printed)


def test_identity_sums_at_once_agree_with_instance_by_instance():
    rng = random.Random(1)
    for template in ("2021", "2019", "hybrid"):
        report = known_report(template, seed=rng.randrange(100))
        keys = list(report.cells)
        for _ in range(20):
            for k in rng.sample(keys, 5):
                report.cells[k] = Cell(*k, value=rng.choice((None, 0, 7, 2.5)), state="number")
            if rng.random() < 0.3:
                del report.cells[rng.choice(list(report.cells))]
            fast = checks._all_sums(report)
            slow = [checks._sums(report.cells, inst) for inst in checks.instances(report)]
            assert fast == slow



def _all_stripped(docs: list[bytes]) -> None:
    for data in docs:
        rows = rows_for(data, sniff(data))
        assert rows.stripped
        assert all(cell == cell.strip() for row in rows for cell in row)


def test_readers_that_say_their_cells_are_stripped_do_strip_them():
    _all_stripped([write(known_report(t, seed=2), quirks=q) for t in ("2021", "hybrid") for write in (to_text, to_html, to_docx)
                   for q in (Quirks(), Quirks(cms_page=True, encoding="gbk"))])


def test_real_reports_read_stripped(shared_dir):
    _all_stripped([p.read_bytes() for p in (shared_dir / "corpus").rglob("*") if p.suffix in (".txt", ".html", ".docx")])
