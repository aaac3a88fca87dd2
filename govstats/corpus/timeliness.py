"""Timeliness (issue 14): a report against its legal deadline. Regulation Art. 49: departments of
people's governments at county level and above publish by 31 January, governments (and their
township offices) by 31 March, of the year after the one reported on. Unknown dates and levels stay
unknown: nothing is guessed."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

GOVERNMENT_LEVELS = ("province_gov", "city_gov", "county_gov", "township")
DEPARTMENT_LEVELS = ("department",)
CHECKS = {
    "late_publication": ("warning", "年度报告晚于法定期限发布", "published after the legal deadline (Regulation Art. 49)"),
}


_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def iso_date(text: object) -> str | None:
    """A date written as 2024-01-25, 2024/1/25 or 2024年1月25日 as yyyy-mm-dd (None otherwise)."""
    m = _DATE.search(text) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    return f"{y}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def deadline(level: str, year: int) -> date | None:
    """The last day to publish the report of ``year`` for an agency of ``level`` (None: unknown)."""
    if level in DEPARTMENT_LEVELS:
        return date(year + 1, 1, 31)
    if level in GOVERNMENT_LEVELS:
        return date(year + 1, 3, 31)
    return None


def lateness(reports: pd.DataFrame) -> pd.DataFrame:
    """report_id, published, deadline, days_late (0 when on time; NA when a date is unknown).

    ``reports`` needs report_id, year, level and published (yyyy-mm-dd text or NA)."""
    published = pd.to_datetime(reports["published"], errors="coerce", format="%Y-%m-%d")
    due = [deadline(lv, int(y)) if pd.notna(y) else None for lv, y in zip(reports["level"], reports["year"], strict=True)]
    due = pd.to_datetime(pd.Series(due, index=reports.index, dtype="object"))
    days = (published - due).dt.days
    return pd.DataFrame({
        "report_id": reports["report_id"],
        "published": published.dt.date,
        "deadline": due.dt.date,
        "days_late": days.clip(lower=0).astype("Int32"),
    })


def late_findings(late: pd.DataFrame) -> list[dict]:
    severity, zh, en = CHECKS["late_publication"]
    rows = late[late["days_late"].fillna(0) > 0]
    return [{"report_id": rid, "check": "late_publication", "severity": severity, "table": "", "row": "", "column": "",
             "expected": None, "printed": float(d),
             "message": f"{zh}：{p} 发布，期限 {due}，晚 {d} 天 / {en}: published {p}, due {due}, {d} days late"}
            for rid, p, due, d in rows[["report_id", "published", "deadline", "days_late"]].itertuples(index=False)]
