"""environment.yml cannot be solved here (no conda channels), so a test keeps it in step with
pyproject.toml: the same packages with the same lower bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req, maxsplit=1)[0].lower()


def _conda(req: str) -> set[str]:
    """conda has no extras: `dask[distributed]>=X` is the packages dask and distributed, same bound."""
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)\[([^\]]+)\](.*)", req)
    if not m:
        return {req}
    return {m.group(1) + m.group(3)} | {extra.strip() + m.group(3) for extra in m.group(2).split(",")}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {c for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]] for c in _conda(r)}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = {d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")}
    assert {_name(r) for r in wanted} == {_name(r) for r in listed}
    assert wanted == listed, sorted(wanted ^ listed)
