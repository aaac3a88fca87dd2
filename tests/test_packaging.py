"""What a user installing from a wheel gets: the template notebook and the national format as package
data, `govstats --version`, and `parse --json` as JSON Lines."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

import govstats
from govstats.cli import main
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(ROOT)], check=True, capture_output=True)
    return zipfile.ZipFile(next(out.glob("govstats-*.whl")))


def test_wheel_ships_the_template_and_renders_without_the_checkout(wheel, tmp_path):
    names = set(wheel.namelist())
    assert "govstats/render/county_report.ipynb" in names
    assert "govstats/format/national_format.toml" in names
    target = tmp_path / "site"
    wheel.extractall(target)
    code = ("import govstats, govstats.render.batch as b; "
            "print(govstats.__file__); print(b.DEFAULT_TEMPLATE); print(b.DEFAULT_TEMPLATE.is_file())")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    module, template, exists = res.stdout.split("\n")[:3]
    assert module.startswith(str(target)) and template.startswith(str(target)) and exists == "True"


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"govstats {govstats.__version__}"


def test_parse_json_of_several_files_is_json_lines(capsys):
    sample = ROOT / "data" / "sample" / "000_f8b21749840a51ab.txt"
    assert main(["parse", "--json", str(sample), str(sample)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["agency"] for line in lines] == ["郏县龙山街道办事处"] * 2
