"""The dataset's tables with Chinese headers, for Excel: one sheet per table in an .xlsx, named by
the data dictionary (format tables as the national format names them), or one CSV per table
(FILE_reports.csv, FILE_applications.csv, …; UTF-8 with BOM, which Excel needs to show Chinese).
"""

from __future__ import annotations

from pathlib import Path

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger", "copies")


def headers(lang: str = "zh") -> dict[str, str]:
    """Dataset column -> header: the dictionary's field labels (format columns are relabelled on load)."""
    from govstats.corpus.dictionary import FIELDS

    return {code: zh if lang == "zh" else en for code, (zh, en) in FIELDS.items()}


def frames(dir: str) -> dict[str, object]:
    """Tables with Chinese labels and headers, in export order."""
    from govstats.corpus.dataset import load

    corpus = load(dir, labels="zh")
    return {name: getattr(corpus, name).rename(columns=headers()) for name in TABLES}


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
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        return [target]
    written = []
    for t, df in tables.items():
        path = target.with_name(f"{target.stem}_{t}.csv")
        df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def write_errors() -> tuple[type[Exception], ...]:
    """What a failed write raises: permissions, a full disk, openpyxl refusing a value."""
    from openpyxl.utils import exceptions as xl

    return OSError, ValueError, xl.IllegalCharacterError, xl.SheetTitleException, xl.InvalidFileException
