"""Charts with Chinese labels that render anywhere.

The CJK font comes from the mplfonts package (Noto Sans CJK SC), registered with matplotlib at run
time so nothing needs installing system-wide; ``sns.set_theme`` resets fonts, so the font goes in
its ``rc``. Labels come from ``govstats.analysis.metrics.label`` (the registry in govstats.corpus.dictionary).
"""

from __future__ import annotations

from functools import cache

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.ticker import MaxNLocator, PercentFormatter

from govstats.analysis.fonts import FONT_NAME, cjk_font
from govstats.analysis.metrics import label, label_values


@cache
def _register_font() -> None:
    font_manager.fontManager.addfont(str(cjk_font()))


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
                "figure.dpi": 110,
                "font.size": 11,
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
    _, ax = plt.subplots(figsize=size, layout="constrained")  # makes room for the legend below, no extra draw
    return ax


def _no_data(ax: plt.Axes, title: str) -> plt.Axes:
    """An empty chart that says so, instead of an exception, when nothing is left to draw."""
    ax.text(0.5, 0.5, "无数据 / no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


FOCAL = "#d95f02"  # the focal county (or area) in every chart, always first; the others in greys and blues
OTHERS = ("#4c72b0", "#7f7f7f", "#9ecae1", "#bdbdbd", "#55a868", "#8172b3")


def _palette(values: list[str], focal: str | None) -> tuple[list[str], dict[str, str]]:
    """Order (focal first) and colours (focal in FOCAL) of a hue's values."""
    order = ([focal] if focal in values else []) + [v for v in values if v != focal]
    colours = {v: FOCAL if v == focal else OTHERS[i % len(OTHERS)] for i, v in enumerate(o for o in order if o != focal)}
    if focal in values:
        colours[focal] = FOCAL
    return order, colours


def axis_title(value: str, unit: str | None) -> str:
    """"本年新收政府信息公开申请数量（件）": the value's label and its unit."""
    return f"{label(value)}（{unit}）" if unit else label(value)


def _finish(ax: plt.Axes, title: str, xlabel: str, ylabel: str, percent_axis: str | None,
            count_axis: str | None = None) -> plt.Axes:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        if percent_axis == name:  # decimals chosen from the range: never "0%, 0%, 1%"
            axis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        elif count_axis == name:
            axis.set_major_locator(MaxNLocator(integer=True))
    legend = ax.get_legend()
    if legend is None:
        if ax.figure.get_layout_engine() is None:
            ax.figure.tight_layout()
        return ax
    handles, labels = ax.get_legend_handles_labels()
    fig = ax.figure
    if fig.get_layout_engine() is not None:  # our own figure: the legend below the x axis title
        legend.remove()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(3, len(labels)), fontsize="small",
                   frameon=False)
        return ax
    fig.tight_layout()  # the caller's axes: place it below what the axis labels take
    fig.canvas.draw()
    bottom = ax.xaxis.get_tightbbox(fig.canvas.get_renderer()).y0
    y = ax.transAxes.inverted().transform((0, bottom))[1]
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, y - 0.02), ncol=min(3, len(labels)),
              fontsize="small", frameon=False)
    return ax


def bars(frame: pd.DataFrame, category: str, value: str, hue: str | None = None, title: str = "",
         ax: plt.Axes | None = None, percent: bool = False, top: int | None = None, unit: str | None = None,
         focal: str | None = None, interval: bool = False, xlabel: str | None = None) -> plt.Axes:
    """Horizontal bars of ``value`` per ``category`` (codes shown as their Chinese labels); ``xlabel``
    names the value axis when ``value`` is a generic column (``value`` of a long frame).

    ``focal``: a value of ``category`` (or of ``hue``) drawn first in the highlight colour;
    ``interval``: error bars from the ``<value>_low`` and ``<value>_high`` columns (metrics.with_intervals).
    """
    use_chinese_font()
    data = _labelled(frame, [category, hue]).dropna(subset=[value])
    data[value] = data[value].astype(float)
    if top is not None:
        keep = data.groupby(category, sort=False)[value].sum().nlargest(top).index
        data = data[data[category].isin(keep)]
    dodge = hue is not None and not data.empty and data.groupby(category)[hue].nunique().max() > 1
    bars_per_category = data[hue].nunique() if dodge else 1
    ax = _axes(ax, (5.4, 0.9 + 0.3 * max(3, data[category].nunique() * bars_per_category)))
    if data.empty:
        return _no_data(ax, title)
    colour_of = hue if hue is not None else category
    order, colours = _palette(list(dict.fromkeys(data[colour_of].astype(str))), focal)
    data[colour_of] = data[colour_of].astype(str)
    kwargs = {"hue": colour_of, "palette": colours, "hue_order": order, "legend": hue is not None}
    if hue is None:
        kwargs["order"] = order
    sns.barplot(data=data, y=category, x=value, orient="h", ax=ax, errorbar=None, dodge=dodge, saturation=1, **kwargs)
    if interval and f"{value}_low" in data and not dodge:
        positions = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
        sub = data.dropna(subset=[f"{value}_low", f"{value}_high"])
        ys = [positions.get(str(c)) for c in sub[category]]
        ax.errorbar(sub[value], ys, xerr=[sub[value] - sub[f"{value}_low"].astype(float),
                                          sub[f"{value}_high"].astype(float) - sub[value]],
                    fmt="none", ecolor="#333333", elinewidth=1, capsize=3)
    unit = unit if unit is not None else ("%" if percent else "件")
    return _finish(ax, title, xlabel or axis_title(value, unit), "", "x" if percent else None, None if percent else "x")


