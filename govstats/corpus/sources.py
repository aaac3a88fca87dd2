"""The source roots a dataset was built from, remembered in ``DIR/sources.json``.

An ingest scans the roots it is given (with ``--rescan``, every remembered one) and touches only the
files under them: a file leaves the dataset only when a scan of its root no longer finds it, so folders
ingested in separate runs add up. ``--drop-source ROOT`` takes one root's files out explicitly. A
root that is not there when it is rescanned (an unmounted disk) keeps its files; a root whose files
turned up under another path (the folder was moved: same bytes, new path) is forgotten once it is
gone and none of its reports is left. A path under two roots belongs to the longer one.

The file also records when each root was last scanned and the fingerprints a rerun trusts
(govstats.corpus.fingerprint). A new root is written into it before the tables are committed (a run
killed in between leaves no file without its root; --rescan reads it); scan times and fingerprints
after the commit, so they are never ahead of the tables. It is not versioned with them, and a reader
may see a scan time a moment early or late.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from govstats.corpus import store
from govstats.corpus.scan import inside, shown

FILE = "sources.json"


def root(source: str) -> str:
    """How a root is remembered: an absolute path, as given (a link to a folder stays the link)."""
    return os.path.abspath(source)


def root_of(path: str, roots: Iterable[str]) -> str | None:
    """The longest of ``roots`` that holds ``path``."""
    found = [r for r in roots if inside(path, r)]
    return max(found, key=len) if found else None


def load(out: Path) -> dict:
    memory = store.read_json(out / FILE)
    memory.setdefault("roots", {})
    return memory


def save(out: Path, memory: dict) -> None:
    store.write_json(out / FILE, memory)


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def listing(out: str | Path) -> pd.DataFrame:
    """One row per remembered root: whether it is there, its files and reports in the dataset, last scan.

    ``files``: ledger rows under it that are not removed; ``reports``: files whose report is in the
    dataset (parsed), ``copies`` and ``rejected`` likewise."""
    out = Path(out)
    roots = load(out)["roots"]
    ledger = store.read(store.snapshot(out), "ledger", columns=["path", "status"])
    if ledger is None:
        raise FileNotFoundError(f"{out}: no dataset here (run `govstats ingest SRC --out {out}`)")
    owner = pd.Series(pd.NA, index=range(ledger.num_rows), dtype="str")
    for r in sorted(roots, key=len):  # the longest root last: it wins
        text = shown(r)
        mask = pc.or_(pc.equal(ledger["path"], text), pc.starts_with(ledger["path"], text.rstrip(os.sep) + os.sep))
        owner[mask.to_numpy(zero_copy_only=False)] = r
    status = pd.Series(ledger["status"].to_numpy(zero_copy_only=False), dtype="str")
    counts = pd.crosstab(owner, status) if owner.notna().any() else pd.DataFrame()
    rows = []
    for r in sorted(roots):
        n = counts.loc[r] if r in counts.index else pd.Series(dtype="int64")
        rows.append({"root": shown(r), "present": os.path.exists(r),
                     "files": int(n.sum() - n.get("removed", 0)), "reports": int(n.get("parsed", 0)),
                     "copies": int(n.get("copy", 0)), "rejected": int(n.get("rejected", 0)),
                     "last_scanned": roots[r].get("scanned", "")})
    return pd.DataFrame(rows, columns=["root", "present", "files", "reports", "copies", "rejected", "last_scanned"])
