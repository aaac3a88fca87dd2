"""environment.yml cannot be solved here (no conda channels), so a test keeps it in step with
pyproject.toml: the same packages with the same lower bounds."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req, maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = {d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")}
    assert {_name(r) for r in wanted} == {_name(r) for r in listed}
    assert wanted == listed, sorted(wanted ^ listed)
