"""Tables and text for reading in a notebook or a published page, every string escaped.

pandas' Styler and ``Markdown(f"…")`` pass text through as HTML, so a name printed as
``<img src=x onerror=…>`` in a report or a catalog would run in the page. Everything here goes
through ``html.escape``. Tables show codes as their Chinese labels, integers as integers, each rate
with its numerator/denominator and 95 % Wilson interval (greyed when its base is below
``metrics.MIN_DENOMINATOR``), and the formulas of the rates under the table.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from govstats.analysis import metrics
from govstats.analysis.metrics import RATES, label, label_values


class HTML:
    """Escaped HTML that a notebook displays as such (``display(...)`` or as a cell's last value)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def heading(text: object, level: int = 1) -> HTML:
    return HTML(f"<h{level}>{html.escape(str(text))}</h{level}>")


def note(text: object) -> HTML:
    return HTML(f'<p class="note">{html.escape(str(text))}</p>')


def _percent(v: float) -> str:
    return f"{v:.1%}" if v < 0.995 or v == 1 else f"{v:.2%}"


def _number(v, grouped: bool = True) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, bool):
        return "是" if v else "否"
    if float(v).is_integer():
        return f"{int(v):,}" if grouped else str(int(v))
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _rate_cells(data: pd.DataFrame, rate: str) -> list[tuple[str, bool]]:
    """Per row: "52.4%" with "11/21 · 95%: 31–72%" beneath, and True when its base is small."""
    num, den = RATES[rate]
    if num not in data or den not in data:
        return [("–" if pd.isna(v) else _percent(float(v)), False) for v in data[rate]]
    low, high = metrics.wilson(data[num], data[den])
    small = metrics.small_base(data, rate)
    out = []
    for value, n, d, lo, hi, tiny in zip(data[rate], data[num], data[den], low, high, small, strict=True):
        counts = f"{_number(n)}/{_number(d)}"
        if pd.isna(value):
            out.append((f"–<br><small>{counts}</small>", True))
            continue
        ci = "" if pd.isna(lo) else f" · 95%: {lo:.0%}–{hi:.0%}"
        out.append((f"{_percent(float(value))}<br><small>{counts}{ci}</small>", bool(tiny)))
    return out


_PLAIN = ("year", "rank")  # integers shown without thousands separators


def _is_rate(col: str) -> bool:
    return col in RATES or col.endswith(("_rate", "share")) or col.startswith("rate_")


def table(frame: pd.DataFrame, lang: str = "zh", focal: tuple[str, object] | None = None,
          note_small: bool = True) -> HTML:
    """An escaped HTML table of ``frame``: labelled headers and codes, integers as integers, rates with
    their counts and intervals, the focal row (``(column, value)``) first and highlighted, formulas below.

    Columns that are the numerator or denominator of a rate shown beside them stay as columns too.
    """
    data = frame.reset_index(drop=True)
    if focal is not None and focal[0] in data:
        first = data[focal[0]].astype(str) == str(focal[1])
        data = pd.concat([data[first], data[~first]], ignore_index=True)
        is_focal = [str(v) == str(focal[1]) for v in data[focal[0]].astype(str)]
    else:
        is_focal = [False] * len(data)
    codes = {c: label_values(data[c], c, lang) for c in data.columns if c in metrics.CODE_COLUMNS}
    head = "".join(f'<th scope="col">{html.escape(label(c, lang))}</th>' for c in data.columns)
    rates = {c: _rate_cells(data, c) for c in data.columns if c in RATES}
    body, any_small = [], False
    for i, row in data.iterrows():
        cells = []
        for col in data.columns:
            value = row[col]
            if _is_rate(col):
                text, small = rates[col][i] if col in rates else ("–" if pd.isna(value) else _percent(float(value)),
                                                                 False)
                any_small |= small and col in RATES
                cells.append(f'<td class="num{" small" if small else ""}">{text}</td>')
            elif col in codes:
                cells.append(f'<td class="text">{html.escape(str(codes[col].iloc[i]))}</td>')
            elif pd.api.types.is_numeric_dtype(data[col].dtype) and not pd.api.types.is_bool_dtype(data[col].dtype):
                cells.append(f'<td class="num">{_number(value, grouped=col not in _PLAIN)}</td>')
            elif pd.api.types.is_bool_dtype(data[col].dtype):
                cells.append(f'<td class="text">{_number(value)}</td>')
            else:
                cells.append(f'<td class="text">{html.escape("" if pd.isna(value) else str(value))}</td>')
        cls = ' class="focal"' if is_focal[i] else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    notes = [metrics.formula(c, lang) for c in data.columns if c in RATES]
    if any_small and note_small:
        notes.append(f"灰色：分母少于 {metrics.MIN_DENOMINATOR}，比率不稳定，不参与排名。 / Grey: base below "
                     f"{metrics.MIN_DENOMINATOR}, not ranked.")
    if any(c in RATES for c in data.columns):
        notes.append("比率下方为分子/分母及 95% 置信区间（Wilson）。 / Below each rate: numerator/denominator and "
                     "95% Wilson interval.")
    foot = "".join(f'<p class="formula">{html.escape(n)}</p>' for n in notes)
    return HTML(f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}'
                f"</tbody></table></div>{foot}")
