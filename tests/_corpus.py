"""A small synthetic corpus, written and ingested through the CLI as a user would (text documents)."""

from __future__ import annotations

from pathlib import Path

from govstats.cli import main


def synthetic_dataset(root: Path, counties: str, years: str, *, seed: int, departments: int = 1,
                      defects: float | None = None, workers: int = 1) -> Path:
    """``govstats synth`` into ROOT/docs and ``govstats ingest`` into ROOT/data; returns ROOT/data."""
    docs, data = root / "docs", root / "data"
    args = ["synth", "--out", str(docs), "--counties", counties, "--years", years, "--formats", "txt",
            "--departments", str(departments), "--seed", str(seed)]
    assert main(args + (["--defects", str(defects)] if defects is not None else [])) == 0
    assert main(["ingest", str(docs), "--out", str(data), "--quiet", "--workers", str(workers)]) == 0
    return data
