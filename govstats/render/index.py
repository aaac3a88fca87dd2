"""The output directory's state file (what was rendered from which data) and its ``index.html``.

The index is led by the places: one row per county with its status and a link on its name to its
latest page, then its pages by year, notes (synthetic data, a failed year, an adjusted folder name),
and the run details (time, when, notebook) last. Every name is escaped.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from govstats.corpus.dictionary import FIELDS, RENDER_FIELDS, RENDER_STATUSES
from govstats.render.paths import FAILED_SUFFIX

STATE_FILE = ".render-state.json"
INDEX = "index.html"


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


def write_atomic(path: Path, text: str) -> None:
    """``path`` holds the old text or the new, never part of one (a full disk leaves the old file)."""
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_state(out: Path, state: dict[str, dict]) -> None:
    write_atomic(out / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))


def record(result: dict, out: Path) -> dict:
    """A state entry for a finished job: paths relative to ``out``, and when it ran."""
    keep = ("province", "city", "county", "year", "fingerprint", "status", "error", "seconds", "reports", "synthetic",
            "adjusted")
    entry = {k: result[k] for k in keep if k in result}
    entry["stem"] = Path(result["stem"]).resolve().relative_to(out.resolve()).as_posix()
    entry["rendered_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return entry


def _county_row(keyed: list[tuple[str, dict]], skipped: set[str]) -> str:
    keyed = sorted(keyed, key=lambda ke: ke[1]["year"])
    entries = [e for _, e in keyed]
    e0 = entries[-1]
    ok = [e for e in entries if e["status"] == "ok"]
    place = f'{html.escape(e0["province"])} {html.escape(e0["city"])}'
    name = html.escape(e0["county"])
    link = f'<a href="{html.escape(ok[-1]["stem"])}.html">{name}</a>' if ok else name
    status = "ok" if all(e["status"] == "ok" for e in entries) else "failed"
    years = " ".join(f'<a href="{html.escape(e["stem"])}.html">{e["year"]}</a>' if e["status"] == "ok"
                     else f'<span class="small">{e["year"]} ✗</span>' for e in entries)
    notes = []
    synthetic = max((e.get("synthetic", 0) for e in entries), default=0)
    if synthetic:
        notes.append(f"含合成示例数据（最多 {synthetic} 份报告） / synthetic data")
    notes += [f"{e['year']}：{e.get('error', '')}" for e in entries if e["status"] != "ok"]
    if e0.get("adjusted"):
        folder = e0["stem"].rsplit("/", 1)[0]
        notes.append(f"{_both('adjusted')}：{folder}")
    def detail(key: str, e: dict) -> str:
        unchanged = f"（{_both('unchanged')}）" if key in skipped else ""
        return (f'{e["year"]}: {e["seconds"]:.1f} s, {html.escape(e["rendered_at"])}{unchanged}, '
                f'<a href="{html.escape(e["stem"])}{".ipynb" if e["status"] == "ok" else FAILED_SUFFIX}">ipynb</a>')

    details = f"<details><summary>{len(entries)}</summary>{'<br>'.join(detail(k, e) for k, e in keyed)}</details>"
    return (f'<tr class="{status}"><td class="text">{link}<br><small>{place}</small></td>'
            f'<td class="text">{html.escape(_both(status))}</td><td class="text">{years}</td>'
            f'<td class="text">{"<br>".join(html.escape(n) for n in notes)}</td>'
            f'<td class="text"><small>{details}</small></td></tr>')


def write_index(out: Path, state: dict[str, dict], skipped: set[str]) -> Path:
    """``out/index.html``: every county rendered so far, led by its name and status."""
    from govstats.render.page import document

    by_county: dict[tuple[str, str, str], list[tuple[str, dict]]] = {}
    for key, e in state.items():
        by_county.setdefault((e["province"], e["city"], e["county"]), []).append((key, e))
    rows = [_county_row(by_county[place], skipped) for place in sorted(by_county)]
    n_failed = sum(e["status"] != "ok" for e in state.values())
    n_synthetic = sum(1 for keyed in by_county.values() if any(e.get("synthetic") for _, e in keyed))
    banner = (f'<div class="banner">⚠ 合成示例数据：本索引中 {n_synthetic} 个县（区）的报告页含程序生成的示例数据，'
              f"不是真实的政府报告。 / Synthetic data: the pages of {n_synthetic} counties show generated "
              f"reports, not published by any government.</div>" if n_synthetic else "")
    columns = ("county", "status", "years", "notes", "details")
    body = (f"<h1>县级政府信息公开工作年度报告分析 / County reports</h1>{banner}"
            f'<p class="note">{len(by_county)} 个县（区），{len(state)} 份报告页，{n_failed} 份失败。 / '
            f"{len(by_county)} counties, {len(state)} pages, {n_failed} failed.</p>"
            f'<div class="table-wrap"><table><thead><tr>'
            f'{"".join(f"<th>{html.escape(_both(c))}</th>" for c in columns)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')
    path = out / INDEX
    write_atomic(path, document("政府信息公开工作年度报告：县级分析报告 / County reports", body))
    return path