def trend(frame: pd.DataFrame, value: str, hue: str | None = None, title: str = "", ax: plt.Axes | None = None,
          percent: bool = False, x: str = "year", unit: str | None = None, focal: str | None = None,
          interval: bool = False, ylabel: str | None = None) -> plt.Axes:
    """Lines of ``value`` by year, one per ``hue``; ``focal`` drawn first in the highlight colour,
    ``interval`` a band from ``<value>_low`` to ``<value>_high``."""
    use_chinese_font()
    data = _labelled(frame, [hue]).dropna(subset=[value, x])
    data[value] = data[value].astype(float)
    data[x] = data[x].astype(int)
    ax = _axes(ax, (5.4, 3.3))
    if data.empty:
        return _no_data(ax, title)
    if hue is not None:
        data[hue] = data[hue].astype(str)
        order, colours = _palette(list(dict.fromkeys(data[hue])), focal)
        sns.lineplot(data=data, x=x, y=value, hue=hue, hue_order=order, palette=colours, marker="o", ax=ax,
                     errorbar=None)
    else:
        order, colours = [None], {None: FOCAL if focal else OTHERS[0]}
        sns.lineplot(data=data, x=x, y=value, marker="o", ax=ax, errorbar=None, color=colours[None])
    if interval and f"{value}_low" in data:
        for name in order:
            sub = data if name is None else data[data[hue] == name]
            sub = sub.dropna(subset=[f"{value}_low", f"{value}_high"]).sort_values(x)
            ax.fill_between(sub[x], sub[f"{value}_low"].astype(float), sub[f"{value}_high"].astype(float),
                            color=colours[name], alpha=0.15, linewidth=0)
    ax.set_xticks(sorted(data[x].unique()))
    unit = unit if unit is not None else ("%" if percent else "件")
    return _finish(ax, title, label(x), ylabel or axis_title(value, unit), "y" if percent else None,
                   None if percent else "y")


def distribution(frame: pd.DataFrame, value: str, by: str | None = None, title: str = "",
                 ax: plt.Axes | None = None, percent: bool = False, unit: str | None = None,
                 focal: str | None = None) -> plt.Axes:
    """How ``value`` spreads over units (agencies, counties): one box per ``by`` with every unit as a dot."""
    use_chinese_font()
    data = _labelled(frame, [by]).dropna(subset=[value])
    data[value] = data[value].astype(float)
    groups = list(dict.fromkeys(data[by].astype(str))) if by else []
    ax = _axes(ax, (5.4, 1.2 + 0.45 * max(2, len(groups))))
    if data.empty:
        return _no_data(ax, title)
    if by:
        data[by] = data[by].astype(str)
        order, colours = _palette(groups, focal)
        sns.boxplot(data=data, x=value, y=by, order=order, ax=ax, color="#e8e8e8", fliersize=0, width=0.6)
        sns.stripplot(data=data, x=value, y=by, order=order, hue=by, palette=colours, legend=False, ax=ax,
                      size=4, alpha=0.7, jitter=0.25)
    else:
        sns.histplot(data=data, x=value, ax=ax, color=OTHERS[0], bins=20)
    unit = unit if unit is not None else ("%" if percent else "件")
    return _finish(ax, title, axis_title(value, unit), "" if by else "机关数（个）", "x" if percent else None,
                   None if percent else "x")


def stacked_shares(frame: pd.DataFrame, group: str, category: str, value: str = "share", title: str = "",
                   ax: plt.Axes | None = None, order: list[str] | None = None) -> plt.Axes:
    """One horizontal bar per ``group`` (in ``order``, e.g. the focal county first), split into the
    shares of ``category`` (adding to 100%)."""
    use_chinese_font()
    data = _labelled(frame, [category]).dropna(subset=[value])
    data[group] = data[group].astype(str)
    data[value] = data[value].astype(float)
    wide = data.pivot_table(index=group, columns=category, values=value, aggfunc="sum", sort=False)
    if order is not None:
        wide = wide.reindex([g for g in order if g in wide.index])
    ax = _axes(ax, (5.4, 1.9 + 0.4 * len(wide)))
    if wide.empty:
        return _no_data(ax, title)
    wide.plot.barh(stacked=True, ax=ax, width=0.7, colormap="tab20", legend=True)
    ax.invert_yaxis()
    return _finish(ax, title, axis_title("share", "%"), "", "x")


def synthetic_banner(reports: pd.DataFrame) -> str:
    """An HTML warning when any report in view is synthetic (counting those in view), else ""."""
    if "synthetic" not in reports or not reports["synthetic"].fillna(False).astype(bool).any():
        return ""
    n = int(reports["synthetic"].fillna(False).astype(bool).sum())
    return (
        '<div class="banner" style="border:2px solid #c0392b;background:#fdecea;padding:8px 12px;font-weight:bold">'
        f"⚠ 合成示例数据：本页 {n} 份报告为程序生成的示例，不是真实的政府报告。"
        f" / Synthetic data: {n} reports in view were generated, not published by any government.</div>"
    )
