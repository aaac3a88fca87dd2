"""Report quality by place (issue 14): league tables with the minimum-n rule."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from govstats.analysis import quality


def _corpus() -> SimpleNamespace:
    ids = [f"r{i}" for i in range(8)]
    reports = pd.DataFrame({"report_id": ids, "county": ["甲县"] * 6 + ["乙县"] * 2, "year": [2023] * 8,
                            "scope": ["own"] * 8, "province": ["某省"] * 8, "city": ["某市"] * 8})
    q = pd.DataFrame({"report_id": ids, "score": pd.array([100, 90, 80, 70, 60, 100, 10, 20], dtype="Int32"),
                      "parts_present": [6, 6, 5, 6, 6, 6, 3, 4], "identity_breaks": [0, 1, 0, 0, 0, 0, 2, 0],
                      "text_table_mismatches": [0] * 8, "copied_share": [None, 0.9] + [None] * 6,
                      "days_late": pd.array([0, 10, None, 0, 0, 0, 5, None], dtype="Int32")})
    return SimpleNamespace(reports=reports, quality=q)


def test_league_table_ranks_only_groups_with_enough_reports():
    out = quality.report_quality(_corpus(), by="county").set_index("county")
    assert out.loc["甲县", "reports"] == 6 and out.loc["甲县", "rank"] == 1
    assert abs(out.loc["甲县", "mean_score"] - 500 / 6) < 1e-9
    assert pd.isna(out.loc["乙县", "rank"])  # 2 reports: below the minimum, not ranked
    assert abs(out.loc["甲县", "missing_share"] - 1 / 6) < 1e-9
    assert abs(out.loc["甲县", "late_share"] - 1 / 5) < 1e-9  # of the 5 with a known date
    assert abs(out.loc["甲县", "copying_share"] - 1 / 6) < 1e-9


def test_shares_carry_wilson_intervals():
    from govstats.analysis.metrics import wilson

    out = quality.report_quality(_corpus(), by="county").set_index("county")
    low, high = wilson(pd.Series([1]), pd.Series([6]))
    assert out.loc["甲县", "missing_share_low"] == pytest.approx(low[0])
    assert out.loc["甲县", "missing_share_high"] == pytest.approx(high[0])
    assert out.loc["甲县", "late_share_low"] < 1 / 5 < out.loc["甲县", "late_share_high"]
