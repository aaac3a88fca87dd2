"""Shared test fixtures: where the shared real corpus is, skipping cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (spec and real corpus); tests using it skip when it is not beside the project."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"{SHARED} is absent: the real-report tests need ../shared/corpus beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "seed" / "000_f8b21749840a51ab.txt"
