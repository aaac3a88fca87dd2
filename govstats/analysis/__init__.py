"""Analysis of a loaded corpus: ``metrics`` (DataFrames in, DataFrames out: volumes, outcome
shares, rates) and ``plots`` (seaborn charts with Chinese labels)."""
