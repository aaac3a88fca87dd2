"""The dataset's tables with Chinese headers, for Excel: one sheet per table in an .xlsx, named by
the data dictionary (format tables as the national format names them), or one CSV per table
(FILE_reports.csv, FILE_applications.csv, …; UTF-8 with BOM, which Excel needs to show Chinese).

Every sheet reads on its own: beside the report id, each row carries its report's agency, place and
year; codes, statuses and checks are in Chinese, true/false is 是/否; the header is frozen, has
filters, and columns are as wide as their contents (capped).
"""

from __future__ import annotations

from pathlib import Path

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger", "copies")
# Beside report_id in every table (reports and copies have them as their own columns): who and where.
CONTEXT = ("agency", "province", "city", "county", "year")
MAX_WIDTH = 60


def headers(lang: str = "zh") -> dict[str, str]:
    """Dataset column -> header: the dictionary's field labels (format columns are relabelled on load)."""
    from govstats.corpus.dictionary import FIELDS

    return {code: zh if lang == "zh" else en for code, (zh, en) in FIELDS.items()}


def _chinese(frame, name: str):
    """Statuses, checks, formats and templates as their Chinese labels; booleans as 是/否."""
    import pandas as pd

    from govstats.corpus.dictionary import label, labels

    out = frame.copy()
    kinds = {"status": "status" if name != "ledger" else "ledger_status", "check": "check",
             "source_format": "source_format", "template": "template"}
    for col, kind in kinds.items():
        if col in out:
            names = labels(kind, "zh")
            out[col] = [names.get(v, label(v)) if isinstance(v, str) else "" for v in out[col].astype(object)]
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col].dtype):
            out[col] = out[col].map({True: "是", False: "否"}).fillna("")
    return out


def frames(dir: str) -> dict[str, object]:
    """Tables with Chinese labels and headers, in export order, each with its reports' context."""
    from govstats.corpus.dataset import load

    corpus = load(dir, labels="zh")
    reports = corpus.reports
    context = reports[["report_id", *CONTEXT]].astype({"report_id": str})
    out = {}
    for name in TABLES:
        frame = getattr(corpus, name)
        if name not in ("reports", "copies"):  # a copy's own row says who and where it is about
            frame = frame.astype({"report_id": str})
            keep = [c for c in frame.columns if c not in CONTEXT]
            frame = frame[keep].merge(context, on="report_id", how="left")
        first = ["report_id", *CONTEXT] if name != "ledger" else ["path", "report_id", *CONTEXT]
        frame = frame[first + [c for c in frame.columns if c not in first]]
        out[name] = _chinese(frame, name).rename(columns=headers())
    return out


def _width(values) -> int:
    """Display width of the longest value: a CJK character is two columns wide."""
    longest = 0
    for v in values:
        text = "" if v is None else str(v)
        longest = max(longest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    return min(MAX_WIDTH, longest + 2)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(value: object) -> bool:
    """Text a spreadsheet would run as a formula (`=HYPERLINK(…)` in an agency name from a hostile
    page); a number printed with its sign (`-15`) is not."""
    if not isinstance(value, str) or not value.startswith(_FORMULA):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _as_text(sheet) -> None:
    """Every cell openpyxl took for a formula is written as the text it is: data never runs."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _csv_safe(frame):
    """For CSV (which Excel evaluates): formula-like text gets a leading apostrophe (OWASP)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].map(lambda v: "'" + v if _formula_like(v) else v)
    return out


def _format(sheet, frame) -> None:
    """Frozen header, filters on every column, widths from the contents, no formula from data."""
    from openpyxl.utils import get_column_letter

    _as_text(sheet)
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for i, col in enumerate(frame.columns, start=1):
        sample = frame[col].head(2000).tolist()
        sheet.column_dimensions[get_column_letter(i)].width = _width([col, *sample])


def write(target: Path, tables: dict) -> list[Path]:
    """Write ``tables`` to an .xlsx (atomically) or to one UTF-8-with-BOM CSV per table."""
    from govstats.corpus.dictionary import table_label

    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".xlsx":
        import pandas as pd

        tmp = target.with_name(f".{target.stem}.partial.xlsx")  # a failed write leaves no half workbook
        try:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                for t, df in tables.items():
                    df.to_excel(xl, sheet_name=table_label(t), index=False)
                    _format(xl.sheets[table_label(t)], df)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        return [target]
    written = []
    for t, df in tables.items():
        path = target.with_name(f"{target.stem}_{t}.csv")
        _csv_safe(df).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def write_errors() -> tuple[type[Exception], ...]:
    """What a failed write raises: permissions, a full disk, openpyxl refusing a value."""
    from openpyxl.utils import exceptions as xl

    return OSError, ValueError, xl.IllegalCharacterError, xl.SheetTitleException, xl.InvalidFileException
