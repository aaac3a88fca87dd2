"""A corpus of many agencies' reports: ingest folders into Parquet, place each report, load it back.

`load(dir)` returns a `Corpus` of pandas DataFrames; `ingest(sources, out)` builds or updates the dataset.
"""

from govstats.corpus.dataset import Corpus, county_scope, load
from govstats.corpus.ingest import Summary, ingest

__all__ = ["Corpus", "Summary", "county_scope", "ingest", "load"]
