"""The quality table (issue 14): one row per report, what evaluators check by hand, and a score.

Score (0–100, documented in the README and the data dictionary): start from 100 and take off
- 10 for each of the six parts missing, 5 for each part that says nothing or a part 六 silent on fees;
- 10 for each identity the printed tables break (at most 30);
- 10 for each figure of the text that disagrees with its table (at most 20);
- 5 for each row with values no identity corroborates (at most 10);
- 5 for each place the reader had to leave null: a row, table or blank it could not read (at most 20);
- 15 when the narrative copies another report (another agency's, or the agency's own last year);
- 10 when published after the legal deadline.
A report read for its metadata only (an older format) has no score.
"""

from __future__ import annotations

import pandas as pd

from govstats.format import national_format

IDENTITY_CHECKS = tuple(i.id for i in national_format().identities)
# findings that leave values null: what the reader could not read (a null never counts as a 0)
UNREAD_CHECKS = ("unresolved_values", "row_missing", "table_missing", "blank_unresolved", "row_order_unsafe",
                 "value_out_of_range")
PENALTIES = {  # column -> (points each, most in all)
    "parts_missing": (10, 60),
    "parts_silent": (5, 10),
    "identity_breaks": (10, 30),
    "text_table_mismatches": (10, 20),
    "uncorroborated_rows": (5, 10),
    "unread": (5, 20),
    "copied": (15, 15),
    "late": (10, 10),
}
COLUMNS = ("report_id", "parts_present", "parts_missing", "parts_silent", "identity_breaks", "text_table_mismatches",
           "uncorroborated_rows", "unread", "copied_share", "similar_to", "copied_kind", "published", "days_late", "yoy_jumps",
           "score")


def _count(findings: pd.DataFrame, checks) -> pd.Series:
    f = findings[findings["check"].isin(list(checks)) & findings["severity"].isin(["warning", "error"])]
    return f.groupby("report_id").size()


def quality(reports: pd.DataFrame, findings: pd.DataFrame, *, similar: pd.DataFrame | None = None,
            lateness: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quality table. ``reports``: report_id, status, parts (comma-separated part codes);
    ``findings``: report_id, check, severity; ``similar`` and ``lateness`` as
    govstats.corpus.similarity.similar and govstats.corpus.timeliness.lateness return them."""
    sections = list(national_format().sections)
    q = reports[["report_id"]].copy()
    present = reports["parts"].fillna("").str.split(",").map(lambda p: [x for x in p if x])
    q["parts_present"] = present.map(len).astype("Int32")
    q["parts_missing"] = present.map(lambda p: ",".join(s for s in sections if s not in p))
    ids = q["report_id"]
    for col, checks in (("parts_silent", ("section_empty", "fees_not_stated")), ("identity_breaks", IDENTITY_CHECKS),
                        ("text_table_mismatches", ("text_table_mismatch",)), ("uncorroborated_rows", ("uncorroborated_value",)),
                        ("unread", UNREAD_CHECKS)):
        q[col] = ids.map(_count(findings, checks)).fillna(0).astype("Int32")
    q["yoy_jumps"] = ids.map(findings[findings["check"] == "yoy_jump"].groupby("report_id").size()).fillna(0).astype("Int32")
    sim = (similar if similar is not None else pd.DataFrame(columns=["report_id", "similar_to", "share", "kind"]))
    sim = sim.set_index("report_id")
    q["copied_share"] = ids.map(sim["share"]).astype("Float64")
    q["similar_to"] = ids.map(sim["similar_to"])
    q["copied_kind"] = ids.map(sim["kind"])
    late = lateness.set_index("report_id") if lateness is not None else pd.DataFrame(columns=["published", "days_late"])
    published = ids.map(late["published"]) if len(late) else pd.Series(None, index=q.index, dtype=object)
    q["published"] = published.map(lambda d: d.isoformat() if pd.notna(d) else None)  # yyyy-mm-dd
    q["days_late"] = (ids.map(late["days_late"]) if len(late) else pd.Series(pd.NA, index=q.index)).astype("Int32")
    missing = q["parts_missing"].map(lambda m: len([x for x in m.split(",") if x]))
    penalty = (
        _points(missing, "parts_missing") + _points(q["parts_silent"], "parts_silent")
        + _points(q["identity_breaks"], "identity_breaks") + _points(q["text_table_mismatches"], "text_table_mismatches")
        + _points(q["uncorroborated_rows"], "uncorroborated_rows") + _points(q["unread"], "unread")
        + _points(q["copied_share"].notna(), "copied")
        + _points(q["days_late"].fillna(0) > 0, "late")
    )
    q["score"] = (100 - penalty).clip(lower=0).astype("Int32")
    q.loc[reports["status"].to_numpy() != "parsed", "score"] = pd.NA
    return q[list(COLUMNS)].reset_index(drop=True)


def _points(count: pd.Series, what: str) -> pd.Series:
    each, most = PENALTIES[what]
    return (count.astype("int64") * each).clip(upper=most)
