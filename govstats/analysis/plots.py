"""Charts with Chinese labels that render anywhere.

The CJK font comes from the mplfonts package (Noto Sans CJK SC), registered with matplotlib at run
time so nothing needs installing system-wide; ``sns.set_theme`` resets fonts, so the font goes in
its ``rc``. Labels come from ``govstats.analysis.metrics.label`` (the registry in govstats.corpus.dictionary).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.ticker import PercentFormatter

from govstats.analysis.metrics import label, label_values, labelled

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_NAME = "Noto Sans CJK SC"


@cache
def _register_font() -> None:
    from mplfonts.conf import FONT_DIR

    font_manager.fontManager.addfont(str(Path(FONT_DIR) / FONT_FILE))


def use_chinese_font() -> str:
    """Register Noto Sans CJK SC from mplfonts and set the seaborn theme with it; returns the font name.

    Every chart helper calls it: the theme is set again whenever something (``sns.set_theme()`` in a
    notebook, an rc reset) replaced the font since.
    """
    _register_font()
    if plt.rcParams["font.sans-serif"][:1] != [FONT_NAME] or plt.rcParams["axes.unicode_minus"]:
        sns.set_theme(
            style="whitegrid",
            rc={
                "font.family": "sans-serif",
                "font.sans-serif": [FONT_NAME, "DejaVu Sans"],
                "axes.unicode_minus": False,
                "figure.dpi": 96,
                "savefig.bbox": "tight",
            },
        )
    return FONT_NAME


def _labelled(frame: pd.DataFrame, columns: list[str | None]) -> pd.DataFrame:
    """Copy of ``frame`` with code values of ``columns`` replaced by their Chinese labels."""
    out = frame.copy()
    for col in columns:
        if col and col in out and not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = label_values(out[col], col)
    return out


def _axes(ax: plt.Axes | None, size: tuple[float, float]) -> plt.Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=size)
    return ax


def _no_data(ax: plt.Axes, title: str) -> plt.Axes:
    """An empty chart that says so, instead of an exception, when nothing is left to draw."""
    ax.text(0.5, 0.5, "无数据 / no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _finish(ax: plt.Axes, title: str, xlabel: str, ylabel: str, percent_axis: str | None) -> plt.Axes:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if percent_axis == "x":
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    elif percent_axis == "y":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if ax.get_legend() is not None:  # beside the chart, never over the data
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False)
    ax.figure.tight_layout()
    return ax


def bars(frame: pd.DataFrame, category: str, value: str, hue: str | None = None, title: str = "",
         ax: plt.Axes | None = None, percent: bool = False, top: int | None = None) -> plt.Axes:
    """Horizontal bars of ``value`` per ``category`` (codes shown as their Chinese labels)."""
    use_chinese_font()
    data = _labelled(frame, [category, hue]).dropna(subset=[value])
    data[value] = data[value].astype(float)
    if top is not None:
        keep = data.groupby(category, sort=False)[value].sum().nlargest(top).index
        data = data[data[category].isin(keep)]
    dodge = hue is not None and not data.empty and data.groupby(category)[hue].nunique().max() > 1
    bars_per_category = data[hue].nunique() if dodge else 1
    ax = _axes(ax, (7, 0.8 + 0.25 * max(3, data[category].nunique() * bars_per_category)))
    if data.empty:
        return _no_data(ax, title)
    sns.barplot(data=data, y=category, x=value, hue=hue, orient="h", ax=ax, errorbar=None, dodge=dodge)
    return _finish(ax, title, label(value), "", "x" if percent else None)


def trend(frame: pd.DataFrame, value: str, hue: str | None = None, title: str = "", ax: plt.Axes | None = None,
          percent: bool = False, x: str = "year") -> plt.Axes:
    """Lines of ``value`` by year, one per ``hue``."""
    use_chinese_font()
    data = _labelled(frame, [hue]).dropna(subset=[value, x])
    data[value] = data[value].astype(float)
    data[x] = data[x].astype(int)
    ax = _axes(ax, (7, 3.5))
    if data.empty:
        return _no_data(ax, title)
    sns.lineplot(data=data, x=x, y=value, hue=hue, marker="o", ax=ax, errorbar=None)
    ax.set_xticks(sorted(data[x].unique()))
    return _finish(ax, title, label(x), label(value), "y" if percent else None)


def stacked_shares(frame: pd.DataFrame, group: str, category: str, value: str = "share", title: str = "",
                   ax: plt.Axes | None = None) -> plt.Axes:
    """One horizontal bar per ``group``, split into the shares of ``category`` (adding to 100%)."""
    use_chinese_font()
    data = _labelled(frame, [category]).dropna(subset=[value])
    data[group] = data[group].astype(str)
    data[value] = data[value].astype(float)
    wide = data.pivot_table(index=group, columns=category, values=value, aggfunc="sum", sort=False)
    ax = _axes(ax, (8, 1.6 + 0.35 * len(wide)))
    if wide.empty:
        return _no_data(ax, title)
    wide.plot.barh(stacked=True, ax=ax, width=0.7, colormap="tab20", legend=True)
    ax.invert_yaxis()
    return _finish(ax, title, label("share"), "", "x")


def synthetic_banner(reports: pd.DataFrame) -> str:
    """An HTML warning when any report in view is synthetic, else an empty string."""
    if "synthetic" not in reports or not reports["synthetic"].fillna(False).astype(bool).any():
        return ""
    n = int(reports["synthetic"].fillna(False).astype(bool).sum())
    return (
        '<div style="border:2px solid #c0392b;background:#fdecea;padding:8px 12px;font-weight:bold">'
        f"⚠ 合成示例数据：本页 {n} 份报告为程序生成的示例，不是真实的政府报告。"
        f" / Synthetic data: {n} reports in view were generated, not published by any government.</div>"
    )


def table(frame: pd.DataFrame, lang: str = "zh") -> pd.io.formats.style.Styler:
    """A frame for reading in a notebook or report: labelled headers and codes, percentages, no index."""
    return labelled(frame, lang).style.hide(axis="index")
