"""The synthetic corpus generator: documents, numbers, defects, manifest, CLI and determinism."""

from __future__ import annotations

import io
import statistics
from dataclasses import replace
from pathlib import Path

import pytest

from govstats.cli import main
from govstats.format import national_format
from govstats.reading.report import SYNTHETIC_MARKER, Cell, Report
from govstats.synth import defects
from govstats.synth.agencies import agencies_of, county
from govstats.synth.documents import to_docx, to_html, to_pdf, to_text
from govstats.synth.generate import generate_corpus, plan, resolve_counties
from govstats.synth.manifest import CATALOG_COLUMNS
from govstats.synth.printing import Quirks

YEARS = list(range(2019, 2025))


def _clean_docs(counties="郏县", **kw):
    return list(plan(resolve_counties(counties), YEARS, ("txt",), seed=3, **kw))


def _side(report: Report, ident, codes, fixed: str, rows: list[str]) -> int:
    if ident.for_each == "column":
        return sum(report.value(ident.table, r, fixed) or 0 for r in codes if r in rows)
    return sum(report.value(ident.table, fixed, c) or 0 for c in codes)


def _broken(report: Report) -> list[str]:
    """Identities (spec §4, from the TOML) that the report's values break."""
    out = []
    for ident in national_format().identities:
        table = national_format().tables[ident.table]
        rows = [r.code for r in table.rows_for(report.template)]
        for fixed in table.columns if ident.for_each == "column" else rows:
            if _side(report, ident, ident.lhs, fixed, rows) != _side(report, ident, ident.rhs, fixed, rows):
                out.append(f"{ident.id}:{fixed}")
    return out


def test_clean_reports_keep_every_identity_and_the_carry_chain() -> None:
    docs = _clean_docs(departments=4)
    assert len(docs) == len(agencies_of(county("郏县"), 4)) * len(YEARS)
    for d in docs:
        assert _broken(d.report) == [], d.path
    by_agency: dict[str, list] = {}
    for d in docs:
        by_agency.setdefault(d.report.agency, []).append(d.report)
    for reports in by_agency.values():
        for a, b in zip(reports, reports[1:], strict=False):
            for col in national_format().tables["applications"].columns:
                assert a.value("applications", "carried_forward", col) == b.value("applications", "carried_over", col)


def test_templates_follow_the_years() -> None:
    docs = _clean_docs("郏县,宝丰县,叶县")
    early = {d.report.template for d in docs if d.report.year <= 2020}
    late = [d.report.template for d in docs if d.report.year >= 2021]
    assert early == {"2019"}
    assert late.count("2021") > 0.7 * len(late)


def test_volumes_are_zero_inflated_and_county_governments_busy() -> None:
    docs = list(plan(resolve_counties("all")[:40], [2023], ("txt",), seed=5))
    volume = {d.report.agency: d.report.value("applications", "new_received", "total") for d in docs}
    levels = {d.report.agency: d.agency.level for d in docs}
    towns = [v for a, v in volume.items() if levels[a] == "township"]
    govs = [v for a, v in volume.items() if levels[a] == "county_gov"]
    assert sum(1 for v in towns if v == 0) > 0.6 * len(towns)
    assert 15 <= statistics.median(govs) <= 300
    natural = sum(d.report.value("applications", "new_received", "natural_person") for d in docs)
    assert natural > 0.85 * sum(volume.values())


def test_plan_is_deterministic_and_seed_dependent() -> None:
    a = [(d.path, d.report.cells) for d in _clean_docs(departments=2)]
    b = [(d.path, d.report.cells) for d in _clean_docs(departments=2)]
    c = [(d.path, d.report.cells) for d in plan(resolve_counties("郏县"), YEARS, ("txt",), seed=4, departments=2)]
    assert a == b
    assert a != c


