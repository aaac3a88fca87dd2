"""One report per agency and year: files of the same report are ingested once, the best read kept,
the others linked in the ledger as copies; versions that disagree get an error finding."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govstats.analysis import metrics
from govstats.corpus import ingest, load
from govstats.corpus.copies import FORMAT_ORDER, canonical
from govstats.reading.report import Cell
from govstats.synth.documents import to_docx, to_html, to_pdf, to_text
from tests.corpus.test_corpus import PLACE, report, snapshot, write

AGENCY = "郏县教育局"


def folder(root: Path) -> Path:
    return root.joinpath(*PLACE, AGENCY)


def statuses(c) -> dict[str, str]:
    return dict(zip(c.ledger["path"].map(lambda p: Path(p).name), c.ledger["status"].astype(str), strict=True))


def test_a_page_and_its_attachment_are_one_report(tmp_path):
    src = tmp_path / "src"
    r = report(AGENCY, 2023, new=4, fwd=1)
    write(folder(src) / "2023.html", to_html(r))
    write(folder(src) / "附件" / "2023年报.docx", to_docx(r))
    write(folder(src) / "2022.txt", to_text(report(AGENCY, 2022, new=2)))
    summary = ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    assert summary.counts["parsed"] == 2 and summary.counts["copy"] == 1 and "copy 1" in summary.text()
    c = load(tmp_path / "out")
    assert statuses(c) == {"2023.html": "copy", "2023年报.docx": "parsed", "2022.txt": "parsed"}
    kept = c.reports.loc[c.reports["year"] == 2023].squeeze()
    assert kept["source_format"] == "docx"  # same read quality: DOCX before HTML
    page = c.ledger[c.ledger["path"].str.endswith("2023.html")].squeeze()
    assert page["report_id"] == kept["report_id"] and page["reason"] == f"same report as {kept['source_path']}"
    assert len(c.reports) == 2 and c.reports["report_id"].is_unique
    new = c.sql("select sum(total) as n from applications where row = 'new_received'")["n"].item()
    assert new == 4 + 2  # the 2023 report counted once
    vol = metrics.volumes(c, by="year").set_index("year")
    assert vol["reports"].to_dict() == {2022: 1, 2023: 1} and vol.loc[2023, "new_received"] == 4
    assert set(c.cells["report_id"]) == set(c.applications["report_id"]) == set(c.reports["report_id"])
    assert c.copies[["source_format", "copy_of", "year"]].values.tolist() == [["html", kept["report_id"], 2023]]
    assert not c.findings["check"].eq("copy_disagrees").any()
    assert c.findings[c.findings["check"] == "missing_year"].empty  # 2022 and 2023 are one series


def test_disagreeing_copies_give_an_error_listing_the_cells(tmp_path):
    src = tmp_path / "src"
    good = report(AGENCY, 2023, new=4, fwd=1)
    other = report(AGENCY, 2023, new=4, fwd=1)
    for row, col, v in (("granted", "natural_person", 9), ("granted", "total", 9)):
        other.cells["applications", row, col] = Cell("applications", row, col, v, "number", str(v))
    write(folder(src) / "2023.docx", to_docx(good))
    write(folder(src) / "2023.pdf", to_pdf(other))  # breaks identities: more errors, so never kept
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    assert statuses(c) == {"2023.docx": "parsed", "2023.pdf": "copy"}
    f = c.findings[c.findings["check"] == "copy_disagrees"].squeeze()
    assert f["severity"] == "error" and f["report_id"] == c.reports["report_id"].item()
    assert f["table"] == "applications" and "2023.pdf" in f["message"]
    assert "applications.granted.natural_person: 3 vs 9; applications.granted.total: 3 vs 9" in f["message"]
    assert c.reports["n_errors"].item() == 1
    assert c.copies["n_errors"].item() > 0  # the PDF's own identity failures, not in the dataset's findings
    assert set(c.findings["report_id"]) == {c.reports["report_id"].item()}


def test_a_null_cell_is_not_a_disagreement_and_the_fuller_read_wins(tmp_path):
    src = tmp_path / "src"
    full = report(AGENCY, 2023, new=4)
    holed = report(AGENCY, 2023, new=4)
    key = ("disclosure", "normative_documents", "made")
    holed.cells[key] = Cell(*key, None, "text", "若干")
    write(folder(src) / "2023.docx", to_docx(holed))
    write(folder(src) / "2023.txt", to_text(full))
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    assert statuses(c) == {"2023.docx": "copy", "2023.txt": "parsed"}  # fewer null cells beats the format order
    assert c.reports["n_null"].item() == 0 and c.copies["n_null"].item() > 0
    assert not c.findings["check"].eq("copy_disagrees").any()


def _versions(rows: list[dict]) -> pd.DataFrame:
    base = {"synthetic": False, "province": "河南省", "city": "平顶山市", "county": "郏县", "agency_key": AGENCY,
            "year": 2023, "scope": "own", "status": "parsed", "source_format": "html", "n_null": 0,
            "read_errors": 0, "read_warnings": 0}
    return pd.DataFrame([{**base, "report_id": f"r{i}", "source_path": f"/d/{i}", **r} for i, r in enumerate(rows)])


@pytest.mark.parametrize(
    ("rows", "kept"),
    [
        ([{"n_null": 2, "source_format": "docx"}, {"n_null": 1, "source_format": "text"}], "r1"),
        ([{"read_errors": 1}, {"read_warnings": 3}], "r1"),
        ([{"read_warnings": 2}, {"read_warnings": 1}], "r1"),
        ([{"source_format": "pdf"}, {"source_format": "html"}, {"source_format": "text"}], "r1"),
        ([{"source_format": "pdf", "source_path": "/d/b"}, {"source_format": "pdf", "source_path": "/d/a"}], "r1"),
        ([{"status": "unsupported_format"}, {"status": "parsed", "n_null": 90, "read_errors": 5}], "r1"),
    ],
)
def test_canonical_choice_order(rows, kept):
    got = canonical(_versions(rows))
    assert set(got) == {kept}
    assert canonical(_versions(rows[::-1])).nunique() == 1  # the order files come in does not matter
    assert FORMAT_ORDER.index("docx") < FORMAT_ORDER.index("html") < FORMAT_ORDER.index("pdf") < FORMAT_ORDER.index("text")


def test_what_is_not_the_same_report():
    rows = [{}, {"synthetic": True}, {"year": 2022}, {"scope": "regional_summary"}, {"agency_key": "郏县财政局"},
            {"county": "宝丰县"}, {"agency_key": ""}, {"agency_key": "", "source_path": "/d/x"}]
    assert canonical(_versions(rows)).to_dict() == {f"r{i}": f"r{i}" for i in range(len(rows))}
    unplaced = {"province": "unknown", "city": "unknown", "county": "unknown", "agency_key": "鼓楼区人民政府"}
    got = canonical(_versions([{**unplaced, "source_path": "/a/1.html"}, {**unplaced, "source_path": "/b/1.pdf"},
                               {**unplaced, "source_path": "/a/1.pdf", "source_format": "pdf"}]))
    assert got.to_dict() == {"r0": "r0", "r1": "r1", "r2": "r0"}  # an unplaced report: only in its own folder


def test_reruns_write_nothing_and_a_better_copy_takes_over_later(tmp_path):
    src = tmp_path / "src"
    out = tmp_path / "out"
    r = report(AGENCY, 2023, new=4, fwd=1)
    write(folder(src) / "2023.txt", to_text(r))
    write(folder(src) / "2023.pdf", to_pdf(r))
    ingest([str(src)], out, workers=0, progress=False)
    assert statuses(load(out)) == {"2023.txt": "copy", "2023.pdf": "parsed"}
    before = snapshot(out)
    again = ingest([str(src)], out, workers=0, progress=False)
    assert again.written == [] and again.read == 0 and again.counts["unchanged"] == 2
    assert snapshot(out) == before
    cells = len(load(out).cells)

    write(folder(src) / "2023.html", to_html(r))  # a better read of the same report arrives
    later = ingest([str(src)], out, workers=0, progress=False)
    assert later.read == 2  # the new file, and the old copy to compare it with (the old kept one is on disk)
    c = load(out)
    assert statuses(c) == {"2023.txt": "copy", "2023.pdf": "copy", "2023.html": "parsed"}
    html_id = c.reports["report_id"].item()
    assert set(c.ledger["report_id"]) == {html_id} and c.reports["source_format"].astype(str).item() == "html"
    assert len(c.cells) == cells and set(c.copies["copy_of"]) == {html_id}
    assert ingest([str(src)], out, workers=0, progress=False).written == []

    (folder(src) / "2023.html").unlink()  # the kept file goes: the best remaining copy takes over
    gone = ingest([str(src)], out, workers=0, progress=False)
    assert gone.read == 2 and gone.counts["removed"] == 1
    c = load(out)
    assert statuses(c) == {"2023.txt": "copy", "2023.pdf": "parsed", "2023.html": "removed"}
    assert len(c.cells) == cells and len(c.reports) == 1 and c.reports["source_format"].astype(str).item() == "pdf"


def test_a_copy_that_disagrees_later_is_reported_and_its_finding_kept(tmp_path):
    src = tmp_path / "src"
    out = tmp_path / "out"
    write(folder(src) / "2023.docx", to_docx(report(AGENCY, 2023, new=4)))
    ingest([str(src)], out, workers=0, progress=False)
    write(folder(src) / "2023.txt", to_text(report(AGENCY, 2023, new=5)))
    ingest([str(src)], out, workers=0, progress=False)
    c = load(out)
    f = c.findings[c.findings["check"] == "copy_disagrees"]
    assert len(f) == 1 and "applications.new_received.natural_person: 4 vs 5" in f["message"].item()
    before = snapshot(out)
    assert ingest([str(src)], out, workers=0, progress=False).written == [] and snapshot(out) == before
    (folder(src) / "2023.txt").unlink()
    ingest([str(src)], out, workers=0, progress=False)
    assert not load(out).findings["check"].eq("copy_disagrees").any()


def test_all_formats_of_a_synthetic_corpus_count_each_report_once(tmp_path):
    from govstats.synth.generate import generate_corpus, plan, resolve_counties

    args = {"years": [2022, 2023], "seed": 5, "departments": 2, "reports": 6, "all_formats": True}
    manifest = generate_corpus(tmp_path / "src", counties="郏县", **args)
    assert len(manifest) == 6 * 4
    summary = ingest([str(tmp_path / "src")], tmp_path / "out", workers=2, progress=False)
    assert summary.counts["parsed"] == 6 and summary.counts["copy"] == 18
    c = load(tmp_path / "out")
    assert len(c.reports) == 6 and not c.reports[["agency_key", "year"]].duplicated().any()
    assert set(c.reports["source_format"].astype(str)) == {"docx"}
    assert len(c.copies) == 18 and set(c.copies["copy_of"]) == set(c.reports["report_id"])
    want = sum(d.report.value("applications", "new_received", "total")
               for d in plan(resolve_counties("郏县"), **args) if d.fmt == "docx")
    got = c.sql("select sum(total) as n from applications where row = 'new_received'")["n"].item()
    assert got == want > 0


def test_the_real_page_and_its_html_are_one_report(shared_dir, tmp_path):
    real = shared_dir / "corpus" / "real"
    page = real / "pingtan_transcribed" / "97791_平潭综合实验区2024年度政府信息公开工作年度报告" / "page.txt"
    write(tmp_path / "src" / "page.txt", page.read_bytes())
    write(tmp_path / "src" / "page.html", (real / "html" / "pingtan_97791_2024.html").read_bytes())
    ingest([str(tmp_path / "src")], tmp_path / "out", workers=0, progress=False)
    c = load(tmp_path / "out")
    assert statuses(c) == {"page.txt": "copy", "page.html": "parsed"}  # the page text runs 62/33/440 together
    assert (c.reports["province"].item(), c.reports["county"].item()) == ("福建省", "平潭县")
    assert not c.findings["check"].eq("copy_disagrees").any()
