"""The output directory's state file (what was rendered from which data) and its ``index.html``."""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from govstats.corpus.dictionary import FIELDS, RENDER_FIELDS, RENDER_STATUSES

STATE_FILE = ".render-state.json"
# The index's columns: state fields, labelled from the data dictionary in Chinese and English.
COLUMNS = ("province", "city", "county", "year", "status", "error", "seconds", "rendered_at", "skipped", "notebook")


def _both(code: str) -> str:
    """Chinese and English ("成功 ok") for an index heading or status, from the data dictionary."""
    zh, en = {**FIELDS, **RENDER_FIELDS, **RENDER_STATUSES}.get(code, (code, code))
    en = en.split(": ")[0]
    return zh if zh == en else f"{zh} {en.lower()}"


def read_state(out: Path) -> dict[str, dict]:
    """Entries by job key; an unreadable state file means "render everything again"."""
    try:
        return json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_state(out: Path, state: dict[str, dict]) -> None:
    _write_atomic(out / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))


def record(result: dict, out: Path) -> dict:
    """A state entry for a finished job: paths relative to ``out``, and when it ran."""
    entry = {k: result[k] for k in ("province", "city", "county", "year", "fingerprint", "status", "error", "seconds")}
    entry["stem"] = Path(result["stem"]).resolve().relative_to(out.resolve()).as_posix()
    entry["rendered_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return entry


def write_index(out: Path, state: dict[str, dict], skipped: set[str]) -> Path:
    """``out/index.html``: every county rendered so far, with status, time and links."""
    rows = []
    for key in sorted(state):
        e = state[key]
        link = f'<a href="{html.escape(e["stem"])}.html">{e["year"]}</a>'
        note = _both("unchanged") if key in skipped else ""
        status = html.escape(_both(e["status"]))
        cls = "ok" if e["status"] == "ok" else "failed"
        rows.append(
            f'<tr class="{cls}"><td>{html.escape(e["province"])}</td><td>{html.escape(e["city"])}</td>'
            f'<td>{html.escape(e["county"])}</td><td>{link}</td><td>{status}</td>'
            f'<td>{html.escape(e.get("error", ""))}</td><td>{e["seconds"]:.1f} s</td>'
            f'<td>{html.escape(e["rendered_at"])}</td><td>{note}</td>'
            f'<td><a href="{html.escape(e["stem"])}.ipynb">ipynb</a></td></tr>'
        )
    n_failed = sum(e["status"] != "ok" for e in state.values())
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>政府信息公开工作年度报告：县级分析报告 / County reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; }}
tr.failed {{ background: #fdecea; }} th {{ background: #f0f0f0; }}
</style></head><body>
<h1>县级分析报告 / County reports</h1>
<p>{len(state)} 份报告，{n_failed} 份失败 / {len(state)} reports, {n_failed} failed.</p>
<table><thead><tr>{"".join(f"<th>{html.escape(_both(c))}</th>" for c in COLUMNS)}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    path = out / "index.html"
    _write_atomic(path, page)
    return path
