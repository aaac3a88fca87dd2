"""Copied text (内容雷同, issue 14): how much of a report's narrative it shares with the same agency's
report of the year before and with other agencies' reports of the same year.

Narratives (the report's own words, the format's fixed wording removed: govstats.reading.audit)
are cut into 5-character shingles and summarised by a MinHash signature (datasketch), so that
similar pairs are found with locality-sensitive hashing instead of comparing every pair: the
national corpus has 150,000 reports a year. The share is the estimated Jaccard similarity of the
two shingle sets.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

NUM_PERM = 64
SHINGLE = 5
MIN_CHARS = 60  # a narrative shorter than this (a table-only report) is not compared
OTHER_AGENCY = 0.7  # share of shingles above which a report copies another agency's
PREVIOUS_YEAR = 0.9  # share above which it repeats its own report of the year before
SEED = 1
SCHEME = "affine32"  # datasketch's hashing scheme, fixed so that stored signatures stay comparable
KINDS = {
    "previous_year": ("本机关上一年度报告", "the agency's own report of the year before"),
    "other_agency": ("其他机关同年度报告", "another agency's report of the same year"),
}
CHECKS = {
    "similar_text": ("warning", "正文与其他报告高度雷同", "the narrative is largely the same as another report's"),
}


def signature(narrative: str) -> list[int] | None:
    """The MinHash signature of a narrative (NUM_PERM unsigned 32-bit values), None when too short."""
    if len(narrative) < MIN_CHARS:
        return None
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, scheme=SCHEME)
    m.update_batch([narrative[i : i + SHINGLE].encode() for i in range(len(narrative) - SHINGLE + 1)])
    return m.hashvalues.astype(np.uint32).tolist()


def share(a, b) -> float:
    """Estimated share of shingles two signatures have in common (Jaccard similarity)."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def similar(reports: pd.DataFrame, *, other_agency: float = OTHER_AGENCY,
            previous_year: float = PREVIOUS_YEAR, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The most similar report for each report that has one above a threshold.

    ``reports``: report_id, year, agency_key, signature (None where too short). ``pairs``: the
    same agency's consecutive years (report_id, prev_id), as govstats.corpus.years pairs them.
    Returns report_id, similar_to, share and kind ("other_agency" or "previous_year").
    """
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    have = reports[reports["signature"].notna()]
    sig = dict(zip(have["report_id"], have["signature"], strict=True))
    found: list[dict] = []
    if pairs is not None:
        for rid, prev in zip(pairs["report_id"], pairs["prev_id"], strict=True):
            if rid in sig and prev in sig and (s := share(sig[rid], sig[prev])) >= previous_year:
                found.append({"report_id": rid, "similar_to": prev, "share": s, "kind": "previous_year"})
    key = dict(zip(have["report_id"], have["agency_key"], strict=True))
    for _, year in have.groupby("year"):
        lsh = MinHashLSH(threshold=other_agency, num_perm=NUM_PERM)
        hashes = {}
        for rid in year["report_id"]:
            m = LeanMinHash(MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                                    hashvalues=np.asarray(sig[rid], dtype=np.uint64)))
            hashes[rid] = m
            lsh.insert(rid, m)
        for rid, m in hashes.items():
            best = max(((share(sig[rid], sig[o]), o) for o in lsh.query(m) if o != rid and key[o] != key[rid]),
                       default=None)
            if best and best[0] >= other_agency:
                found.append({"report_id": rid, "similar_to": best[1], "share": best[0], "kind": "other_agency"})
    out = pd.DataFrame(found, columns=["report_id", "similar_to", "share", "kind"])
    return out.sort_values(["report_id", "share"], ascending=[True, False]).drop_duplicates("report_id")


def similar_findings(found: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    """One `similar_text` finding per report, naming the most similar report and the share."""
    severity, zh, en = CHECKS["similar_text"]
    out = []
    for rid, other, s, kind in found[["report_id", "similar_to", "share", "kind"]].itertuples(index=False):
        whose = KINDS[kind][0]
        out.append({
            "report_id": rid, "check": "similar_text", "severity": severity, "table": "", "row": "", "column": "",
            "expected": None, "printed": round(s, 3),
            "message": f"{zh}：与{whose}“{names.get(other, other)}”共有约 {s:.0%} 的文字片段 / "
                       f"{en}: shares about {s:.0%} of its text with {KINDS[kind][1]} "
                       f"'{names.get(other, other)}' ({other})",
        })
    return out
