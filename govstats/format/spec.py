"""The national report format, loaded from ``national_format.toml``.

Everything that needs a code, a printed label, a label variant or an identity asks this module,
so the format is typed exactly once (in the TOML file).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

TEMPLATES = ("2021", "2019", "hybrid")
TABLES = ("disclosure", "applications", "review_litigation")


@dataclass(frozen=True)
class ColumnSpec:
    code: str
    zh: str
    en: str
    keys: tuple[str, ...]
    decimal: bool = False
    signed: bool = False
    unit: str = ""  # the unit the column is in (万元), when the format fixes one


@dataclass(frozen=True)
class RowSpec:
    table: str
    code: str
    zh: str
    en: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    templates: tuple[str, ...] = TEMPLATES
    group: str = ""
    exact: bool = False


@dataclass(frozen=True)
class TableSpec:
    code: str
    zh: str
    en: str
    columns: dict[str, ColumnSpec]
    rows: tuple[RowSpec, ...]
    markers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flat_row: bool = False
    column_group: dict | None = None

    def rows_for(self, template: str) -> tuple[RowSpec, ...]:
        """The rows a report of ``template`` prints, in printed order."""
        return tuple(r for r in self.rows if template in r.templates)

    def row(self, code: str, template: str) -> RowSpec:
        for r in self.rows_for(template):
            if r.code == code:
                return r
        raise KeyError(f"{self.code}.{code} is not in template {template}")


@dataclass(frozen=True)
class Identity:
    id: str
    table: str
    for_each: str  # "column": lhs/rhs are rows; "row": lhs/rhs are columns
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    severity: str
    zh: str
    en: str


@dataclass(frozen=True)
class SectionSpec:
    code: str
    zh: str
    en: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class FigureRule:
    """A figure the narrative states about the tables: regexes whose group 1 is the figure, regexes
    saying there were none, and the cells (summed) the figure describes."""

    id: str
    zh: str
    cells: tuple[tuple[str, str, str], ...]
    patterns: tuple[str, ...]
    zero: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # a sentence is looked at only when it has one of these


@dataclass(frozen=True)
class NarrativeRules:
    figures: tuple[FigureRule, ...] = ()
    skip: tuple[str, ...] = ()  # words of a sentence about another year or a comparison
    own_scope: tuple[str, ...] = ()  # words saying a sentence speaks for the agency itself
    regional_scope: tuple[str, ...] = ()  # words saying it speaks for a whole area
    fee_words: tuple[str, ...] = ()  # part 六 of the 2021 format says whether fees were charged
    boilerplate: tuple[str, ...] = ()  # a part holding only one of these says nothing


@dataclass(frozen=True)
class NationalFormat:
    tables: dict[str, TableSpec]
    identities: tuple[Identity, ...]
    sections: dict[str, SectionSpec]
    layout: dict[str, str] = field(default_factory=dict)
    narrative: NarrativeRules = NarrativeRules()

    def cell_codes(self, template: str) -> list[tuple[str, str, str]]:
        """Every (table, row, column) a complete report of ``template`` has, in printed order."""
        out = []
        for t in TABLES:
            for r in self.tables[t].rows_for(template):
                out.extend((t, r.code, c) for c in r.columns)
        return out

    def column(self, table: str, code: str) -> ColumnSpec:
        return self.tables[table].columns[code]


def _table(code: str, raw: dict) -> TableSpec:
    cols = {
        c: ColumnSpec(c, v["zh"], v["en"], tuple(v["keys"]), v.get("decimal", False), v.get("signed", False),
                      v.get("unit", ""))
        for c, v in raw["columns"].items()
    }
    all_cols = tuple(c for c in cols)
    rows = tuple(
        RowSpec(
            table=code,
            code=r["code"],
            zh=r["zh"],
            en=r["en"],
            keys=tuple(r["keys"]),
            columns=tuple(r.get("columns", all_cols)),
            templates=tuple(r.get("templates", TEMPLATES)),
            group=r.get("group", ""),
            exact=r.get("exact", False),
        )
        for r in raw["rows"]
    )
    markers = {k: tuple(v) for k, v in raw.get("markers", {}).items()}
    return TableSpec(code, raw["zh"], raw["en"], cols, rows, markers, raw.get("flat_row", False), raw.get("column_group"))


@cache
def national_format() -> NationalFormat:
    """Load the format once per process."""
    text = resources.files("govstats.format").joinpath("national_format.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    tables = {code: _table(code, raw["tables"][code]) for code in TABLES}
    identities = tuple(
        Identity(i["id"], i["table"], i["for_each"], tuple(i["lhs"]), tuple(i["rhs"]), i["severity"], i["zh"], i["en"])
        for i in raw["identities"]
    )
    sections = {k: SectionSpec(k, v["zh"], v["en"], tuple(v["keys"])) for k, v in raw["sections"].items()}
    return NationalFormat(tables, identities, sections, dict(raw.get("layout", {})), _narrative(raw))


def _narrative(raw: dict) -> NarrativeRules:
    n, c = raw.get("narrative", {}), raw.get("completeness", {})
    figures = tuple(
        FigureRule(f["id"], f["zh"], tuple(tuple(x) for x in f["cells"]), tuple(f["patterns"]), tuple(f.get("zero", ())),
                   tuple(f.get("words", ())))
        for f in n.get("figures", ())
    )
    return NarrativeRules(figures, tuple(n.get("skip", ())), tuple(n.get("own_scope", ())),
                          tuple(n.get("regional_scope", ())), tuple(c.get("fee_words", ())), tuple(c.get("boilerplate", ())))
