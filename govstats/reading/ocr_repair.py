"""OCR readings repaired by the identities, one table row at a time.

A value cell that OCR read as something other than a figure (look-alikes: `1O`, `l2`, `。` for 0, a
speck beside a figure) has a digit reading; a cell the recogniser also read another way (a
``Reading``) has its other readings. A row's cells take other readings only when the identities
then hold with exactly one choice for the row: none of the identities of the cells that change
fails, each changed value is corroborated by one that holds, and an identity that failed or could
not be checked before is mended. A row that cannot be checked yet (its column identities wait on
another row) is tried again after the others, so rows mended first let later ones be checked.
"""

from __future__ import annotations

from itertools import product

from govstats.reading import checks
from govstats.reading.formats import Rows
from govstats.reading.formats.ocr_confusions import candidate
from govstats.reading.interpret import build_report
from govstats.reading.report import Finding, Report
from govstats.reading.tokens import parse_number

_MAX_CHOICES = 16  # readings of one row tried at most
_ROUNDS = 3


def repair(rows: Rows) -> tuple[Report, Rows]:
    """The report of ``rows`` with the OCR readings the identities settle, and the rows it was
    read from (with the recogniser's confidence for each new reading)."""
    report = build_report(rows)
    options = _options(rows)
    insts = checks.instances(report)
    lookalikes: dict[str, str] = {}
    rereads: dict[str, str] = {}
    for _ in range(_ROUNDS):
        progress = False
        for i in sorted(options):
            broken = {k for inst in insts if not checks.holds(report.cells, inst) for k in inst.cells}
            if not broken:
                break
            fits = []
            for choice in _choices(rows[i], options[i]):
                trial_rows = Rows([list(r) if n == i else r for n, r in enumerate(rows)], rows.notes)
                for j, text in choice.items():
                    trial_rows[i][j] = text
                trial = build_report(trial_rows)
                if _settled(report, trial, insts, broken):
                    fits.append((choice, trial, trial_rows))
            if len(fits) != 1:
                continue
            choice, report, new_rows = fits[0]
            new_rows.confidence = dict(rows.confidence)
            for j, text in choice.items():
                old = rows[i][j].strip()
                (lookalikes if text == candidate(old) else rereads)[old] = text
                new_rows.confidence[text] = min(new_rows.confidence.get(text, 1.0), rows.confidence.get(old, 1.0))
            rows = new_rows
            del options[i]
            progress = True
        if not progress:
            break
    if lookalikes:
        report.add(Finding("ocr_confusion_corrected", "info",
                           message_zh=f"识别混淆字符（{'、'.join(sorted(lookalikes))}）按勾稽关系更正为数字",
                           message_en=f"OCR look-alikes ({', '.join(sorted(lookalikes))}) read as digits: "
                                      f"the identities hold with them"))
    if rereads:
        pairs = [f"{a} → {b}" for a, b in rereads.items()]
        report.add(Finding("ocr_reread_corrected", "info",
                           message_zh=f"违反勾稽关系的单元格按其另一识别结果读取（{'、'.join(pairs)}），勾稽关系唯一成立",
                           message_en=f"cells that broke an identity read as the recogniser's other reading "
                                      f"({', '.join(pairs)}): the identities hold with exactly that reading"))
    return report, rows


def _options(rows: Rows) -> dict[int, dict[int, list[str]]]:
    """Per table row, per cell: the figures the cell may be instead of its text."""
    out: dict[int, dict[int, list[str]]] = {}
    for i, row in enumerate(rows):
        if len(row) <= 2:
            continue
        for j, cell in enumerate(row):
            text = cell.strip()
            others = [candidate(text)] if parse_number(text) is None else []
            others += getattr(cell, "alternatives", [])
            others = [o for o in dict.fromkeys(others) if o and o != text]
            if others:
                out.setdefault(i, {})[j] = others
    return out


def _choices(row: list[str], options: dict[int, list[str]]) -> list[dict[int, str]]:
    """Ways to read the row: a cell that is not a figure takes one of its figures, a figure keeps
    itself or takes another; when that makes too many, only the first figure of each non-figure."""
    per_cell = [[(j, o) for o in others] if parse_number(row[j].strip()) is None else [(j, row[j])] + [(j, o) for o in others]
                for j, others in options.items()]
    n = 1
    for cell in per_cell:
        n *= len(cell)
    if n > _MAX_CHOICES:
        per_cell = [[(j, others[0])] for j, others in options.items() if parse_number(row[j].strip()) is None]
    out = []
    for combo in product(*per_cell):
        choice = {j: text for j, text in combo if text != row[j]}
        if choice:
            out.append(choice)
    return out


def _settled(before: Report, after: Report, insts, broken: set) -> bool:
    """Whether the cells a reading changes mend a broken identity, break none, and are each
    corroborated by one that holds."""
    old = {k: (c.state, c.value) for k, c in before.cells.items()}
    changed = {k for k, c in after.cells.items() if (c.state, c.value) != old.get(k)}
    if not changed & broken:
        return False
    touched = [inst for inst in insts if changed & set(inst.cells)]
    if any(checks.holds(after.cells, inst) is False for inst in touched):
        return False
    numbers = [k for k in changed if after.cells[k].state == "number"]
    return bool(numbers) and all(any(checks.holds(after.cells, inst) for inst in touched if k in inst.cells) for k in numbers)
