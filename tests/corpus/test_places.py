"""Places: the administrative-division dataset, folders, catalog precedence, level and scope."""

from __future__ import annotations

import pytest

from govstats.corpus.places import UNKNOWN, place


@pytest.mark.parametrize("agency", ["郏县龙山街道办事处", "郟县人民政府", "平顶山市郏县教育局"])
def test_jiaxian_resolves_to_pingdingshan_henan(agency):
    p = place(agency)
    assert (p.province, p.city, p.county) == ("河南省", "平顶山市", "郏县")
    assert p.findings == []


@pytest.mark.parametrize("agency", ["鼓楼区人民政府", "朝阳区教育局", "新华区财政局"])
def test_repeated_county_names_are_not_guessed(agency):
    p = place(agency)
    assert (p.province, p.city, p.county) == (UNKNOWN, UNKNOWN, UNKNOWN)
    assert [f[0] for f in p.findings] == ["place_ambiguous"]


def test_a_higher_name_or_the_folder_disambiguates():
    assert place("开封市鼓楼区人民政府").city == "开封市"
    assert place("鼓楼区人民政府", folders=("福建省", "福州市")).city == "福州市"
    p = place("鼓楼区人民政府", folders=("河南省",))
    assert (p.city, p.county, p.findings) == ("开封市", "鼓楼区", [])


def test_folder_layout_places_an_agency_without_a_place_name():
    p = place("龙山街道办事处", folders=("河南省", "平顶山市", "郏县", "龙山街道"))
    assert (p.province, p.city, p.county, p.level) == ("河南省", "平顶山市", "郏县", "township")
    assert place("龙山街道办事处", folders=("不是地名", "郏县")).province == UNKNOWN


def test_unplaceable_is_unknown_with_a_finding():
    p = place("某某有限公司")
    assert p.province == UNKNOWN and [f[0] for f in p.findings] == ["place_unknown"]


def test_catalog_wins():
    row = {"province": "河北省", "city": "石家庄市", "county": "正定县", "level": "department", "scope": "own"}
    p = place("郏县教育局", catalog=row)
    assert (p.province, p.city, p.county, p.level) == ("河北省", "石家庄市", "正定县", "department")
    p = place("鼓楼区人民政府", catalog=row)
    assert p.findings == []


@pytest.mark.parametrize(
    ("agency", "level"),
    [
        ("河南省人民政府", "province_gov"),
        ("北京市人民政府", "province_gov"),
        ("平顶山市人民政府", "city_gov"),
        ("郏县人民政府", "county_gov"),
        ("北京市朝阳区人民政府", "county_gov"),
        ("郏县人民政府办公室", "department"),
        ("平顶山市发展和改革委员会", "department"),
        ("郏县政务服务和大数据管理中心", "department"),
        ("郏县安良镇人民政府", "township"),
        ("郏县龙山街道办事处", "township"),
        ("郏县茨芭乡", "township"),
    ],
)
def test_level_from_agency_name(agency, level):
    assert place(agency).level == level


def test_scope():
    assert place("郏县人民政府", "郏县2023年全县政府信息公开工作年度报告").scope == "regional_summary"
    assert place("郏县人民政府", "郏县人民政府2023年政府信息公开工作年度报告").scope == "own"
    assert place("平顶山市人民政府", "平顶山市全市政府信息公开工作年度报告").scope == "regional_summary"


@pytest.mark.parametrize(
    ("agency", "title", "scope"),
    [
        ("全州县财政局", "", "own"),
        ("全州县财政局", "全州县财政局2023年政府信息公开工作年度报告", "own"),
        ("全州县人民政府", "全州县全县汇总", "regional_summary"),
        ("平顶山市人民政府", "全市汇总", "regional_summary"),
        ("平潭综合实验区管委会", "平潭综合实验区全区汇总", "regional_summary"),
        ("全椒县人民政府", "", "own"),
    ],
)
def test_a_place_name_starting_with_quan_is_not_a_summary(agency, title, scope):
    p = place(agency, title)
    assert p.scope == scope
    if agency.startswith("全州县"):
        assert p.county == "全州县"
