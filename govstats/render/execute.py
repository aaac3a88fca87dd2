"""Render one county: execute the template notebook with papermill, then export it to HTML.

Runs inside a worker process (a process pool or a Dask worker): arguments and results are plain
data. A failing notebook is kept (papermill writes it with the error) and reported, never raised.
"""

from __future__ import annotations

import time
from pathlib import Path

from jinja2 import DictLoader

HIDDEN_TAGS = {"parameters", "injected-parameters"}  # papermill writes Chinese parameters as \u escapes
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


def render_one(job: dict, template: str, data_dir: str, cwd: str) -> dict:
    """Execute and export one county report; returns status ("ok" or "failed"), seconds and error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    stem = Path(job["stem"])
    stem.parent.mkdir(parents=True, exist_ok=True)
    notebook = stem.with_suffix(".ipynb")
    params = {"county": job["county"], "year": job["year"], "data_dir": data_dir,
              "province": job["province"], "city": job["city"]}
    status, error = "ok", ""
    try:
        papermill.execute_notebook(template, str(notebook), parameters=params, kernel_name="python3",
                                   progress_bar=False, log_output=False, cwd=cwd)
    except PapermillExecutionError as e:
        status, error = "failed", f"{e.ename}: {e.evalue}".splitlines()[0]
    except Exception as e:  # a broken kernel or notebook must not stop the other counties
        status, error = "failed", f"{type(e).__name__}: {e}".splitlines()[0]
    if notebook.exists():
        try:
            html = to_html(notebook, f"{job['county']} {job['year']} 政府信息公开工作年度报告分析")
            stem.with_suffix(".html").write_text(html, encoding="utf-8")
        except Exception as e:
            status, error = "failed", error or f"HTML export: {type(e).__name__}: {e}".splitlines()[0]
    return {**job, "status": status, "error": error, "seconds": round(time.perf_counter() - start, 2)}
