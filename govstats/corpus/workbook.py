"""The audit workbook (`govstats audit`): the quality table, the open flags and the decisions taken,
each row with its report's agency, place and year, Chinese headers and labels (as `govstats export`)."""

from __future__ import annotations

import pandas as pd

from govstats.corpus.export import CONTEXT, headers


def audit_frames(dir: str) -> dict[str, pd.DataFrame]:
    from govstats.corpus.dataset import load
    from govstats.corpus.dictionary import labels

    corpus = load(dir)
    context = corpus.reports[["report_id", *CONTEXT]].astype({"report_id": str})
    out = {}
    flags = corpus.flags.astype({"report_id": str})
    open_ = flags[flags["decision"].isna()]
    for name, frame in (("quality", corpus.quality), ("flags", open_), ("reviews", corpus.reviews)):
        frame = frame.astype({"report_id": str}).drop(columns=[c for c in CONTEXT if c in frame], errors="ignore")
        frame = frame.merge(context, on="report_id", how="left")
        first = ["report_id", *CONTEXT]
        frame = frame[first + [c for c in frame.columns if c not in first]]
        for col in ("check", "severity", "decision", "copied_kind"):
            if col in frame:
                names = labels(col, "zh")
                frame[col] = frame[col].astype(object).map(lambda v, n=names: n.get(v, v))
        out[name] = frame.rename(columns=headers())
    return out
