"""Where every label and value sits in the three printed tables, as a grid of merged cells.

One grid per (table, template) is built once from ``govstats.format.national_format()`` and shared
by all four writers (text, HTML, DOCX, PDF), so the writers only fill values into a cached skeleton.
A grid cell holds either fixed text or the CellKey whose value goes there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from govstats.format import national_format
from govstats.reading.report import CellKey

# Layout words real reports print that carry no data (they are not labels of any code).
ITEM_HEADER = national_format().layout["item_header"]
APPLICANT_HEADER = national_format().layout["applicant_header"]
BALANCE_NOTE = national_format().layout["balance_note"]
OVERVIEW_HEADING = national_format().sections["overview"].zh
LABEL_COLUMNS = 3  # group, subgroup, item: the label columns of table 三


@dataclass(frozen=True)
class GridCell:
    text: str = ""
    key: CellKey | None = None
    colspan: int = 1
    rowspan: int = 1
    header: bool = False


GridRow = tuple[GridCell, ...]


@dataclass(frozen=True)
class Grid:
    table: str
    width: int
    rows: tuple[GridRow, ...]
    header_rows: int  # rows at the top that repeat after a page break
    # Flattened form: every row as `width` slots, each fixed text or a CellKey (merges expanded the
    # way scraped text shows them: the text in the first slot, empty strings in the others).
    flat: tuple[tuple[str | CellKey, ...], ...]
    row_codes: tuple[str | None, ...]  # the data row code of each grid row, None for header rows


def _flatten(rows: tuple[GridRow, ...], width: int) -> tuple[tuple[str | CellKey, ...], ...]:
    taken: dict[tuple[int, int], bool] = {}
    out = []
    for i, row in enumerate(rows):
        slots: list[str | CellKey] = [""] * width
        j = 0
        for cell in row:
            while taken.get((i, j)):
                j += 1
            slots[j] = cell.key if cell.key is not None else cell.text
            for di in range(cell.rowspan):
                for dj in range(cell.colspan):
                    taken[(i + di, j + dj)] = True
            j += cell.colspan
        out.append(tuple(slots))
    return tuple(out)


def _grid(table: str, width: int, rows: list[GridRow], header_rows: int, codes: list[str | None]) -> Grid:
    t = tuple(rows)
    return Grid(table, width, t, header_rows, _flatten(t, width), tuple(codes))


def _disclosure(template: str) -> Grid:
    spec = national_format().tables["disclosure"]
    rows_spec = spec.rows_for(template)
    width = 1 + max(len(r.columns) for r in rows_spec)
    rows: list[GridRow] = []
    codes: list[str | None] = []
    block: tuple[str, tuple[str, ...]] | None = None
    for r in rows_spec:
        if (r.group, r.columns) != block:
            block = (r.group, r.columns)
            rows.append((GridCell(r.group, colspan=width, header=True),))
            head = [GridCell(ITEM_HEADER, header=True)]
            head += [GridCell(spec.columns[c].zh, header=True) for c in r.columns]
            head[-1] = GridCell(head[-1].text, colspan=width - len(r.columns), header=True)
            rows.append(tuple(head))
            codes += [None, None]
        cells = [GridCell(r.zh)] + [GridCell(key=("disclosure", r.code, c)) for c in r.columns]
        cells[-1] = GridCell(key=cells[-1].key, colspan=width - len(r.columns))
        rows.append(tuple(cells))
        codes.append(r.code)
    return _grid("disclosure", width, rows, 0, codes)


def _applications(template: str) -> Grid:
    spec = national_format().tables["applications"]
    cols = list(spec.columns)
    group_cols = spec.column_group["columns"] if spec.column_group else []
    width = LABEL_COLUMNS + len(cols)
    first_col = [c for c in cols if c not in group_cols and c != "total"]
    head1 = (
        GridCell(BALANCE_NOTE, colspan=LABEL_COLUMNS, rowspan=3, header=True),
        GridCell(APPLICANT_HEADER, colspan=len(cols) - 1, header=True),
        GridCell(spec.columns["total"].zh, rowspan=3, header=True),
    )
    head2 = tuple(GridCell(spec.columns[c].zh, rowspan=2, header=True) for c in first_col) + (
        GridCell(spec.column_group["zh"], colspan=len(group_cols), header=True),
    )
    head3 = tuple(GridCell(spec.columns[c].zh, header=True) for c in group_cols)
    rows: list[GridRow] = [head1, head2, head3]
    codes: list[str | None] = [None, None, None]

    rs = spec.rows_for(template)
    outer = next(r.group for r in rs if r.code == "total_processed")
    start = next(i for i, r in enumerate(rs) if r.group == outer)
    end = next(i for i, r in enumerate(rs) if r.code == "total_processed")
    for i, r in enumerate(rs):
        values = tuple(GridCell(key=("applications", r.code, c)) for c in cols)
        labels: list[GridCell] = []
        if start <= i <= end:
            if i == start:
                labels.append(GridCell(outer, rowspan=end - start + 1))
            if r.group and r.group != outer:
                if i == 0 or rs[i - 1].group != r.group:
                    n = sum(1 for x in rs[i:] if x.group == r.group)
                    labels.append(GridCell(r.group, rowspan=n))
                labels.append(GridCell(r.zh))
            else:
                labels.append(GridCell(r.zh, colspan=LABEL_COLUMNS - 1))
        else:
            labels.append(GridCell(r.zh, colspan=LABEL_COLUMNS))
        rows.append(tuple(labels) + values)
        codes.append(r.code)
    return _grid("applications", width, rows, 3, codes)


def _review(template: str) -> Grid:
    spec = national_format().tables["review_litigation"]
    cols = list(spec.columns)
    rs = spec.rows_for(template)
    width = len(cols) * len(rs)
    head1: list[GridCell] = []
    head2: list[GridCell] = []
    head3: list[GridCell] = []
    for i, r in enumerate(rs):
        if not r.group:
            head1.append(GridCell(r.zh, colspan=len(cols), header=True))
            head2 += [GridCell(spec.columns[c].zh, rowspan=2, header=True) for c in cols]
            continue
        if i == 0 or rs[i - 1].group != r.group:
            n = sum(1 for x in rs if x.group == r.group)
            head1.append(GridCell(r.group, colspan=len(cols) * n, header=True))
        head2.append(GridCell(r.zh, colspan=len(cols), header=True))
        head3 += [GridCell(spec.columns[c].zh, header=True) for c in cols]
    values = tuple(GridCell(key=("review_litigation", r.code, c)) for r in rs for c in cols)
    rows = [tuple(head1), tuple(head2), tuple(head3), values]
    return _grid("review_litigation", width, rows, 3, [None, None, None, "*"])


@cache
def grid(table: str, template: str) -> Grid:
    """The printed grid of ``table`` in ``template`` (cached: built once per process)."""
    return {"disclosure": _disclosure, "applications": _applications, "review_litigation": _review}[table](template)
