"""Synthetic report documents: realistic corpora for trying govstats, testing readers and benchmarks.

`documents` renders a Report as text, HTML, DOCX or PDF; `generate` draws agencies and numbers and
writes a corpus with its manifest. Every synthetic document says so in its first line.
"""
