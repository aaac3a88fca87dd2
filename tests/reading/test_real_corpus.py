"""Accuracy on the real reports in ../shared/corpus/real: every truth file matches exactly, every
other file reads or fails with a clear one-line reason. Skips when ../shared is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govstats import NotAReport, read_report


def _truths(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "corpus" / "real" / "truth").glob("*.json"))


def test_every_truth_file_matches_exactly(shared_dir):
    real = shared_dir / "corpus" / "real"
    files = _truths(shared_dir)
    assert files, "no truth files found"
    problems = []
    for path in files:
        truth = json.loads(path.read_text(encoding="utf-8"))
        report = read_report(real / truth["source_file"])
        got = report.tables()
        if report.template != truth["template"]:
            problems.append(f"{path.name}: template {report.template} != {truth['template']}")
        if report.year != truth["year"]:
            problems.append(f"{path.name}: year {report.year} != {truth['year']}")
        for table, rows in truth["tables"].items():
            for row, cols in rows.items():
                for col, want in cols.items():
                    have = got[table][row][col]
                    if want is None:
                        if have is not None:
                            problems.append(f"{path.name}: {table}.{row}.{col} should be null, read {have}")
                    elif have is None or abs(float(have) - float(want)) > 1e-9:
                        problems.append(f"{path.name}: {table}.{row}.{col} = {have}, truth {want}")
        for expected in truth.get("expected_findings", []):
            want = expected if isinstance(expected, dict) else {"check": expected}
            if not any(all(getattr(f, k) == want[k] for k in ("check", "table", "row", "column") if k in want)
                       for f in report.findings):  # the check on the table and row the truth names
                problems.append(f"{path.name}: expected finding {want} not reported")
    assert problems == []


def test_every_other_real_file_reads_or_fails_clearly(shared_dir):
    corpus = shared_dir / "corpus"
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and "truth" not in p.parts and p.suffix != ".md"
             or p.name.endswith("-source.md")]
    assert len(files) > 10
    for path in files:
        try:
            report = read_report(path)
        except NotAReport as e:
            assert str(e) and "\n" not in str(e)
            continue
        assert report.status in ("parsed", "unsupported_format"), path
        if report.status == "unsupported_format":
            assert report.cells == {} and report.year is not None and report.year < 2019


def test_printed_identity_break_is_data_not_failure(shared_dir):
    """The 2020 平潭 report prints outcome rows adding to 27 against a 总计 of 21."""
    page = next((shared_dir / "corpus" / "real" / "pingtan_transcribed").glob("80595_*/page.txt"))
    report = read_report(page)
    f = next(f for f in report.findings if f.check == "I2_outcomes" and f.column == "total")
    assert (f.printed, f.expected) == (21, 27)
    assert report.value("applications", "total_processed", "total") == 21


def test_blank_template_is_not_a_report(shared_dir):
    with pytest.raises(NotAReport, match="blank template"):
        read_report(shared_dir / "corpus" / "templates" / "govnianbao" / "政务公开年报模版.docx")


@pytest.mark.parametrize("stem", ["80754_", "80774_", "80506_"])
def test_pre2019_reports_are_metadata_only(shared_dir, stem):
    page = next((shared_dir / "corpus" / "real" / "pingtan_transcribed").glob(f"{stem}*/page.txt"))
    report = read_report(page)
    assert report.status == "unsupported_format" and report.cells == {} and report.agency
