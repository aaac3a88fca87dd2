"""Property: any valid report, written as text with random real-world quirks, reads back exactly;
and any broken identity is always reported."""

from __future__ import annotations

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govstats import read_bytes
from govstats.format import national_format

FMT = national_format()
APPS = FMT.tables["applications"]
APPLICANTS = [c for c in APPS.columns if c != "total"]
OUTCOMES = [r for r in FMT.identities if r.id == "I2_outcomes"][0].rhs
FULL = str.maketrans("0123456789()", "０１２３４５６７８９（）")
HALF = str.maketrans("（）", "()")
T2S = opencc.OpenCC("s2t")


@st.composite
def reports(draw):
    """A template and values for every cell, with every identity holding."""
    template = draw(st.sampled_from(["2021", "2019", "hybrid"]))
    count = st.integers(0, 40) | st.just(0)
    values: dict[tuple[str, str, str], int | float] = {}
    app_rows = [r.code for r in APPS.rows_for(template)]
    for col in APPLICANTS:
        outs = {r: draw(count) for r in OUTCOMES if r in app_rows}
        processed = sum(outs.values())
        forward = draw(st.integers(0, 5))
        over = draw(st.integers(0, processed + forward))
        col_vals = {**outs, "total_processed": processed, "carried_forward": forward, "carried_over": over,
                    "new_received": processed + forward - over}
        for r, v in col_vals.items():
            values[("applications", r, col)] = v
    for r in app_rows:
        values[("applications", r, "total")] = sum(values[("applications", r, c)] for c in APPLICANTS)
    for r in FMT.tables["review_litigation"].rows_for(template):
        parts = [draw(st.integers(0, 9)) for _ in range(4)]
        for c, v in zip(r.columns, [*parts, sum(parts)], strict=True):
            values[("review_litigation", r.code, c)] = v
    for r in FMT.tables["disclosure"].rows_for(template):
        for c in r.columns:
            spec = FMT.column("disclosure", c)
            if spec.decimal:
                v = draw(st.integers(0, 10**7)) / 100
            elif spec.signed:
                v = draw(st.integers(-50, 50))
            else:
                v = draw(st.integers(0, 200000))
            values[("disclosure", r.code, c)] = v
    return template, values


@st.composite
def quirks(draw):
    return {
        "sep": draw(st.sampled_from(["\t", "   ", "pipe"])),
        "half_brackets": draw(st.booleans()),
        "dot_numbering": draw(st.sampled_from(["1.", "1、", "1．"])),
        "nbsp": draw(st.booleans()),
        "full_width": draw(st.booleans()),
        "thousands": draw(st.booleans()),
        "traditional_title": draw(st.booleans()),
        "footer_at": draw(st.integers(0, 25)),
    }


def _num(v: int | float, q: dict) -> str:
    if isinstance(v, float):
        text = f"{v:,.2f}" if q["thousands"] else f"{v:.2f}"
    else:
        text = f"{v:,}" if q["thousands"] and v >= 1000 else str(v)
    return text.translate(FULL) if q["full_width"] else text


def _label(text: str, q: dict) -> str:
    if q["half_brackets"]:
        text = text.translate(HALF)
    text = text.replace("1.", q["dot_numbering"]) if text.startswith("1.") else text
    if q["nbsp"] and len(text) > 3:
        text = text[:2] + "\u00a0" + text[2:]
    return text


def _line(cells: list[str], q: dict) -> str:
    if q["sep"] == "pipe":
        return "| " + " | ".join(cells) + " |"
    return q["sep"].join(cells)


def write(template: str, values: dict, q: dict) -> bytes:
    title = "某某县交通运输局2022年政府信息公开工作年度报告"
    lines = [T2S.convert(title) if q["traditional_title"] else title, "一、总体情况", "我局依法公开政府信息。"]
    lines.append("二、主动公开政府信息情况")
    for r in FMT.tables["disclosure"].rows_for(template):
        lines.append(_line([_label(r.zh, q), *(_num(values[("disclosure", r.code, c)], q) for c in r.columns)], q))
    lines.append("三、收到和处理政府信息公开申请情况")
    header = [""] + [APPS.columns[c].zh for c in APPS.columns]
    lines.append(_line(header, q))
    for i, r in enumerate(APPS.rows_for(template)):
        if i == q["footer_at"]:
            lines += ["— 3 —", _line(header, q)]
        lines.append(_line([_label(r.zh, q), *(_num(values[("applications", r.code, c)], q) for c in r.columns)], q))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    rl = FMT.tables["review_litigation"].rows_for(template)
    lines.append(_line([_num(values[("review_litigation", r.code, c)], q) for r in rl for c in r.columns], q))
    lines += ["五、存在的主要问题及改进情况", "公开内容不够全面，下一步将加强培训。", "六、其他需要报告的事项", "本年度未收取信息处理费。"]
    return "\n".join(lines).encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), quirks())
def test_valid_reports_read_back_exactly(report, q):
    template, values = report
    r = read_bytes(write(template, values, q))
    assert r.template == template
    assert r.agency == "某某县交通运输局" and r.year == 2022
    for key, v in values.items():
        got = r.value(*key)
        assert got is not None and abs(got - v) < 1e-9, (key, v, got)
    assert [f for f in r.findings if f.severity != "info"] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), quirks(), st.data())
def test_broken_identity_always_reported(report, q, data):
    template, values = report
    table = data.draw(st.sampled_from(["applications", "review_litigation"]))
    key = data.draw(st.sampled_from(sorted(k for k in values if k[0] == table)))
    values = {**values, key: values[key] + data.draw(st.integers(1, 30))}
    r = read_bytes(write(template, values, q))
    assert r.value(*key) == values[key]  # printed numbers are kept
    errors = [f for f in r.findings if f.severity == "error" and f.check.startswith(("I1", "I2", "I3", "I4"))]
    assert errors, f"no identity error after changing {key}"
