"""The data dictionary: every code in the dataset, its printed Chinese label and its meaning.

The one label registry of the project. Table, row and column codes come from the national format
(govstats.format); the codes the corpus adds (states, statuses, levels, scopes, checks, dataset
fields, metrics, render statuses) are described here once. Export headers, metric and chart labels
and the render index all read them through `label` and `labels`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

from govstats.corpus.copies import CHECKS as COPY_CHECKS
from govstats.corpus.jumps import CHECKS as JUMP_CHECKS
from govstats.corpus.places import CHECKS as PLACE_CHECKS
from govstats.corpus.reviews import DECISIONS
from govstats.corpus.similarity import CHECKS as SIMILAR_CHECKS
from govstats.corpus.similarity import KINDS as COPIED_KINDS
from govstats.corpus.timeliness import CHECKS as LATE_CHECKS
from govstats.corpus.years import CHECKS as YEAR_CHECKS
from govstats.format import TABLES, TEMPLATES, national_format
from govstats.reading.report import ORIGINS, READ_CHECKS


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
    "copy": ("副本", "the same report as another file (reason names it; report_id is that report's): counted once, "
                     "the dataset keeps the better read"),
    "unchanged": ("未变", "run summary only: same path and sha256 as last run, not read again"),
    "removed": ("已移除", "in an earlier run but no longer in the sources; its report left the dataset"),
    "skipped": ("已跳过", "not an input: a named pipe, device or socket, or a symbolic link out of the source folder"),
    "unlisted": ("无法列出", "a folder that could not be listed; the files found in it before keep their last outcome"),
}
TEMPLATE_LABELS = {
    "2021": ("2021 年格式", "2021 format: 国办公开办函〔2021〕30号"),
    "2019": ("2019 年试行格式", "2019 trial format: 国办公开办函〔2019〕60号"),
    "hybrid": ("混合格式", "Hybrid format: 2021 part 二 with one （六）其他处理 row in part 三"),
}
LEVELS = {
    "province_gov": ("省级人民政府", "Provincial government: of a province, autonomous region or municipality"),
    "city_gov": ("市级人民政府", "City government: of a prefecture-level city, prefecture or league"),
    "county_gov": ("县级人民政府", "County government: of a county, district or county-level city"),
    "department": ("部门", "Department: a department or office (局/委/办/中心…) of a government"),
    "township": ("乡镇街道", "Township: a township, town or street office (乡/镇/街道办事处)"),
    "unknown": ("未知", "Unknown: the level could not be told from the agency name"),
}
SCOPES = {
    "own": ("本机关", "Own report: the body's own report"),
    "regional_summary": ("全地区汇总", "Regional summary: for a whole region (全市/全区/全县); never add it to the bodies' own reports"),
}
SEVERITIES = {
    "error": ("错误", "Error: an identity or continuity that must hold does not"),
    "warning": ("警告", "Warning: something that usually holds does not, or a value could not be placed"),
    "info": ("提示", "Info: worth knowing; not a defect of the numbers"),
}
# The dataset's tables that are not format tables (those take their label from the TOML).
DATASET_TABLES = {
    "reports": ("报告", "Reports"),
    "cells": ("单元格", "Cells"),
    "findings": ("检查结果", "Findings"),
    "ledger": ("文件清单", "Ledger"),
    "copies": ("副本", "Copies: files holding the same report as a file in reports"),
    "quality": ("报告质量", "Quality: one row per report, what evaluators check by hand, and a score"),
    "flags": ("待审核问题", "Flags: warnings and errors with their ids, for review"),
    "reviews": ("审核记录", "Reviews: decisions on flags (confirm, dismiss, correct)"),
}
# Columns of the dataset's tables (the value columns of format tables are format codes).
FIELDS = {
    "report_id": ("报告编号", "Report id"),
    "agency": ("机关", "Agency"),
    "agency_key": ("机关统一名称", "Agency key: the name in one form (place prefix, 政府办/政府办公室, traditional characters), the same across years"),
    "copy_of": ("所属报告", "Copy of: the report_id of the report kept for this file's report"),
    "parts": ("已有部分", "Parts: the parts (sections) of the report found, by heading or by their table"),
    "published": ("发布日期", "Published: the date the page or the document prints (yyyy-mm-dd)"),
    "parts_present": ("已有部分数", "Parts present: how many of the six parts were found"),
    "parts_missing": ("缺少的部分", "Parts missing"),
    "parts_silent": ("无实质内容的部分数", "Parts silent: parts empty or boilerplate only, part 六 silent on fees"),
    "identity_breaks": ("勾稽关系不符数", "Identity breaks: identities 1–4 the printed tables break"),
    "text_table_mismatches": ("文表不符数", "Text-table mismatches: figures of the text that differ from the tables"),
    "uncorroborated_rows": ("未印证数值的行数", "Uncorroborated rows: rows with values no identity corroborates"),
    "unread": ("未能读取处数", "Unread: rows, tables or blank cells the reader left null (unresolved digits, not found)"),
    "copied_share": ("雷同比例", "Copied share: share of text shared with the most similar report"),
    "similar_to": ("最相似报告", "Similar to: the report_id of the most similar report"),
    "copied_kind": ("雷同类型", "Copied kind: previous_year (own report of last year) or other_agency"),
    "deadline": ("法定期限", "Deadline: 31 January for departments, 31 March for governments (Art. 49)"),
    "days_late": ("逾期天数", "Days late: days after the deadline (0: on time; empty: unknown)"),
    "yoy_jumps": ("同比剧变数", "Year-on-year jumps: counts ten times or a tenth of last year's"),
    "score": ("质量得分", "Score: 100 less the penalties documented in govstats.corpus.quality"),
    "finding_id": ("问题编号", "Finding id: stable across rebuilds of the dataset"),
    "decision": ("审核结论", "Decision: confirm, dismiss or correct"),
    "corrected_value": ("更正值", "Corrected value"),
    "reviewer": ("审核人", "Reviewer"),
    "note": ("备注", "Note"),
    "has_correction": ("含审核更正", "Has correction: the row includes a value corrected on review"),
    "n_null": ("空值单元格数", "Cells without a number: blank not resolved, dash, words or missing"),
    "year": ("年度", "Year"),
    "template": ("格式", "Template"),
    "status": ("状态", "Status"),
    "source_path": ("文件路径", "Source path"),
    "source_format": ("文件格式", "Source format"),
    "synthetic": ("合成数据", "Synthetic"),
    "title": ("标题", "Title"),
    "province": ("省", "Province"),
    "city": ("市", "City"),
    "county": ("县（区）", "County"),
    "level": ("层级", "Level"),
    "scope": ("范围", "Scope"),
    "n_errors": ("错误数", "Errors"),
    "n_warnings": ("警告数", "Warnings"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "value": ("数值", "Value"),
    "state": ("状态", "State"),
    "raw": ("原文", "Raw text"),
    "origin": ("数值来源", "Origin: how the value was obtained"),
    "confidence": ("识别置信度", "Confidence: the OCR recogniser's confidence (origin ocr only)"),
    "check": ("检查", "Check"),
    "severity": ("严重程度", "Severity"),
    "table": ("表", "Table"),
    "expected": ("应为", "Expected"),
    "printed": ("印刷值", "Printed"),
    "message": ("说明", "Message"),
    "path": ("路径", "Path"),
    "sha256": ("SHA-256", "SHA-256"),
    "size": ("字节数", "Size (bytes)"),
    "reason": ("原因", "Reason"),
}
# Columns govstats.analysis.metrics adds (spec §6; not printed in the reports). Kept apart from format codes:
# `change` here is the change on last year, the 2019 disclosure column `change` is 本年增/减.
METRICS = {
    "reports": ("报告数", "Reports"),
    "corrected_reports": ("含审核更正的报告数", "Corrected reports: reports of the figure with a value corrected on review"),
    "mean_score": ("平均质量得分", "Mean score: of the reports' quality scores (0-100)"),
    "median_score": ("质量得分中位数", "Median score"),
    "missing_share": ("缺少部分的报告占比", "Missing share: reports with a part missing"),
    "identity_share": ("勾稽关系不符的报告占比", "Identity share: reports whose tables break an identity"),
    "mismatch_share": ("文表不符的报告占比", "Mismatch share: reports whose text disagrees with a table"),
    "copying_share": ("文字雷同的报告占比", "Copying share: reports whose text copies another report"),
    "late_share": ("逾期发布的报告占比", "Late share: reports published after the deadline, of those with a known date"),
    "incomplete": ("数据不全报告数", "Reports left out: a needed cell is not a number"),
    "workload": ("办理量（新收+上年结转）", "Workload (new + carried over)"),
    "carry_over_rate": ("结转率", "Carry-over rate: carried forward / workload"),
    "rate_broad": ("公开率（广义）", "Disclosure rate (broad)"),
    "rate_substantive": ("公开率（实质）", "Disclosure rate (substantive)"),
    "denial_rate": ("不予公开率", "Denial rate: denied / processed"),
    "unable_rate": ("无法提供率", "Unable-to-provide rate: unable / processed"),
    "decided": ("作出公开决定数", "Decided: granted, partly granted or denied"),
    "numeric": ("数值完整报告数", "Reports whose cells are all numbers"),
    "review_rate": ("行政复议率", "Review rate"),
    "litigation_rate": ("行政诉讼率", "Litigation rate"),
    "correction_rate": ("纠错率", "Correction rate"),
    "identity_failure_rate": ("勾稽关系不符比例", "Share failing an identity"),
    "all_zero_rate": ("全零报告比例", "Share of all-zero reports: of the reports whose cells are all numbers"),
    "share": ("占比", "Share"),
    "rank": ("排名", "Rank: by the rate, agencies with a base below the minimum left out"),
    "count": ("件数", "Count"),
    "change": ("同比变化", "Change on last year"),
    "previous": ("上年", "Previous year"),
    "combined": ("合计", "Combined"),
    "litigation": ("行政诉讼", "Litigation"),
    "area": ("比较范围", "Area"),
    "outcome": ("办理结果", "Outcome"),
    "applicant": ("申请人类型", "Applicant"),
    "group": ("类别", "Group"),
    "ground": ("理由", "Ground"),
    "granted_partial": ("公开与部分公开", "Granted or partly granted"),
    "concluded": ("已审结", "Concluded"),
    "identity_failures": ("勾稽关系不符报告数", "Reports failing an identity"),
    "all_zero": ("全零报告数", "All-zero reports"),
    "errors": ("错误数", "Errors"),
    "warnings": ("警告数", "Warnings"),
}
RENDER_STATUSES = {"ok": ("成功", "ok"), "failed": ("失败", "failed")}
# Fields of the render state file that `govstats render` lists in its index.html.
RENDER_FIELDS = {
    "error": ("错误", "error"),
    "seconds": ("用时", "time"),
    "rendered_at": ("生成时间", "rendered"),
    "skipped": ("本次", "this run"),
    "unchanged": ("未变化，跳过", "unchanged"),
    "notebook": ("笔记本", "notebook"),
    "years": ("各年度报告", "pages by year"),
    "notes": ("说明", "notes"),
    "details": ("运行信息", "run details"),
    "adjusted": ("路径已改写", "folder name adjusted: the place name is not a safe path as it is"),
    "all_counties": ("全部县（区）", "all counties"),
}
FORMATS = {"text": "纯文本", "html": "网页", "pdf": "PDF", "docx": "Word (DOCX)", "doc": "Word (DOC)", "wps": "WPS",
           "png": "图片 (PNG)", "jpg": "图片 (JPEG)", "tif": "图片 (TIFF)"}


@cache
def entries() -> tuple[Entry, ...]:
    nf = national_format()
    out: list[Entry] = []
    for t in TABLES:
        spec = nf.tables[t]
        out.append(Entry("table", t, t, spec.zh, spec.en))
    out += [Entry("table", code, code, zh, en) for code, (zh, en) in DATASET_TABLES.items()]
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
    out += [Entry("template", "", t, *TEMPLATE_LABELS[t]) for t in TEMPLATES]
    groups = (("state", STATES), ("origin", ORIGINS), ("status", REPORT_STATUSES), ("ledger_status", LEDGER_STATUSES), ("level", LEVELS),
              ("scope", SCOPES), ("severity", SEVERITIES), ("field", FIELDS), ("metric", METRICS),
              ("render_status", RENDER_STATUSES), ("render_field", RENDER_FIELDS))
    for kind, codes in groups:
        out += [Entry(kind, "", code, zh, en) for code, (zh, en) in codes.items()]
    out += [Entry("source_format", "", code, zh, code) for code, zh in FORMATS.items()]
    out += [Entry("check", i.table, i.id, i.zh, f"{i.en} ({i.severity})") for i in nf.identities]
    out += [Entry("check", "", code, zh, f"{en} ({sev}, reading)") for code, (sev, zh, en) in READ_CHECKS.items()]
    out += [Entry("check", "", code, zh, f"{en} ({sev}, across years)") for code, (sev, zh, en) in YEAR_CHECKS.items()]
    out += [Entry("check", "", code, zh, f"{en} (warning, places)") for code, (zh, en) in PLACE_CHECKS.items()]
    out += [Entry("check", "", code, zh, f"{en} ({sev}, copies)") for code, (sev, zh, en) in COPY_CHECKS.items()]
    quality = {**SIMILAR_CHECKS, **LATE_CHECKS, **JUMP_CHECKS}
    out += [Entry("check", "", code, zh, f"{en} ({sev}, quality)") for code, (sev, zh, en) in quality.items()]
    out += [Entry("decision", "", code, zh, en) for code, (zh, en) in DECISIONS.items()]
    out += [Entry("copied_kind", "", code, zh, en) for code, (zh, en) in COPIED_KINDS.items()]
    return tuple(out)


def labels(kind: str, lang: str, table: str = "") -> dict[str, str]:
    """code -> label for one kind of code, rows and columns as printed (with their heading) in one table."""
    out: dict[str, str] = {}
    for e in entries():
        if e.kind == kind and (not table or e.table == table):
            en = e.en.split(" (templates")[0]
            out.setdefault(e.code, e.zh if lang == "zh" else en.split(": ")[0] if kind in _LABELLED else en)
    return out


# Kinds whose English text is "Label: meaning".
_LABELLED = ("level", "scope", "severity", "template", "field", "metric")


@cache
def outcome_groups() -> dict[str, tuple[str, ...]]:
    """Outcome group -> its row codes, from the I2 identity's rows and their printed headings.

    A row printed under a sub-heading ((三)不予公开 …) joins that heading's group; a row printed on its
    own (予以公开, 2019's (六)其他处理) is a group, merged with the rows printed under a heading of
    the same words. A group's code is its rows' common code stem (denied_*, other_* …).
    """
    nf = national_format()
    i2 = next(i for i in nf.identities if i.id == "I2_outcomes")
    rows = {r.code: r for r in nf.tables[i2.table].rows}
    parent = rows[i2.lhs[0]].group
    by_heading: dict[str, list[str]] = {}
    for code in i2.rhs:
        r = rows[code]
        heading = r.group if r.group and r.group != parent else r.zh
        by_heading.setdefault(heading, []).append(code)
    out = {}
    for codes in by_heading.values():
        out[codes[0] if len(codes) == 1 else _common(codes).rstrip("_")] = tuple(codes)
    return out


def _common(codes: list[str]) -> str:
    """Common prefix of codes, up to and including its last underscore."""
    prefix = os.path.commonprefix(codes)
    return prefix[: prefix.rfind("_") + 1]


def _unnumbered(text: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])+", "", text).strip()


@cache
def format_labels(lang: str, table: str) -> dict[str, str]:
    """Code -> short display label of one format table's columns and rows (columns first).

    Chinese labels drop the printed numbering ((一), 1.) and long notes after a row's name
    (部分公开（区分处理的，…）) so that charts read cleanly; `labels` keeps the printed form.
    """
    spec = national_format().tables[table]
    zh = lang == "zh"
    out = {code: _unnumbered(c.zh) if zh else c.en for code, c in spec.columns.items()}
    for r in spec.rows:
        out.setdefault(r.code, re.sub(r"（[^（）]{6,}）$", "", _unnumbered(r.zh)) if zh else r.en)
    return out


@cache
def _group_labels(lang: str) -> dict[str, str]:
    rows = {r.code: r for r in national_format().tables["applications"].rows}
    out = {}
    for group, codes in outcome_groups().items():
        first = rows[codes[0]]
        if len(codes) == 1:
            out[group] = format_labels(lang, "applications")[first.code]
        else:
            out[group] = _unnumbered(first.group) if lang == "zh" else first.en.split(":")[0]
    return out


_CORPUS_CODES = (METRICS, FIELDS, LEVELS, SCOPES, SEVERITIES, TEMPLATE_LABELS)
# Kinds of code looked up last, by `label`, in the entries (checks, statuses, file formats).
_OTHER_KINDS = ("check", "status", "ledger_status", "source_format", "render_status", "state", "decision", "copied_kind")


def label(code: str, lang: str = "zh", table: str = "") -> str:
    """Display label of any code, ``code`` itself when unknown (English: the meaning's part before ": ").

    With ``table`` that format table's columns and rows are looked up first (disclosure's ``change``
    is 本年增/减); then the metrics and the corpus's own codes (the metric ``change`` is 同比变化),
    outcome groups and the codes of every format table.
    """
    if table in TABLES and code in format_labels(lang, table):
        return format_labels(lang, table)[code]
    for registry in _CORPUS_CODES:
        if code in registry:
            zh, en = registry[code]
            return zh if lang == "zh" else en.split(": ")[0]
    if code in _group_labels(lang):
        return _group_labels(lang)[code]
    for t in TABLES:
        if code in format_labels(lang, t):
            return format_labels(lang, t)[code]
    for kind in _OTHER_KINDS:
        found = labels(kind, lang).get(code)
        if found is not None:
            return found.split(" (")[0] if lang == "en" else found
    return code


def table_label(code: str, lang: str = "zh") -> str:
    """A dataset table's label: format tables as the TOML names them (收到和处理政府信息公开申请情况)."""
    if code in TABLES:
        spec = national_format().tables[code]
        return spec.zh if lang == "zh" else spec.en
    zh, en = DATASET_TABLES[code]
    return zh if lang == "zh" else en


def table_of(codes, kind: str) -> str:
    """The format table whose ``kind`` ("row" or "column") codes include every one of ``codes`` that is a
    format code (others, such as the metric ``combined``, are left aside); "" when there is none."""
    nf = national_format()
    known = {t: set(nf.tables[t].columns) if kind == "column" else {r.code for r in nf.tables[t].rows} for t in TABLES}
    wanted = set(codes) & set().union(*known.values())
    return next((t for t in TABLES if wanted and wanted <= known[t]), "")
