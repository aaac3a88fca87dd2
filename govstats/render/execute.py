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
import logging
import subprocess
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import DictLoader

ENGINE = "govstats-kept-kernel"

RESET_TAG = "govstats-reset"
# Removed from the HTML: parameters (papermill writes Chinese ones as \u escapes), the reset cell, and
# notes meant for whoever edits the template.
HIDDEN_TAGS = {"parameters", "injected-parameters", RESET_TAG, "template-note"}
# The lab template, minus the CDN scripts (require.js, MathJax, Mermaid) a static report never needs.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def to_html(notebook: Path, title: str) -> str:
    """Self-contained HTML: outputs only, parameter cells removed, images embedded, no external scripts."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = HIDDEN_TAGS
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True
    exporter = HTMLExporter(config=config, extra_loaders=[DictLoader({"govstats_report.html.j2": _TEMPLATE})],
                            template_file="govstats_report.html.j2")
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    html, _ = exporter.from_notebook_node(nb)
    return html


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
        run_sync(km.start_kernel)(cwd=cwd, stderr=subprocess.DEVNULL)  # its TCP warning is noise
        kc = km.client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
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


def render_one(job: dict, template: str, data_dir: str, cwd: str) -> dict:
    """Execute and export one county report; returns status ("ok" or "failed"), seconds and error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _register_engine()

    start = time.perf_counter()
    stem = Path(job["stem"])
    stem.parent.mkdir(parents=True, exist_ok=True)
    notebook = stem.with_suffix(".ipynb")
    params = {"county": job["county"], "year": job["year"], "data_dir": data_dir,
              "province": job["province"], "city": job["city"]}
    status, error = "ok", ""
    try:
        km, kc = _kernel(cwd)
        papermill.execute_notebook(_with_reset(template), str(notebook), parameters=params, kernel_name="python3",
                                   engine_name=ENGINE, progress_bar=False, log_output=False, cwd=cwd, km=km, kc=kc,
                                   request_save_on_cell_execute=False, execution_timeout=600)
    except PapermillExecutionError as e:
        status, error = "failed", f"{e.ename}: {e.evalue}".splitlines()[0]
    except Exception as e:  # a timeout or a dead kernel must not stop the other counties
        status, error = "failed", f"{type(e).__name__}: {e}".splitlines()[0]
        _shutdown(_state())  # the next county gets a fresh kernel
    if notebook.exists():
        try:
            _drop_reset(notebook)
            html = to_html(notebook, f"{job['county']} {job['year']} 政府信息公开工作年度报告分析")
            stem.with_suffix(".html").write_text(html, encoding="utf-8")
        except Exception as e:
            status, error = "failed", error or f"HTML export: {type(e).__name__}: {e}".splitlines()[0]
    return {**job, "status": status, "error": error, "seconds": round(time.perf_counter() - start, 2)}
