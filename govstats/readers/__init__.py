"""Format readers: each turns the bytes of one format into rows of cells, in document order.

A paragraph or text line is a one-cell row; a table row keeps its cells (merged cells expanded
so that every row of a table has its labels). `govstats.interpret` turns rows into a Report, so
every format is read by the same label matching, checks and recovery.
"""

Rows = list[list[str]]
