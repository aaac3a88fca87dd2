"""Round trip: a synthetic corpus in every format, read back with govstats' readers, gives back every
value the generator wrote; every injected defect is reported as a finding, and nothing else is."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from govstats import read_bytes
from govstats.reading.normalize import simplified
from govstats.reading.report import NotAReport
from govstats.synth.defects import BY_FORMAT, TABLE_OF
from govstats.synth.generate import generate_corpus, plan, resolve_counties

# The findings each defect must give (the first one at least), and all it may give.
ALLOWED = {
    "broken_total": ("I1_balance", "I2_outcomes", "I3_applicant_total", "I4_review_total"),
    "missing_table": ("table_missing",),
    "zeros_blank": ("blank_as_zero", "blank_recovered"),
    "footer_in_table": ("page_footer_in_table",),
    "gbk_encoding": ("encoding_not_utf8",),
    "traditional_title": ("traditional_characters",),
    "concatenated_digits": ("recovered_values",),
    "pdf_page_break": ("table_split_across_pages",),
    "figures_before_table": ("narrative_in_table", "stray_values"),
    "slipped_row": ("I3_applicant_total",),
    "flattened_text": ("recovered_values", "uncorroborated_value"),
}
ARGS = {"years": [2019, 2020, 2021, 2022, 2023, 2024], "seed": 11, "defects": 0.45, "reports": 24, "departments": 2}
FORMATS = ("txt", "html", "docx", "pdf")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    generate_corpus(out, counties="郏县", formats=FORMATS, all_formats=True, workers=1, **ARGS)
    docs = {d.path: d for d in plan(resolve_counties("郏县"), formats=FORMATS, all_formats=True, **ARGS)}
    return out, docs


def _problems(out: Path, doc) -> list[str]:
    """Everything that differs between what the generator wrote and what the reader read."""
    where = doc.path
    try:
        got = read_bytes((out / doc.path).read_bytes(), str(out / doc.path))
    except NotAReport as e:
        return [f"{where}: NotAReport: {e}"]
    want = doc.report
    out_ = []
    for field in ("year", "template"):
        if getattr(got, field) != getattr(want, field):
            out_.append(f"{where}: {field} read {getattr(got, field)!r}, wrote {getattr(want, field)!r}")
    if simplified(got.agency or "") != want.agency:
        out_.append(f"{where}: agency read {got.agency!r}, wrote {want.agency!r}")
    if not got.synthetic:
        out_.append(f"{where}: not marked synthetic")
    for key, cell in want.cells.items():
        read = got.cells.get(key)
        if read is None:
            out_.append(f"{where}: {'.'.join(key)} not read (wrote {cell.value!r}, state {cell.state})")
        elif read.value != cell.value:
            out_.append(f"{where}: {'.'.join(key)} read {read.value!r} (raw {read.raw!r}), wrote {cell.value!r}")
        elif cell.state == "blank" and read.state != "blank":
            out_.append(f"{where}: {'.'.join(key)} printed blank, read as state {read.state}")
    for key, cell in got.cells.items():
        if key not in want.cells and cell.state != "missing":
            out_.append(f"{where}: {'.'.join(key)} read {cell.value!r} ({cell.state}) but the document has no such cell")
    findings = [f"{f.check}/{f.severity}/{f.table}.{f.row}.{f.column}" for f in got.findings]
    if doc.defect:
        table = TABLE_OF.get(doc.defect, "")
        if doc.defect == "missing_table":
            table = doc.details.split()[1]
        allowed = ALLOWED[doc.defect]
        hit = [f for f in got.findings if f.check in allowed and (not table or f.table in (table, ""))]
        if not hit:
            out_.append(f"{where}: defect {doc.defect} ({doc.details}) not reported; findings {findings}")
        extra = [f for f in findings if f.split("/")[0] not in allowed]
        if extra:
            out_.append(f"{where}: defect {doc.defect} also reported {extra}")
    elif findings:
        out_.append(f"{where}: clean document reported {findings}")
    return out_


def test_every_defect_kind_is_exercised(corpus) -> None:
    _, docs = corpus
    seen = defaultdict(set)
    for d in docs.values():
        if d.defect:
            seen[d.fmt].add(d.defect)
    missing = {f: sorted(set(BY_FORMAT[f]) - seen[f]) for f in FORMATS if set(BY_FORMAT[f]) - seen[f]}
    assert not missing, f"the round-trip corpus lacks these defects: {missing}"
    hybrid_flat = [d for d in docs.values() if d.defect == "flattened_text" and d.report.template == "hybrid"]
    assert hybrid_flat, "the round-trip corpus lacks a hybrid report in flattened page text (issue 9.3)"


@pytest.mark.parametrize("fmt", FORMATS)
def test_roundtrip(corpus, fmt: str) -> None:
    out, docs = corpus
    problems = [p for d in docs.values() if d.fmt == fmt for p in _problems(out, d)]
    assert not problems, f"{len(problems)} problems in {fmt}:\n" + "\n".join(problems[:60])


def test_a_page_and_its_attachment_are_ingested_once(tmp_path) -> None:
    """--copies: reports published twice (a page and its attachment) come back as one report each; the
    ledger links the attachment, and exactly the reports whose two files print different numbers (a
    defect injected into one of them) get a copy_disagrees error."""
    from govstats.corpus import ingest, load

    args = {"years": [2022, 2023], "seed": 1, "defects": 0.5, "reports": 16, "departments": 3, "copies": 0.6}
    manifest = generate_corpus(tmp_path / "src", counties="宝丰县", formats=FORMATS, workers=1, **args)
    docs = list(plan(resolve_counties("宝丰县"), formats=FORMATS, **args))
    pairs = {d.path: d.same_report_as for d in docs if d.same_report_as}
    assert 4 <= len(pairs) < 16 and all(p.endswith(tuple(f"-附件.{f}" for f in FORMATS)) for p in pairs)
    assert (manifest["same_report_as"] != "").sum() == len(pairs)
    ingest([str(tmp_path / "src")], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    assert len(c.reports) == 16 and len(c.copies) == len(pairs)
    rid = dict(zip(c.ledger["path"].map(lambda p: str(Path(p).relative_to(tmp_path / "src"))), c.ledger["report_id"],
                   strict=True))
    assert all(rid[a] == rid[b] for a, b in pairs.items())
    by_path = {d.path: d.report for d in docs}

    def differ(a, b) -> bool:
        return any(by_path[b].cells.get(k) is not None and cell.value != by_path[b].cells[k].value
                   and cell.state != "missing" and by_path[b].cells[k].state != "missing"
                   for k, cell in by_path[a].cells.items())

    expected = {rid[a] for a, b in pairs.items() if differ(a, b)}
    assert expected, "the corpus should hold a report whose two files disagree"
    assert set(c.findings.loc[c.findings["check"] == "copy_disagrees", "report_id"]) == expected
