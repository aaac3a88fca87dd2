"""The data dictionary: every code in the dataset, its printed Chinese label and its meaning.

Table, row and column codes come from the national format (govstats.template); the codes the
corpus adds (states, statuses, levels, scopes, checks) are described here, next to their use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from govstats.corpus.years import CHECKS as YEAR_CHECKS
from govstats.model import READ_CHECKS
from govstats.places import CHECKS as PLACE_CHECKS
from govstats.template import TABLES, TEMPLATES, national_format


@dataclass(frozen=True)
class Entry:
    kind: str
    table: str
    code: str
    zh: str
    en: str  # the English label, followed by the meaning where the label is not enough


STATES = {
    "number": ("数字", "printed digits"),
    "blank": ("空白", "empty cell (its value is 0 when the identities hold with it read as 0)"),
    "dash": ("不适用", "'/', '-', '—' or '无': not applicable"),
    "text": ("文字", "words where a number belongs"),
    "missing": ("缺失", "the cell or its row is not in the document"),
}
REPORT_STATUSES = {
    "parsed": ("已解析", "tables of the 2019, 2021 or hybrid format were read"),
    "unsupported_format": ("格式不支持", "a report whose tables are in no supported format: metadata only"),
}
LEDGER_STATUSES = {
    "parsed": ("已解析", "read into the dataset; report_id names its report"),
    "rejected": ("已拒绝", "not read: empty, binary, truncated, not a report, unreadable or too large (see reason)"),
    "duplicate": ("重复", "the same bytes as another file (reason names it); counted once"),
    "unchanged": ("未变", "run summary only: same path and sha256 as last run, not read again"),
    "removed": ("已移除", "in an earlier run but no longer in the sources; its report left the dataset"),
}
LEVELS = {
    "province_gov": ("省级人民政府", "government of a province, autonomous region or municipality"),
    "city_gov": ("市级人民政府", "government of a prefecture-level city, prefecture or league"),
    "county_gov": ("县级人民政府", "government of a county, district or county-level city"),
    "department": ("部门", "a department or office (局/委/办/中心…) of a government"),
    "township": ("乡镇街道", "a township, town or street office (乡/镇/街道办事处)"),
    "unknown": ("未知", "the level could not be told from the agency name"),
}
SCOPES = {
    "own": ("本机关", "the body's own report"),
    "regional_summary": ("全地区汇总", "a summary for a whole region (全市/全区/全县); do not add to the bodies' own reports"),
}
SEVERITIES = {
    "error": ("错误", "an identity or continuity that must hold does not"),
    "warning": ("警告", "something that usually holds does not, or a value could not be placed"),
    "info": ("提示", "worth knowing; not a defect of the numbers"),
}
FORMATS = {"text": "纯文本", "html": "网页", "pdf": "PDF", "docx": "Word (DOCX)", "doc": "Word (DOC)", "wps": "WPS"}


@cache
def entries() -> tuple[Entry, ...]:
    nf = national_format()
    out: list[Entry] = []
    for t in TABLES:
        spec = nf.tables[t]
        out.append(Entry("table", t, t, spec.zh, spec.en))
    for t in TABLES:
        by_code: dict[str, list] = {}
        for r in nf.tables[t].rows:
            by_code.setdefault(r.code, []).append(r)
        for code, specs in by_code.items():
            r = specs[0]
            templates = "/".join(x for x in TEMPLATES if any(x in s.templates for s in specs))
            variants = "".join(f"; {'/'.join(s.templates)}: {s.zh}" for s in specs[1:] if s.zh != r.zh)
            group = f"{r.group} " if r.group else ""
            out.append(Entry("row", t, code, f"{group}{r.zh}".strip(), f"{r.en} (templates {templates}{variants})"))
        for c in nf.tables[t].columns.values():
            out.append(Entry("column", t, c.code, c.zh, c.en))
    out += [Entry("template", "", t, t, f"report format {t}") for t in TEMPLATES]
    groups = (("state", STATES), ("status", REPORT_STATUSES), ("ledger_status", LEDGER_STATUSES), ("level", LEVELS),
              ("scope", SCOPES), ("severity", SEVERITIES))
    for kind, codes in groups:
        out += [Entry(kind, "", code, zh, en) for code, (zh, en) in codes.items()]
    out += [Entry("source_format", "", code, zh, code) for code, zh in FORMATS.items()]
    out += [Entry("check", i.table, i.id, i.zh, f"{i.en} ({i.severity})") for i in nf.identities]
    out += [Entry("check", "", code, zh, f"{en} ({sev}, reading)") for code, (sev, zh, en) in READ_CHECKS.items()]
    out += [Entry("check", "", code, zh, f"{en} ({sev}, across years)") for code, (sev, zh, en) in YEAR_CHECKS.items()]
    out += [Entry("check", "", code, zh, f"{en} (warning, places)") for code, (zh, en) in PLACE_CHECKS.items()]
    return tuple(out)


def labels(kind: str, lang: str, table: str = "") -> dict[str, str]:
    """code -> display label for one kind of code (rows and columns of one table)."""
    out: dict[str, str] = {}
    for e in entries():
        if e.kind == kind and (not table or e.table == table):
            out.setdefault(e.code, e.zh if lang == "zh" else e.en.split(" (templates")[0])
    return out