def test_workers_do_not_change_the_corpus(tmp_path: Path) -> None:
    kw = {"counties": "郏县,宝丰县", "years": "2022-2023", "formats": "txt,html", "seed": 9, "defects": 0.3, "departments": 2}
    one = generate_corpus(tmp_path / "one", workers=1, **kw)
    two = generate_corpus(tmp_path / "two", workers=2, **kw)
    assert one.equals(two)
    for p in one["path"]:
        assert (tmp_path / "one" / p).read_bytes() == (tmp_path / "two" / p).read_bytes()


def _report(template: str = "2021") -> Report:
    rep = Report(agency="郏县龙山街道办事处", year=2023, template=template, synthetic=True)
    for i, (t, r, c) in enumerate(national_format().cell_codes(template)):
        rep.cells[(t, r, c)] = Cell(t, r, c, i % 7, "number")
    return rep


@pytest.mark.parametrize("template", ["2021", "2019", "hybrid"])
def test_text_prints_every_label_from_the_template(template: str) -> None:
    text = to_text(_report(template)).decode()
    lines = text.splitlines()
    assert lines[0] == SYNTHETIC_MARKER
    assert "郏县龙山街道办事处2023年政府信息公开工作年度报告" in lines
    for table in national_format().tables.values():
        for row in table.rows_for(template):
            assert row.zh in text, row.code
            assert row.group in text
    for s in national_format().sections.values():
        assert s.zh in lines


def test_blank_and_dash_cells() -> None:
    rep = _report()
    key = ("applications", "granted", "research")
    rep.cells[key] = replace(rep.cells[key], state="blank", value=0)
    key2 = ("applications", "granted", "legal_service")
    rep.cells[key2] = replace(rep.cells[key2], state="dash", value=None)
    line = next(x for x in to_text(rep).decode().splitlines() if "予以公开" in x)
    cells = line.split("\t")
    assert cells[3:] == [str(rep.value("applications", "granted", c)) if c not in ("research", "legal_service") else ("" if c == "research" else "/") for c in national_format().tables["applications"].columns]
    assert "<td>/</td>" in to_html(rep).decode()


def test_html_merges_group_labels_and_the_organisation_header() -> None:
    page = to_html(_report()).decode()
    assert page.index("<p>" + SYNTHETIC_MARKER) < page.index("<h1>")
    assert '<td colspan="5">法人或其他组织</td>' in page
    assert '<td rowspan="8">（三）不予公开</td>' in page
    assert "三、本年度办理结果</td>" in page


def test_docx_and_pdf_say_they_are_synthetic() -> None:
    from docx import Document

    doc = Document(io.BytesIO(to_docx(_report())))
    assert doc.paragraphs[0].text == SYNTHETIC_MARKER
    merged = doc.tables[1].cell(0, 0)
    assert merged._tc is doc.tables[1].cell(2, 2)._tc  # the balance note spans 3 rows and 3 columns

    import pdfplumber

    with pdfplumber.open(io.BytesIO(to_pdf(_report()))) as pdf:
        assert pdf.pages[0].extract_text().splitlines()[0] == SYNTHETIC_MARKER
        fonts = {c["fontname"] for c in pdf.pages[0].chars}
    assert all("SimHei" in f for f in fonts)


def test_pdf_page_break_splits_table_three() -> None:
    import pdfplumber

    data = to_pdf(_report(), quirks=Quirks(page_break_in_table=True))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [p.extract_text() for p in pdf.pages]
    first = next(i for i, t in enumerate(pages) if "本年新收政府信息公开申请数量" in t)
    assert "结转下年度继续办理" in pages[first + 1]
    assert "结转下年度继续办理" not in pages[first]


def test_quirks_in_text() -> None:
    rep = _report()
    gbk = to_text(rep, quirks=Quirks(encoding="gbk"))
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert gbk.decode("gbk").startswith(SYNTHETIC_MARKER)
    assert "郟縣" in to_text(rep, quirks=Quirks(traditional_title=True)).decode()
    assert "— 3 —" in to_text(rep, quirks=Quirks(footer_in_table=True)).decode().splitlines()


