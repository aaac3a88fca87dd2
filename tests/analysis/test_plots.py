"""Every chart helper renders Chinese labels without a missing glyph (pyproject makes that warning an error)."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from govstats.analysis import metrics, plots  # noqa: E402


def _draw(ax: plt.Axes) -> bytes:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png")
    plt.close(ax.figure)
    return buf.getvalue()


def _texts(ax: plt.Axes) -> str:
    parts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    parts += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
    for legend in [ax.get_legend(), *ax.figure.legends]:
        if legend is not None:
            parts += [t.get_text() for t in legend.get_texts()]
    return " ".join(parts)


@pytest.fixture
def outcome_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "county": ["郏县"] * 3 + ["宝丰县"] * 3,
        "year": pd.array([2022] * 6, dtype="Int64"),
        "outcome": ["granted", "denied", "other"] * 2,
        "share": pd.array([0.5, 0.3, 0.2, 0.6, 0.1, 0.3], dtype="Float64"),
    })


def test_bars_render_chinese_labels(outcome_frame):
    ax = plots.bars(outcome_frame, "outcome", "share", hue="county", title="办理结果（−负数）", percent=True)
    assert "予以公开" in _texts(ax) and "不予公开" in _texts(ax) and "郏县" in _texts(ax)
    assert _draw(ax).startswith(b"\x89PNG")


def test_bars_of_a_generic_value_column_take_their_axis_name():
    frame = pd.DataFrame({"row": ["licensing", "punishment"], "value": [3.0, 5.0]})
    assert plots.bars(frame, "row", "value", xlabel="本年处理决定数量（件）").get_xlabel() == "本年处理决定数量（件）"


def test_trend_renders():
    frame = pd.DataFrame({"year": pd.array([2019, 2020, 2021], dtype="Int64"), "level": ["township"] * 3,
                          "new_received": pd.array([3, -1, 5], dtype="Int64")})
    ax = plots.trend(frame, "new_received", hue="level", title="本年新收申请")
    assert "乡镇" in _texts(ax) and "年度" in _texts(ax)
    assert _draw(ax)


def test_stacked_shares_render(outcome_frame):
    ax = plots.stacked_shares(outcome_frame, "county", "outcome", title="办理结果构成")
    assert "其他处理" in _texts(ax)
    assert _draw(ax)


def test_missing_glyphs_would_fail():
    """Guard on the guard: without the CJK font the same chart raises (so the tests above mean something)."""
    plots.use_chinese_font()
    with plt.rc_context({"font.sans-serif": ["DejaVu Sans"]}), warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph.*missing from font")
        fig, ax = plt.subplots()
        ax.set_title("郏县")
        with pytest.raises(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)


def test_synthetic_banner():
    assert plots.synthetic_banner(pd.DataFrame({"synthetic": [False, False]})) == ""
    assert "合成示例数据" in plots.synthetic_banner(pd.DataFrame({"synthetic": [True, False]}))


def test_empty_data_draws_a_no_data_chart(outcome_frame):
    empty = outcome_frame.assign(share=pd.array([None] * 6, dtype="Float64"))
    for ax in (plots.bars(empty, "outcome", "share", title="空"), plots.stacked_shares(empty, "county", "outcome"),
               plots.trend(empty, "share")):
        assert "无数据" in " ".join(t.get_text() for t in ax.texts)
        assert _draw(ax)


def test_font_survives_a_theme_reset(outcome_frame):
    import seaborn as sns

    sns.set_theme()  # what an analyst may type in a notebook: back to DejaVu Sans
    ax = plots.bars(outcome_frame, "outcome", "share", title="郏县")
    assert plt.rcParams["font.sans-serif"][0] == plots.FONT_NAME
    assert _draw(ax)


def test_focal_area_first_in_one_colour_with_units_and_intervals():
    frame = metrics.with_intervals(metrics.add_rates(pd.DataFrame({
        "area": ["河南省（全省）", "郏县", "平顶山市（全市）"] * 2, "year": [2022] * 3 + [2023] * 3,
        "granted_partial": pd.array([50, 5, 20, 60, 7, 25], dtype="Int64"),
        "total_processed": pd.array([100, 9, 40, 100, 10, 50], dtype="Int64")})))
    ax = plots.trend(frame, "rate_broad", hue="area", focal="郏县", percent=True, interval=True)
    handles, labels = ax.get_legend_handles_labels()
    assert labels[0] == "郏县" and matplotlib.colors.to_hex(handles[0].get_color()) == plots.FOCAL
    assert ax.get_ylabel() == "公开率（广义）（%）" and ax.get_xlabel() == "年度"
    assert len(ax.collections) >= 3  # one interval band per area
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert len(ticks) == len(set(ticks))  # never "50%, 50%, 60%"
    _draw(ax)
    bars = plots.bars(frame[frame["year"] == 2023], "area", "rate_broad", percent=True,
                      focal="郏县", interval=True)
    assert bars.get_yticklabels()[0].get_text() == "郏县"
    assert matplotlib.colors.to_hex(bars.patches[0].get_facecolor()) == plots.FOCAL
    _draw(bars)


def test_counts_axes_have_units_and_whole_numbers():
    frame = pd.DataFrame({"year": pd.array([2019, 2020], dtype="Int64"), "new_received": pd.array([1, 2], dtype="Int64")})
    ax = plots.trend(frame, "new_received")
    assert ax.get_ylabel().endswith("（件）")
    ax.figure.canvas.draw()
    assert all(float(t.get_text().replace("−", "-")).is_integer() for t in ax.get_yticklabels() if t.get_text())
    _draw(ax)
