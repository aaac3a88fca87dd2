"""Property: damage the layout of a document (sentences with figures before and between tables,
numbers detached from their row, digits swapped inside cells that ran together) and every value the
reader gives that differs from the truth is flagged at warning or error level. Real reports with a
truth file (../shared) and synthetic ones, under seeded random mutations."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace

import pytest

from govstats import NotAReport, read_bytes
from govstats.synth.documents import to_text
from govstats.synth.printing import Quirks
from tests._reports import known_report

SENTENCES = (
    "{y}年，共收到政府信息公开申请{n}件。",
    "总数{n}条，其中{a}条、{b}条，占{p}%。",
    "上述数据统计截至{y}年12月31日。",
    "合计：{n}",
    "其中：{a}，{b}",
)
HEADINGS = re.compile(r"(二、主动公开政府信息情况|三、收到和处理政府信息公开申请情况|四、[^\d]{0,30}?行政诉讼[^\d]{0,6}?情况|第二十条第（[一五六八]）项)")
RUN = re.compile(r"(?<=[\u4e00-\u9fff）)])\d{5,}(?=[\u4e00-\u9fff（(]|\s|$)")


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(y=rng.randint(2019, 2024), n=rng.randint(0, 900), a=rng.randint(0, 99),
                                        b=rng.randint(0, 99), p=rng.randint(1, 99))


def add_sentences(text: str, rng: random.Random) -> str:
    """Sentences with figures after headings (between a heading and its table, or between tables)."""
    spots = [m.end() for m in HEADINGS.finditer(text)]
    for at in sorted(rng.sample(spots, k=min(len(spots), rng.randint(1, 3))), reverse=True):
        text = text[:at] + _sentence(rng) + text[at:]
    return text


def swap_digits(text: str, rng: random.Random) -> str:
    """Two different adjacent digits swapped inside a row of table 三 whose cells ran together. (A
    swap inside one number of part 二, or between two parts of one row of part 四, is a valid table
    too: no reader could tell, so it is not a layout defect to test.)"""
    start = text.find("三、收到和处理政府信息公开申请情况")
    end = text.find("行政复议", text.find("四、结转下年度继续办理"))
    runs = [m for m in RUN.finditer(text, start, end) if len(set(m.group())) > 1]
    if not runs:
        return text
    m = rng.choice(runs)
    digits = list(m.group())
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
    i = rng.choice(pairs)
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return text[: m.start()] + "".join(digits) + text[m.end() :]


def detach_rows(text: str, rng: random.Random) -> str:
    """Tab text: a few table rows print their label on one line and their numbers on the next."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.count("\t") >= 2 and re.search(r"[\u4e00-\u9fff]", line.split("\t")[0])
            and all(re.fullmatch(r"\d*", c) for c in line.split("\t")[1:])]
    for i in sorted(rng.sample(rows, k=min(len(rows), rng.randint(1, 4))), reverse=True):
        label, *values = lines[i].split("\t")
        lines[i : i + 1] = [label, "\t".join(values)]
    return "\n".join(lines)


def unflagged(report, truth: dict, seen: list[int] | None = None) -> list[str]:
    """Cells whose value differs from the truth with no warning or error on their table and row or
    column (a null is not a value: the reader said it does not know). ``seen`` counts the differing
    values, flagged or not, so that a test can show its mutations did something."""
    bad = []
    for table, rows in truth.items():
        for row, cols in rows.items():
            for col, want in cols.items():
                have = report.value(table, row, col)
                if have is None or (want is not None and abs(float(have) - float(want)) < 1e-9):
                    continue
                if seen is not None:
                    seen[0] += 1
                if not any(f.severity in ("warning", "error") and f.table == table and f.row in ("", row)
                           and f.column in ("", col) for f in report.findings):
                    bad.append(f"{table}.{row}.{col} read {have}, truth {want}")
    return bad


MUTATIONS = {"sentences": add_sentences, "swap": swap_digits}


def _real_cases(shared_dir):
    real = shared_dir / "corpus" / "real"
    for path in sorted((real / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth["source_file"].endswith(".txt"):
            yield path.stem, (real / truth["source_file"]).read_text(encoding="utf-8"), truth["tables"]


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_mutated_real_reports_never_give_a_silent_wrong_number(shared_dir, kind):
    problems, seen = [], [0]
    cases = list(_real_cases(shared_dir))
    assert cases
    for name, text, truth in cases:
        for seed in range(6):
            mutated = MUTATIONS[kind](text, random.Random(f"{name}|{kind}|{seed}"))
            try:
                report = read_bytes(mutated.encode("utf-8"))
            except NotAReport:
                continue
            problems += [f"{name} seed {seed}: {p}" for p in unflagged(report, truth, seen)]
    assert problems == []
    assert kind == "sentences" or seen[0] > 0, "the swaps changed no value: the test would prove nothing"


@pytest.mark.parametrize("template", ["2021", "2019", "hybrid"])
@pytest.mark.parametrize("flattened", [False, True], ids=["tabs", "flattened"])
def test_mutated_synthetic_reports_never_give_a_silent_wrong_number(template, flattened):
    problems, seen = [], [0]
    for seed in range(8):
        report = replace(known_report(template, seed=seed), agency="某某县发展和改革局", year=2023)
        text = to_text(report, quirks=Quirks(flattened=flattened)).decode("utf-8")
        rng = random.Random(f"{template}|{flattened}|{seed}")
        mutated = add_sentences(text, rng)
        mutated = swap_digits(mutated, rng) if flattened else detach_rows(mutated, rng)
        try:
            got = read_bytes(mutated.encode("utf-8"))
        except NotAReport as e:
            problems.append(f"seed {seed}: NotAReport {e}")
            continue
        problems += [f"seed {seed}: {p}" for p in unflagged(got, report.tables(), seen)]
    assert problems == []
    assert not flattened or seen[0] > 0, "the swaps changed no value: the test would prove nothing"
