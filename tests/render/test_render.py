"""govstats render: a county report names the county and embeds its charts; one failing county does not
stop the others (exit 1); unchanged counties are skipped; place names become safe paths.

A papermill run costs seconds, so there are few render tests: one with the real template, the rest
with a tiny template notebook.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from govstats.cli import main
from govstats.render import jobs, paths
from govstats.render.index import STATE_FILE
from govstats.render.paths import report_stem, safe_name
from tests._corpus import synthetic_dataset

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"  # county_report links to the package template


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """Two synthetic counties of 平顶山市, two years, text documents, ingested."""
    root = tmp_path_factory.mktemp("render")
    return synthetic_dataset(root, "郏县,宝丰县", "2022-2023", seed=5)


def _tiny_template(path: Path, fail_in: str) -> Path:
    """A template that fails in one county and prints the county name elsewhere."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('county = ""\nyear = None\ndata_dir = ""\nprovince = ""\ncity = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(f"assert county != {fail_in!r}, 'broken county'\nprint('县:', county)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _render(data: Path, out: Path, *extra: str) -> int:
    return main(["render", "--data", str(data), "--out", str(out), *extra])


def test_county_report_names_the_county_and_embeds_charts(dataset, tmp_path):
    out = tmp_path / "reports"
    assert _render(dataset, out, "--county", "郏县", "--year", "2023") == 0
    page = out / "河南省" / "平顶山市" / "郏县" / "2023.html"
    html = page.read_text(encoding="utf-8")
    assert "郏县 2023 年政府信息公开工作年度报告分析" in html
    assert len(re.findall(r"data:image/png;base64,", html)) >= 4  # the charts, embedded
    assert "合成示例数据" in html  # the synthetic-data banner
    assert not re.search(r"<script[^>]+src=", html)  # readable without fetching anything
    assert "\\u90cf" not in html and "injected-parameters" not in html and "import govstats" not in html
    assert '<meta name="viewport"' in html and "@font-face" in html  # phones; its own font
    assert 'href="../../../index.html"' in html  # back to the index
    assert "平顶山市（全市）" in html and "河南省（全省）" in html  # compared with its city and province
    assert "公开率（广义） = （予以公开 + 部分公开） ÷ 总计" in html  # the formula beside the rate
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="河南省/平顶山市/郏县/2023.html">郏县</a>' in index  # the county's name leads to its page
    executed = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
    assert not any("govstats-reset" in c.metadata.get("tags", []) for c in executed.cells)


