"""Per-county reports: run the ``county_report`` notebook with papermill and publish it as HTML.

``jobs`` finds the counties of a dataset and fingerprints their data, ``execute`` renders one
county (in a worker process), ``index`` keeps the state file and writes ``index.html``, ``batch`` renders many counties (what
``govstats render`` runs).
"""