def test_concatenated_rows_split_back_uniquely() -> None:
    assert defects.unique_split("640020470")  # 64,0,0,2,0,4,70 from a real 平潭 page
    assert defects.unique_split("0000000")
    assert not defects.unique_split("1234567")
    rep = _report()
    for r in ("new_received", "granted"):  # make two rows obey identity 3
        cols = list(national_format().tables["applications"].columns)
        for c in cols:
            rep.cells[("applications", r, c)] = Cell("applications", r, c, 0, "number")
        rep.cells[("applications", r, "natural_person")] = Cell("applications", r, "natural_person", 3, "number")
        rep.cells[("applications", r, "total")] = Cell("applications", r, "total", 3, "number")
    import random

    _, quirks, details = defects.inject(rep, "concatenated_digits", random.Random(1))
    assert quirks.concatenated_row in ("new_received", "granted")
    line = next(x for x in to_text(rep, quirks=quirks).decode().splitlines() if x.endswith("3000003"))
    assert quirks.concatenated_row in details and "\t" not in line  # labels and digits run together


def test_number_defects_change_the_report() -> None:
    import random

    rep, _, details = defects.inject(_report(), "broken_total", random.Random(2))
    assert any(b.startswith("I2_outcomes:total") for b in _broken(rep)) and "total_processed" in details
    rep, _, _ = defects.inject(_report(), "missing_table", random.Random(2))
    assert {k[0] for k in rep.cells} != {"disclosure", "applications", "review_litigation"}
    rep, _, _ = defects.inject(_report("2019"), "missing_table", random.Random(2))
    assert "disclosure" in {k[0] for k in rep.cells}  # part 二 tells 2019 from hybrid: kept
    rep, _, _ = defects.inject(_report(), "zeros_blank", random.Random(2))
    blank = [c for c in rep.cells.values() if c.state == "blank"]
    assert blank and all(c.value == 0 and c.table == "applications" for c in blank)


def test_cli_writes_documents_manifest_and_catalog(tmp_path: Path) -> None:
    out = tmp_path / "c"
    args = ["synth", "--out", str(out), "--counties", "郏县", "--years", "2019-2024", "--formats", "txt,html,docx,pdf"]
    assert main([*args, "--seed", "7", "--defects", "0.5", "--reports", "8", "--workers", "1"]) == 0
    import pandas as pd

    man = pd.read_csv(out / "manifest.csv", keep_default_na=False)
    cat = pd.read_csv(out / "catalog.csv")
    assert len(man) == 8 and list(cat.columns) == CATALOG_COLUMNS
    assert cat["synthetic"].all() and set(cat["level"]) <= {"county_gov", "department", "township"}
    for p in man["path"]:
        assert (out / p).is_file()
        assert p.startswith("河南省/平顶山市/郏县/")
    assert (man["defect"] != "").sum() >= 2
    assert set(man.loc[man["defect"] != "", "defect"]) <= set(defects.KINDS)