def test_a_failing_county_does_not_stop_the_others_and_unchanged_ones_are_skipped(dataset, tmp_path, capsys):
    out = tmp_path / "reports"
    template = _tiny_template(tmp_path / "tiny.ipynb", fail_in="宝丰县")
    # one worker: its kernel renders 郏县 after (or before) 宝丰县 fails in it
    assert _render(dataset, out, "--all", "--template", str(template), "--workers", "1") == 1
    good = out / "河南省" / "平顶山市" / "郏县" / "2023"
    bad = out / "河南省" / "平顶山市" / "宝丰县" / "2023"
    assert "县: 郏县" in good.with_suffix(".html").read_text(encoding="utf-8")
    assert not bad.with_suffix(".html").exists()  # a failed run never replaces (or makes) a page
    failed_nb = nbformat.read(bad.with_suffix(".failed.ipynb"), as_version=4)  # kept to look at
    assert any(o.get("ename") == "AssertionError" for c in failed_nb.cells for o in c.get("outputs", []))
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["河南省/平顶山市/宝丰县/2023"]["status"] == "failed"
    assert "broken county" in state["河南省/平顶山市/宝丰县/2023"]["error"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="failed"') == 1 and index.count('class="ok"') == 1
    assert 'href="河南省/平顶山市/宝丰县/2023.failed.ipynb"' in index  # the run that failed, not a missing notebook

    capsys.readouterr()
    assert _render(dataset, out, "--all", "--template", str(template), "--workers", "1") == 1  # failed: retried
    assert "1 to render, 1 unchanged" in capsys.readouterr().out
    good_html = good.with_suffix(".html").stat().st_mtime_ns
    _tiny_template(template, fail_in="nowhere")  # a changed template renders everything again
    assert _render(dataset, out, "--all", "--template", str(template), "--workers", "1") == 0
    assert "2 to render, 0 unchanged" in capsys.readouterr().out
    assert good.with_suffix(".html").stat().st_mtime_ns > good_html


def test_renders_on_a_dask_cluster(dataset, tmp_path):
    from distributed import LocalCluster

    template = _tiny_template(tmp_path / "tiny.ipynb", fail_in="nowhere")
    out = tmp_path / "reports"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert _render(dataset, out, "--county", "宝丰县", "--template", str(template),
                       "--scheduler", cluster.scheduler_address) == 0
    html = next(out.glob("河南省/平顶山市/宝丰县/*.html")).read_text(encoding="utf-8")
    assert "县: 宝丰县" in html


def test_unknown_county_and_missing_dataset_are_one_line_errors(dataset, tmp_path, capsys):
    assert _render(dataset, tmp_path / "r", "--county", "不存在县") == 2
    assert "no reports placed in county '不存在县'" in capsys.readouterr().err
    assert _render(tmp_path / "nothing", tmp_path / "r", "--all") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_place_names_become_safe_paths(tmp_path):
    assert safe_name("郏县") == "郏县"  # a safe name stays as it is
    assert re.fullmatch(r"etc_passwd_[0-9a-f]{8}", safe_name("../../etc/passwd"))
    assert re.fullmatch(r"unknown_[0-9a-f]{8}", safe_name("  ..  "))
    assert re.fullmatch(r"a_b_c_d_[0-9a-f]{8}", safe_name("a\x00b<c>|d"))
    stem = report_stem(tmp_path, (safe_name(".."), safe_name("../.."), safe_name("/etc")), 2023)
    assert stem.resolve().is_relative_to(tmp_path.resolve()) and stem.name == "2023"


def test_distinct_places_never_share_a_folder():
    long = "长" * 90
    places = [("省", "市", n) for n in ("a/b", "a_b", "a b", "A_B", f"{long}县", f"{long}区", "郏县")]
    folders = paths.assign(places)
    assert len({tuple(s.casefold() for s in f) for f in folders.values()}) == len(places)
    assert all(len(seg) <= paths.MAX_LEN for f in folders.values() for seg in f)
    assert folders[("省", "市", "郏县")] == ("省", "市", "郏县")  # safe names stay as they are
    assert sum(folders[("省", "市", n)][2] == n for n in ("a_b", "A_B")) == 1  # a case clash: one keeps its name
    assert folders == paths.assign(list(reversed(places)))  # the same whatever the order
    assert folders[("省", "市", "a/b")] == paths.assign([("省", "市", "a/b")])[("省", "市", "a/b")]  # nor the others
    assert paths.adjusted(("省", "市", "a/b"), folders[("省", "市", "a/b")])


def test_ambiguous_county_names_are_not_guessed():
    places = pd.DataFrame({
        "province": ["河南省", "山东省", "河南省"], "city": ["平顶山市", "济南市", "平顶山市"],
        "county": ["新华区", "新华区", "郏县"], "year": [2023, 2023, 2022],
    })
    with pytest.raises(ValueError, match="ambiguous"):
        jobs.select(places, "新华区", None)
    picked = jobs.select(places, "河南省/平顶山市/新华区", None)
    assert picked[["province", "county"]].values.tolist() == [["河南省", "新华区"]]
    assert jobs.select(places, None, None)["county"].tolist() == ["新华区", "新华区", "郏县"]


def test_notebooks_are_committed_without_outputs():
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert {p.stem for p in paths} >= {"01_corpus_overview", "02_disclosure_volumes", "03_application_outcomes",
                                       "04_review_litigation", "06_county_comparison", "county_report"}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and 'data_dir = "../data/processed"' in params[0].source, path.name
    county = nbformat.read(NOTEBOOKS / "county_report.ipynb", as_version=4)
    params = next(c for c in county.cells if "parameters" in c.metadata.get("tags", []))
    assert all(re.search(rf"^{name} = ", params.source, re.M) for name in ("county", "year", "data_dir"))


def test_data_hashes_follow_each_county_and_year(dataset, tmp_path):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from govstats.corpus import store
    from govstats.render import workset

    before = jobs.data_hashes(workset.prepare(dataset, tmp_path / "a"))
    changed = tmp_path / "changed"
    shutil.copytree(dataset, changed)
    version = store.snapshot(changed)  # the render reads the current version, not the top-level links
    reports = pq.read_table(store.path_of(version, "reports")).to_pandas()
    target = reports[(reports["county"] == "郏县") & (reports["year"] == 2023)]["report_id"].iloc[0]
    apps = pq.read_table(store.path_of(version, "applications"))
    hit = pc.and_(pc.equal(apps["report_id"], target), pc.equal(apps["row"], "new_received"))
    apps = apps.set_column(apps.schema.get_field_index("total"), "total",
                           pc.if_else(hit, pc.add(apps["total"], 1), apps["total"]))
    pq.write_table(apps, store.path_of(version, "applications"))
    after = jobs.data_hashes(workset.prepare(changed, tmp_path / "b"))
    assert {k for k in before if before[k] != after[k]} == {("河南省", "平顶山市", "郏县", 2023)}


def test_a_review_decision_renders_the_county_again(tmp_path):
    """Dismissing a flag must reach the page: the county's fingerprint follows its reviews."""
    from govstats.corpus import load, store
    from govstats.corpus.reviews import record
    from govstats.render import workset

    data = synthetic_dataset(tmp_path, "郏县", "2022-2023", seed=5, defects=1, workers=0)
    before = jobs.data_hashes(workset.prepare(data, tmp_path / "a"))
    corpus = load(data)
    flags = corpus.flags.astype({"report_id": str})
    assert not flags.empty, "the sample has warnings or errors to review"
    flag = flags.iloc[0]
    record(data, corpus.findings, flag["finding_id"], "dismiss", reviewer="王")
    place = corpus.reports.astype({"report_id": str}).set_index("report_id").loc[flag["report_id"]]
    key = (str(place["province"]), str(place["city"]), str(place["county"]), int(place["year"]))
    after = jobs.data_hashes(workset.prepare(data, tmp_path / "b"))
    assert {k for k in before if before[k] != after[k]} == {key}
    assert store.snapshot(data).exists()


def test_a_page_leaves_dismissed_flags_out_and_shows_its_corrections(tmp_path):
    import html

    from govstats.corpus import load
    from govstats.corpus.reviews import record

    data = synthetic_dataset(tmp_path, "郏县", "2023", seed=5, defects=1, workers=0)
    corpus = load(data)
    flags = corpus.flags.astype({"report_id": str, "table": str, "row": str})
    assert flags["message"].nunique() >= 2, "the sample has flags to review"
    gone, kept = flags.drop_duplicates("message").iloc[:2].itertuples()
    record(data, corpus.findings, gone.finding_id, "dismiss", reviewer="王")
    cell = flags[(flags["table"] == "applications") & (flags["row"] != "")].iloc[0]
    record(data, corpus.findings, cell["finding_id"], "correct", reviewer="李", value=4321, column="total")
    out = tmp_path / "reports"
    assert main(["render", "--county", "郏县", "--data", str(data), "--out", str(out)]) == 0
    page = next(p for p in out.rglob("*.html") if "index" not in p.name).read_text(encoding="utf-8")
    assert html.escape(kept.message) in page
    assert html.escape(gone.message) not in page
    assert "审核更正" in page and "4,321" in page and "李" in page
