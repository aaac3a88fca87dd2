"""Each cell of the dataset says how its value was obtained (issue 9: no silent wrong number)."""

from __future__ import annotations

from dataclasses import replace

from govstats.corpus import ingest, load
from govstats.reading.report import ORIGINS
from govstats.synth.documents import to_html, to_text
from govstats.synth.printing import Quirks
from tests._reports import known_report


def test_cells_carry_their_origin(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    report = replace(known_report("2021", seed=5), agency="郏县民政局", year=2022)
    (src / "page.txt").write_bytes(to_text(report, quirks=Quirks(flattened=True)))
    (src / "grid.html").write_bytes(to_html(replace(report, agency="郏县教育局")))
    ingest([str(src)], tmp_path / "out", workers=0, progress=False)
    cells = load(tmp_path / "out").cells
    assert set(cells["origin"].cat.categories) == set(ORIGINS)
    by_file = cells.merge(load(tmp_path / "out").reports[["report_id", "source_path"]], on="report_id")
    scraped = by_file[by_file["source_path"].str.endswith("page.txt")]
    grid = by_file[by_file["source_path"].str.endswith("grid.html")]
    assert (scraped.loc[scraped["table"] == "applications", "origin"] == "split").all()
    assert set(grid.loc[grid["value"].notna(), "origin"]) == {"printed"}