def test_cli_refuses_unknown_county_in_one_line(tmp_path: Path, capsys) -> None:
    assert main(["synth", "--out", str(tmp_path), "--counties", "不存在县"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "govstats synth: unknown county: 不存在县"
    assert main(["synth", "--out", str(tmp_path), "--counties", "鼓楼区"]) == 2
    assert "several places" in capsys.readouterr().err


def test_invented_names_say_so() -> None:
    c = county("滑县")
    towns = [a for a in agencies_of(c) if a.level == "township"]
    assert towns and not any(a.real_name for a in towns)
    docs = list(plan([c], [2023], ("txt",), seed=1))
    town = next(d for d in docs if d.agency.level == "township")
    assert "虚构" in town.render().decode()
    real = next(a for a in agencies_of(county("郏县")) if a.name == "郏县龙山街道办事处")
    assert real.real_name


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_bundled_sample_is_small_complete_and_documented() -> None:
    import pandas as pd

    man = pd.read_csv(SAMPLE / "synthetic" / "manifest.csv", keep_default_na=False)
    assert set(man["format"]) == {"txt", "html", "docx", "pdf"}
    assert set(man["county"]) >= {"郏县"} and man["county"].nunique() == 3
    assert set(man["year"]) == set(YEARS)
    assert (man["defect"] != "").sum() >= 4
    for p in man["path"]:
        assert (SAMPLE / "synthetic" / p).is_file()
    size = sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file())
    assert size < 10 * 1024 * 1024
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "govstats synth" in readme and "000_f8b21749840a51ab.txt" in readme


def test_sample_seed_is_the_shared_seed(seed_path: Path) -> None:
    assert (SAMPLE / seed_path.name).read_bytes() == seed_path.read_bytes()


def test_sample_regenerates_identically(tmp_path: Path) -> None:
    """The command in data/sample/README.md rebuilds the committed manifest exactly."""
    import shlex

    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    cmd = next(line.strip() for line in readme.splitlines() if line.strip().startswith("govstats synth"))
    argv = shlex.split(cmd)[1:]
    argv[argv.index("--out") + 1] = str(tmp_path / "s")
    assert main(argv) == 0
    committed = (SAMPLE / "synthetic" / "manifest.csv").read_text(encoding="utf-8")
    assert (tmp_path / "s" / "manifest.csv").read_text(encoding="utf-8") == committed
    made = sorted(p.relative_to(tmp_path / "s") for p in (tmp_path / "s").rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(SAMPLE / "synthetic") for p in (SAMPLE / "synthetic").rglob("*") if p.is_file())
    changed = [p for p in made if (tmp_path / "s" / p).read_bytes() != (SAMPLE / "synthetic" / p).read_bytes()]
    assert not changed, f"{len(changed)} files differ, e.g. {changed[:3]}"


def test_sample_holds_no_agency_year_twice() -> None:
    """The real report and the synthetic corpus never cover the same agency and year (ingest would keep one)."""
    import pandas as pd

    from govstats import read_bytes
    from govstats.corpus.places import place

    man = pd.read_csv(SAMPLE / "synthetic" / "manifest.csv", keep_default_na=False)
    held = [(place(a).agency_key, y) for a, y in zip(man["agency"], man["year"], strict=True)]
    for f in SAMPLE.glob("*.txt"):  # the real report(s)
        real = read_bytes(f.read_bytes(), str(f))
        held.append((place(real.agency).agency_key, real.year))
    assert len(held) == len(set(held)) == len(man) + 1
    assert (man["same_report_as"] == "").all()


def test_cli_refuses_a_reversed_year_range(tmp_path: Path, capsys) -> None:
    assert main(["synth", "--out", str(tmp_path / "c"), "--years", "2025-2019"]) == 2
    err = capsys.readouterr().err
    assert "reversed" in err and err.count("\n") == 1
    assert not (tmp_path / "c").exists()


def test_exclude_and_copies_options(tmp_path: Path, capsys) -> None:
    base = ["synth", "--counties", "郏县", "--years", "2023", "--formats", "html,pdf", "--departments", "1", "--workers", "1"]
    assert main([*base, "--out", str(tmp_path / "a"), "--exclude", "郏县龙山街道办事处,郏县人民政府", "--copies", "1"]) == 0
    import pandas as pd

    man = pd.read_csv(tmp_path / "a" / "manifest.csv", keep_default_na=False)
    assert not man["agency"].isin(["郏县龙山街道办事处", "郏县人民政府"]).any()
    first, second = man[man["same_report_as"] == ""], man[man["same_report_as"] != ""]
    assert len(first) == len(second) == len(agencies_of(county("郏县"), 1)) - 2
    assert set(second["same_report_as"]) == set(first["path"])
    assert all(p.endswith("2023-附件.pdf") or p.endswith("2023-附件.html") for p in second["path"])
    assert main([*base, "--out", str(tmp_path / "b"), "--copies", "1.5"]) == 2
    assert "copies must be a share" in capsys.readouterr().err
