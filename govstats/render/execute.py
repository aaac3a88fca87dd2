"""Render one county: execute the template notebook with papermill, then export it to HTML.

Runs inside a worker process (a process pool or a Dask worker): arguments and results are plain
data. A failing notebook is kept (papermill writes it with the error) and reported, never raised.

Each worker keeps one kernel for all its counties: starting a kernel and importing pandas,
matplotlib and the font cost more than rendering a county. A first cell resets the namespace
(``%reset -f``; removed from the saved notebook), so no variable leaks from one county to the next;
a dead kernel is replaced.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import os
import subprocess
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

from govstats.render.paths import FAILED_SUFFIX

ENGINE = "govstats-kept-kernel"
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)  # a write that fails so stops the whole run

RESET_TAG = "govstats-reset"
# Removed from the HTML: parameters (papermill writes Chinese ones as \u escapes), the reset cell, and
# notes meant for whoever edits the template.
HIDDEN_TAGS = {"parameters", "injected-parameters", RESET_TAG, "template-note"}


@cache
def _exporter() -> Any:
    """nbconvert's HTML exporter (basic template: the body only), built once per worker."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = HIDDEN_TAGS
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.anchor_link_text = ""
    return HTMLExporter(config=config, template_name="basic")


def notebook_body(notebook: Path) -> str:
    """The outputs and markdown of an executed notebook as an HTML fragment: no code, no prompts, no
    scripts or styles of nbconvert's own (the page shell brings its own), images embedded."""
    import nbformat

    body, _ = _exporter().from_notebook_node(nbformat.read(notebook, as_version=4))
    return body


def to_html(notebook: Path, title: str, nav: str = "") -> str:
    """A self-contained page of the notebook: sanitised, its own font, navigation, no external scripts."""
    from govstats.render.page import document

    return document(title, notebook_body(notebook), nav)


_LOCAL = threading.local()  # one kernel per worker thread (a Dask worker may run several threads)


def _kernel(cwd: str) -> tuple[Any, Any]:
    """This worker's kernel manager and client, started on first use or after the kernel died."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    kernel = _state()
    km = kernel.get("km")
    if km is None or not run_sync(km.is_alive)():
        if km is not None:
            _shutdown(kernel)
        km = AsyncKernelManager(kernel_name="python3")
        # its TCP warning is noise; ipykernel exits by itself when this worker dies (JPY_PARENT_PID)
        run_sync(km.start_kernel)(cwd=cwd, stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=180)  # a loaded machine can take long to start Python
        kc.allow_stdin = False
        kernel.update(km=km, kc=kc)
        if not kernel.get("atexit"):
            atexit.register(_shutdown, kernel)
            kernel["atexit"] = True
    return km, kernel["kc"]


def _state() -> dict[str, Any]:
    if not hasattr(_LOCAL, "kernel"):
        _LOCAL.kernel = {}
    return _LOCAL.kernel


def _shutdown(kernel: dict[str, Any]) -> None:
    from jupyter_core.utils import run_sync

    kc, km = kernel.pop("kc", None), kernel.pop("km", None)
    if kc is not None:
        kc.stop_channels()
    if km is not None:
        run_sync(km.shutdown_kernel)(now=True)


def _with_reset(template: str) -> Any:
    import nbformat

    nb = nbformat.read(template, as_version=4)
    cell = nbformat.v4.new_code_cell("%reset -f")
    cell.metadata["tags"] = [RESET_TAG]
    nb.cells.insert(0, cell)
    return nb


def _drop_reset(notebook: Path) -> None:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    nbformat.write(nb, notebook)


@cache
def _register_engine() -> None:
    """papermill's nbclient engine on this worker's running kernel and client, which it leaves running.

    Registered in the worker on first use, so that the parent process never imports papermill.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, km=None, kc=None,
                                     **kwargs):
            client = PapermillNotebookClient(nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                                             startup_timeout=start_timeout, log=logging.getLogger("papermill"),
                                             log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = kc  # nbclient would open (and, not owning the kernel, never close) a client per notebook
            return client.execute()

    papermill_engines.register(ENGINE, KeptKernelEngine)


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when its parent dies, so a ``kill -9`` of ``govstats render`` ends
    its workers (and a worker's end ends its kernel, whose parent poller watches it)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def init_worker(parent: int) -> None:
    """Process pool initializer: die with the render process, even if it died before we got here."""
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)


def _partial(path: Path) -> Path:
    """Where ``path`` is written before it is moved into place (never served, removed on failure)."""
    return path.with_name(f".{path.stem}.partial{path.suffix}")


def _reason(e: BaseException) -> str:
    return (f"{type(e).__name__}: {e}".splitlines() or [type(e).__name__])[0]


def render_one(job: dict, template: str, data_dir: str, cwd: str) -> dict:
    """Execute and export one county report; returns status ("ok" or "failed"), seconds, error and, for a
    write that failed (a full disk), its errno. The notebook and the page appear complete or not at all."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _register_engine()

    start = time.perf_counter()
    stem = Path(job["stem"])
    notebook, page = stem.with_suffix(".ipynb"), stem.with_suffix(".html")
    params = {"county": job["county"], "year": job["year"], "data_dir": data_dir, "province": job["province"],
              "city": job["city"], "summaries_dir": job.get("summaries", "")}
    status, error, code = "ok", "", 0
    tmp_nb, tmp_page = _partial(notebook), _partial(page)
    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
        try:
            km, kc = _kernel(cwd)
            papermill.execute_notebook(_with_reset(template), str(tmp_nb), parameters=params, kernel_name="python3",
                                       engine_name=ENGINE, progress_bar=False, log_output=False, cwd=cwd, km=km,
                                       kc=kc, request_save_on_cell_execute=False, execution_timeout=600)
        except PapermillExecutionError as e:
            status, error = "failed", f"{e.ename}: {e.evalue}".splitlines()[0]
        except OSError:
            raise
        except Exception as e:  # a timeout or a dead kernel must not stop the other counties
            status, error = "failed", _reason(e)
            _shutdown(_state())  # the next county gets a fresh kernel
        if tmp_nb.exists():
            _drop_reset(tmp_nb)
        if tmp_nb.exists() and status != "ok":  # the last good page stays; the failed run is kept to look at
            os.replace(tmp_nb, stem.with_suffix(FAILED_SUFFIX))
        elif tmp_nb.exists():
            try:
                html = to_html(tmp_nb, f"{job['county']} {job['year']} 政府信息公开工作年度报告分析", job.get("nav", ""))
            except OSError:
                raise
            except Exception as e:
                status, error = "failed", f"HTML export: {_reason(e)}"
            else:
                tmp_page.write_text(html, encoding="utf-8")
                os.replace(tmp_page, page)
                os.replace(tmp_nb, notebook)
                stem.with_suffix(FAILED_SUFFIX).unlink(missing_ok=True)  # an earlier failure is over
    except OSError as e:  # a full disk, a folder we may not write: nothing half-written stays
        status, error, code = "failed", f"cannot write {e.filename or stem}: {e.strerror or _reason(e)}", e.errno or 0
    finally:
        for tmp in (tmp_nb, tmp_page):
            with contextlib.suppress(OSError):
                tmp.unlink()
        if code:
            with contextlib.suppress(OSError):
                os.removedirs(stem.parent)  # the folders this county made, if nothing is in them
    return {**job, "status": status, "error": error, "errno": code,
            "seconds": round(time.perf_counter() - start, 2)}

