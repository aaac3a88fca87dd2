"""The figures of a scanned table, read again one cell at a time.

The page pass reads a lone small digit in a wide cell worst of all: the detector misses it, or
the recogniser takes it for punctuation (`1` as `，`, `0` as `。`). Here every table cell with ink
whose page reading is empty or could be a misread figure is cut out on its own (its ink only: the rules are masked out, a
margin in proportion to its height) and put through the recognition model again. Its output is
decoded twice: freely, and restricted to digits and the decimal point; where one digit was a
close call, the runner-up digit gives one more reading. A cell in which the page pass found no
figure (nothing, or punctuation) takes the free reading when the recogniser is sure enough; a
cell it read as a figure keeps that, and the other figures go with it as ``alternatives`` (glyph
key ``alt``), which the reader takes only when the identities hold with exactly one of them.
"""

from __future__ import annotations

import re

import numpy as np

from govstats.reading.formats.ocr_confusions import value_like
from govstats.reading.formats.pdf_layout import PageObjects
from govstats.reading.formats.pdf_tables import find_tables

_MIN_SCORE = 0.5  # a cell without a figure from the page pass takes a reading at least this sure
_HEIGHT = 48  # the recognition model's input height (PP-OCRv4)
_BATCH = 4  # crops per call: as fast as larger batches, less memory
_INSET = 2  # pixels of a cell's edge left out, beside its (masked) rules
_MIN_INK = 4  # a cell's ink lower than this many pixels is a speck
# Margins around a cell's ink (vertical, horizontal, in its heights): a tight cut first, and a
# looser one for the cells the first leaves unsure (tuned on degraded renderings of figures)
_MARGINS = ((0.25, 0.3), (0.5, 0.6))
_SURE = 0.9  # a reading at least this sure is not read a second time
_CLOSE = 0.9  # a digit decoded below this probability has its runner-up as a reading too
_RUNNER_UP = 0.05  # ... when the runner-up has at least this probability
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def read_cells(img: np.ndarray, ink: np.ndarray, out: PageObjects, k: float, recogniser) -> None:
    """Read again, on its own, every table cell of ``out`` with ink whose page reading is empty or
    could be a figure; ``ink`` has the rules masked out. ``recogniser`` is RapidOCR's text
    recogniser."""
    todo = []
    for table in find_tables(out.rules):
        for x0, top, x1, bottom in table.cells:
            inside = [c for c in out.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            text = "".join(c["text"] for c in sorted(inside, key=lambda c: c["x0"]))
            if text and not value_like(text):
                continue
            box = _ink_box(ink, int(x0 / k) + _INSET, int(top / k) + _INSET, int(x1 / k) - _INSET, int(bottom / k) - _INSET)
            if box is not None:
                todo.append((box, text, inside))
    if not todo:
        return
    reads = recognise(img, [box for box, _, _ in todo], recogniser)
    for (box, text, inside), (free, score, others) in zip(todo, reads, strict=True):
        if not _NUMBER.fullmatch(text) and free and score >= _MIN_SCORE and (_NUMBER.fullmatch(free) or not text):
            # the page pass found no figure here (nothing, or punctuation): the cell's own reading
            dropped = {id(g) for g in inside}
            out.chars[:] = [g for g in out.chars if id(g) not in dropped]
            text, inside = free, _glyphs(free, box, k, score)
            out.chars.extend(inside)
        alternatives = tuple(dict.fromkeys(r for r in [free, *others] if _NUMBER.fullmatch(r) and r != text))
        if alternatives:
            for g in inside:
                g["alt"] = alternatives


def _ink_box(ink: np.ndarray, c0: int, r0: int, c1: int, r1: int) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1) around the ink inside a cell, specks left out."""
    import cv2

    if c1 - c0 < 6 or r1 - r0 < 6:
        return None
    cell = ink[r0:r1, c0:c1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(cell, connectivity=8)
    parts = [s for s in stats[1:n] if s[4] >= _MIN_INK]
    if not parts:
        return None
    x0 = min(s[0] for s in parts)
    y0 = min(s[1] for s in parts)
    x1 = max(s[0] + s[2] for s in parts)
    y1 = max(s[1] + s[3] for s in parts)
    if y1 - y0 < 4:
        return None
    return c0 + x0, r0 + y0, c0 + x1, r0 + y1


def recognise(img: np.ndarray, boxes: list[tuple[int, int, int, int]], recogniser) -> list[tuple[str, float, list[str]]]:
    """For each box of ``img``: the free reading, its confidence (its least sure character), and
    the digit readings (restricted to digits and the point, then each close call's runner-up). A
    box read unsure is read again with a wider margin; the surer reading leads, the digit readings
    of both are kept."""
    out = _read(img, boxes, _MARGINS[0], recogniser)
    unsure = [i for i, (free, score, _) in enumerate(out) if not free or score < _SURE]
    for i, again in zip(unsure, _read(img, [boxes[i] for i in unsure], _MARGINS[1], recogniser), strict=True):
        best, other = (out[i], again) if out[i][1] >= again[1] else (again, out[i])
        out[i] = (best[0], best[1], list(dict.fromkeys(best[2] + other[2])))
    return out


def _read(img: np.ndarray, boxes: list, margins: tuple[float, float], recogniser) -> list[tuple[str, float, list[str]]]:
    """One recognition pass over the boxes, in batches of similar width."""
    chars = recogniser.postprocess_op.character
    digits = np.array([0] + [i for i, c in enumerate(chars) if c in "0123456789."])
    crops = [_crop(img, box, margins) for box in boxes]
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1])
    out: list[tuple[str, float, list[str]]] = [("", 0.0, [])] * len(crops)
    for start in range(0, len(order), _BATCH):
        part = order[start : start + _BATCH]
        width = max(crops[i].shape[1] for i in part)  # sorted by width: little padding
        batch = np.zeros((len(part), 3, _HEIGHT, width), dtype=np.float32)
        for b, i in enumerate(part):
            batch[b, :, :, : crops[i].shape[1]] = crops[i]
        for i, probs in zip(part, recogniser.session(batch)[0], strict=True):
            free, score = _decode(probs, chars)
            out[i] = ("".join(free.split()), score, _digit_readings(probs, chars, digits))
    return out


def _crop(img: np.ndarray, box: tuple[int, int, int, int], margins: tuple[float, float]) -> np.ndarray:
    """The box with its margin, scaled to the model's height (linear: cubic rings on noise) and
    normalised to [-1, 1]."""
    import cv2

    x0, y0, x1, y1 = box
    h = y1 - y0
    my, mx = max(2, round(margins[0] * h)), max(3, round(margins[1] * h))
    crop = img[max(0, y0 - my) : y1 + my, max(0, x0 - mx) : x1 + mx]
    width = max(8, int(np.ceil(_HEIGHT * crop.shape[1] / crop.shape[0])))
    crop = cv2.resize(crop, (width, _HEIGHT), interpolation=cv2.INTER_LINEAR)
    return crop.astype(np.float32) / 127.5 - 1.0


def _decode(probs: np.ndarray, chars: list[str], allowed: np.ndarray | None = None) -> tuple[str, float]:
    """Greedy CTC decoding (over ``allowed`` classes only, if given): text and its lowest
    character probability."""
    text, conf, _ = _path(probs, allowed)
    return "".join(chars[i] for i in text), min(conf, default=0.0)


def _path(probs: np.ndarray, allowed: np.ndarray | None) -> tuple[list[int], list[float], list[int]]:
    """Class, probability and frame of each character of the greedy CTC path."""
    sub = probs if allowed is None else probs[:, allowed]
    best = sub.argmax(axis=1)
    if allowed is not None:
        best = allowed[best]
    text, conf, frames = [], [], []
    prev = 0
    for t, c in enumerate(best):
        if c != 0 and c != prev:
            text.append(int(c))
            conf.append(float(probs[t, c]))
            frames.append(t)
        elif c != 0 and probs[t, c] > conf[-1]:
            conf[-1], frames[-1] = float(probs[t, c]), t
        prev = c
    return text, conf, frames


def _digit_readings(probs: np.ndarray, chars: list[str], digits: np.ndarray) -> list[str]:
    """The digit-only reading, then the readings with one close-call digit replaced by its
    runner-up."""
    text, conf, frames = _path(probs, digits)
    out = ["".join(chars[i] for i in text)]
    for n, (c, p, t) in enumerate(zip(text, conf, frames, strict=True)):
        if p >= _CLOSE:
            continue
        ranked = [int(i) for i in digits[1:][np.argsort(-probs[t, digits[1:]])] if i != c]
        if ranked and probs[t, ranked[0]] >= _RUNNER_UP:
            out.append("".join(chars[i] for i in text[:n] + [ranked[0]] + text[n + 1 :]))
    return out


def _glyphs(text: str, box: tuple[int, int, int, int], k: float, conf: float) -> list[dict]:
    """One glyph per character, the box cut evenly, in points."""
    x0, top, x1, bottom = (v * k for v in box)
    step = (x1 - x0) / len(text)
    return [{"text": ch, "x0": x0 + i * step, "x1": x0 + (i + 1) * step, "top": top, "bottom": bottom,
             "size": bottom - top, "turn": 0, "conf": float(conf)} for i, ch in enumerate(text)]
