"""Unattended rendering: a full disk is one line and exit 2 with no partial file; a ``kill -9`` of the
render leaves no worker or kernel running; state and index writes are whole or not at all."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from govstats.cli import main
from govstats.render import index
from tests._corpus import synthetic_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("robust")
    return synthetic_dataset(root, "郏县,宝丰县", "2023", seed=5)


def _leftovers(out: Path) -> list[Path]:
    """Anything a complete run would not leave: staging folders, partial or empty files, cut pages."""
    def bad(p: Path) -> bool:
        if ".partial" in p.name or p.name.startswith((".staging-", ".summaries-")):
            return True
        if p.is_file() and p.stat().st_size == 0:
            return True
        return p.suffix == ".html" and not p.read_text(encoding="utf-8").rstrip().endswith("</html>")

    return [p for p in out.rglob("*") if bad(p)]


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs mount point whose size the test sets; skipped where mounting is not allowed."""
    mounts = []

    def mount(size: str) -> Path:
        target = tmp_path / f"disk-{size}"
        target.mkdir()
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here ({res.stderr.strip() or 'not root'})")
        mounts.append(target)
        return target

    yield mount
    for target in mounts:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _kib(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) // 1024 + 1


@pytest.fixture(scope="module")
def sizes(dataset, tmp_path_factory) -> tuple[int, int]:
    """KiB of the run's working copy and of the largest county (page and notebook), from a normal render."""
    out = tmp_path_factory.mktemp("sized")
    assert main(["render", "--all", "--data", str(dataset), "--out", str(out), "--workers", "1"]) == 0
    county = max(_kib(p) for p in out.glob("*/*/*") if p.is_dir())
    return _kib(out / ".work"), county


@pytest.mark.parametrize("pages", [0, 1])  # full while preparing the run; full after the first page
def test_a_full_disk_is_one_line_and_exit_2_with_no_partial_file(dataset, sizes, small_disk, capfd, pages):
    work, county = sizes
    out = small_disk(f"{work // 2}k" if pages == 0 else f"{work + county * 3 // 2 + 64}k")
    code = main(["render", "--all", "--data", str(dataset), "--out", str(out), "--workers", "1"])
    err = capfd.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("govstats")]
    assert len(lines) == 1 and "No space left on device" in lines[0] and "Traceback" not in err
    assert _leftovers(out) == []
    assert len(list(out.rglob("20*.html"))) == pages  # what was written before the disk filled is whole


def test_state_and_index_writes_are_whole_or_not_at_all(tmp_path, monkeypatch):
    index.write_state(tmp_path, {"a": {"status": "ok"}})
    before = (tmp_path / index.STATE_FILE).read_text(encoding="utf-8")

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError, match="No space"):
        index.write_state(tmp_path, {"b": {"status": "ok"}})
    monkeypatch.undo()
    assert (tmp_path / index.STATE_FILE).read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [index.STATE_FILE]


def _sleepy_template(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('county = ""\nyear = None\ndata_dir = ""\nprovince = ""\ncity = ""\n'
                                       'summaries_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import time\ntime.sleep(120)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_kill_9_of_a_render_leaves_no_worker_or_kernel(dataset, tmp_path):
    template = _sleepy_template(tmp_path / "sleepy.ipynb")
    cmd = [sys.executable, "-m", "govstats", "render", "--all", "--data", str(dataset), "--out",
           str(tmp_path / "out"), "--template", str(template), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    parent = psutil.Process(proc.pid)
    kernels: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(kernels) < 2:  # both workers have started a kernel
        time.sleep(0.5)
        kernels = [p for p in parent.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    descendants = parent.children(recursive=True)
    assert len(kernels) >= 2, "the render never started its kernels"  # a third may be starting as we look
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(descendants, timeout=20)
    leftover = [" ".join(p.cmdline()) for p in alive]
    for p in alive:  # never leave them running, even when the test fails
        p.kill()
    assert not leftover, leftover


def test_a_dead_worker_fails_its_counties_not_the_run(dataset, tmp_path):
    template = _sleepy_template(tmp_path / "sleepy.ipynb")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "govstats", "render", "--all", "--data", str(dataset), "--out", str(out),
           "--template", str(template), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    parent = psutil.Process(proc.pid)
    kernel = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and kernel is None:
        time.sleep(0.5)
        kernel = next((p for p in parent.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())), None)
    assert kernel is not None, "the render never started its kernel"
    os.kill(kernel.ppid(), signal.SIGKILL)  # the worker, as the out-of-memory killer would
    try:
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 1 and "Traceback" not in stderr
    assert "worker process died" in stdout
    state = index.read_state(out)
    assert state and all(e["status"] == "failed" for e in state.values())
    assert (out / "index.html").exists()
