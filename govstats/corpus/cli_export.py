"""`govstats export DIR --to FILE.xlsx|FILE.csv`: the dataset's tables with Chinese headers, for Excel.

An .xlsx gets one sheet per table. CSV holds one table per file, so FILE.csv becomes FILE_reports.csv,
FILE_applications.csv, … (UTF-8 with BOM, which Excel needs to show Chinese).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TABLES = ("reports", "applications", "disclosure", "review_litigation", "findings", "ledger")
SHEETS = {"reports": "报告", "applications": "依申请公开", "disclosure": "主动公开", "review_litigation": "复议诉讼",
          "findings": "检查结果", "ledger": "文件清单"}
HEADERS = {
    "report_id": "报告编号", "agency": "机关", "year": "年度", "template": "格式", "status": "状态",
    "source_path": "文件路径", "source_format": "文件格式", "synthetic": "合成数据", "title": "标题",
    "province": "省", "city": "市", "county": "县（区）", "level": "层级", "scope": "范围", "n_errors": "错误数",
    "n_warnings": "警告数", "row": "行", "column": "列", "value": "数值", "check": "检查", "severity": "严重程度",
    "table": "表", "expected": "应为", "printed": "印刷值", "message": "说明", "path": "路径", "sha256": "SHA-256",
    "size": "字节数", "reason": "原因",
}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="a dataset written by `govstats ingest`")
    parser.add_argument("--to", required=True, metavar="FILE", help="FILE.xlsx (one sheet per table) or FILE.csv")


def frames(dir: str) -> dict[str, object]:
    """Tables with Chinese labels and headers, in export order."""
    from govstats.corpus.dataset import load

    corpus = load(dir, labels="zh")
    return {name: getattr(corpus, name).rename(columns=HEADERS) for name in TABLES}


def run(args: argparse.Namespace, name: str) -> int:
    target = Path(args.to)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        print(f"govstats export: {target}: use a .xlsx or .csv file name", file=sys.stderr)
        return 2
    try:
        tables = frames(args.dir)
    except FileNotFoundError as e:
        print(f"govstats export: {e}", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        import pandas as pd

        with pd.ExcelWriter(target, engine="openpyxl") as xl:
            for t, df in tables.items():
                df.to_excel(xl, sheet_name=SHEETS[t], index=False)
        print(f"wrote {target}", file=sys.stderr)
        return 0
    for t, df in tables.items():
        path = target.with_name(f"{target.stem}_{t}.csv")
        df.to_csv(path, index=False, encoding="utf-8-sig")
        print(f"wrote {path}", file=sys.stderr)
    return 0
