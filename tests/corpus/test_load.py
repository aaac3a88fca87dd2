"""`govstats.load` with filters: only the asked reports and their rows in every table (cells too), the
SQL views filtered the same way, only the asked columns, codes as categoricals and counts 32-bit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import govstats
from tests._corpus import synthetic_dataset

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger", "cells")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("load")
    return synthetic_dataset(root, "郏县,宝丰县", "2022-2023", seed=4, defects=0.3)


def test_filters_keep_the_asked_reports_and_their_rows_everywhere(data):
    everything = govstats.load(data)
    some = govstats.load(data, counties="郏县", years=[2023])
    r = everything.reports
    wanted = set(r.loc[(r["county"] == "郏县") & (r["year"] == 2023), "report_id"].astype(str))
    assert wanted and set(some.reports["report_id"].astype(str)) == wanted
    for name in TABLES[1:]:
        full, part = getattr(everything, name), getattr(some, name)
        expected = full[full["report_id"].astype(str).isin(wanted)]
        assert len(part) == len(expected) > 0, name
        assert set(part["report_id"].astype(str)) <= wanted, name
    assert len(govstats.load(data, provinces="河南省", cities=["平顶山市"], counties=["郏县", "宝丰县"]).reports) == len(r)
    assert govstats.load(data, counties="不存在县").applications.empty


def test_sql_sees_the_filtered_views_without_loading(data):
    some = govstats.load(data, counties="宝丰县", years=2022)
    got = some.sql("select count(distinct report_id) as n, min(year) as y from reports")
    assert got["n"].item() == (govstats.load(data).reports.query("county == '宝丰县' and year == 2022").shape[0])
    cells = some.sql("select count(*) as n from cells c join reports r using (report_id) where r.county <> '宝丰县'")
    assert cells["n"].item() == 0
    assert not {"reports", "applications", "cells"} & set(vars(some))  # nothing was read into pandas


def test_columns_and_dtypes(data):
    slim = govstats.load(data, columns=["agency", "year", "total"])
    assert list(slim.reports.columns) == ["report_id", "agency", "year"]
    assert list(slim.applications.columns) == ["report_id", "row", "total"]
    c = govstats.load(data)
    for col in ("report_id", "agency", "province", "county", "level"):
        assert isinstance(c.reports[col].dtype, pd.CategoricalDtype), col
    assert str(c.applications["total"].dtype) == "int32[pyarrow]"
    assert c.applications["total"].sum() == govstats.load(data, counties="郏县").applications["total"].sum() + \
        govstats.load(data, counties="宝丰县").applications["total"].sum()


def test_county_scope_places_a_county_and_its_years(data, tmp_path):
    from govstats.corpus.dataset import county_scope

    assert county_scope(data, "郏县") == ("河南省", "平顶山市", 2023, [2022, 2023])
    assert county_scope(data, "宝丰县", year=2022) == ("河南省", "平顶山市", 2022, [2022])
    with pytest.raises(ValueError, match="no reports placed in county '不存在县'"):
        county_scope(data, "不存在县")
    with pytest.raises(ValueError, match="no reports placed"):
        county_scope(data, "郏县", province="河北省")


def test_county_scope_asks_for_the_place_of_a_name_found_twice(tmp_path):
    from govstats.corpus.dataset import county_scope

    synthetic_dataset(tmp_path, "北京市/朝阳区,长春市/朝阳区", "2023", seed=4, workers=0)
    with pytest.raises(ValueError, match="is in several places .*: set province and city"):
        county_scope(tmp_path / "data", "朝阳区")
    assert county_scope(tmp_path / "data", "朝阳区", province="吉林省", city="长春市")[:2] == ("吉林省", "长春市")
