"""Scanned pages -> the glyphs and rules a text PDF would give, by OCR (rapidocr-onnxruntime).

A page image is straightened (the skew that maximises the contrast of its row profile), its table
rules are the long horizontal and vertical strokes left by a morphological opening, and its text
is what RapidOCR's Chinese models (shipped in the wheel, run on CPU, offline) read, one glyph per
recognised character with the recogniser's confidence. RapidOCR's angle classifier is not run:
the page is upright once straightened, and the classifier turns short crops over (`61` read as
`19`, `9` as `6`). Table cells that hold figures are then read again one by one (``ocr_cells``).
The result is a ``PageObjects``, so the PDF reader rebuilds lines and tables from it exactly as
from a text layer, and one interpreter reads every format.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from govstats.reading.formats.ocr_cells import read_cells
from govstats.reading.formats.pdf_layout import PageObjects
from govstats.reading.formats.pdf_tables import Rule
from govstats.reading.report import NotAReport

NOT_INSTALLED = "no usable text layer and OCR is not installed (pip install --no-deps rapidocr-onnxruntime): needs OCR"
DPI = 144  # render scale for PDF pages: 2 px per point
MAX_PAGES = 60  # pages one file may send to OCR (about 2.5 s each on one core)
_MAX_SIDE = 4000  # pixels: larger images are scaled down first
_SKEW = 3.0  # degrees searched either way


@cache
def engine():
    """The RapidOCR engine, one thread (readers run one per core), created once per process."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise NotAReport(NOT_INSTALLED) from None
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def available() -> bool:
    try:
        engine()
    except NotAReport:
        return False
    return True


def ocr_page(gray: np.ndarray, points_per_pixel: float) -> PageObjects:
    """Glyphs (with ``conf``) and rules of one greyscale page image, in points, top-left origin."""
    import cv2

    img = _deskew(gray)
    h, w = img.shape
    k = points_per_pixel
    out = PageObjects(width=w * k, height=h * k)
    ink = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    out.rules, drawn = _rules(ink, k)
    result, _ = engine()(img, use_cls=False, return_word_box=True)
    for box, text, score, *words in result or []:
        out.chars.extend(_glyphs(box, text, score, words, k))
    read_cells(img, cv2.bitwise_and(ink, cv2.bitwise_not(drawn)), out, k, engine().text_rec)
    out.glyph_count = len(out.chars)
    return out


def _deskew(gray: np.ndarray) -> np.ndarray:
    """The page turned straight: the angle at which the rows of ink are most uneven (text lines and
    rules lie along rows), searched coarse then fine on a half-size image."""
    import cv2

    ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1].astype(np.float32)
    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        return float(np.square(cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1)).sum())

    best = max(np.arange(-_SKEW, _SKEW + 1e-9, 0.2), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02), key=sharpness)
    if abs(best) < 0.02:
        return gray
    m = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), float(best), 1.0)
    return cv2.warpAffine(gray, m, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_CUBIC, borderValue=255)


def _rules(ink: np.ndarray, k: float) -> tuple[list[Rule], np.ndarray]:
    """Long straight strokes: what survives an opening with a long thin kernel, one rule each; and
    the pixels they cover (widened a little), to tell a cell's own ink from its borders."""
    import cv2

    h, w = ink.shape
    length = max(20, min(h, w) // 40)
    out: list[Rule] = []
    drawn = np.zeros_like(ink)
    for orientation, kernel in (("h", (length, 1)), ("v", (1, length))):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        if orientation == "h":  # close the small gaps noise leaves along a rule
            lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
        else:
            lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
        drawn |= lines
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for x, y, bw, bh, _area in stats[1:n]:
            if orientation == "h" and bw >= length:
                out.append(Rule("h", (y + bh / 2) * k, x * k, (x + bw) * k))
            elif orientation == "v" and bh >= length:
                out.append(Rule("v", (x + bw / 2) * k, y * k, (y + bh) * k))
    return out, cv2.dilate(drawn, np.ones((5, 5), np.uint8))


def _glyphs(box, text: str, score: float, words: list, k: float) -> list[dict]:
    """One glyph per recognised character, from the recogniser's character boxes when it gives
    them, else the line box cut evenly."""
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    top, bottom = min(ys) * k, max(ys) * k
    size = bottom - top
    if len(words) >= 3 and len(words[1]) == len(words[0]) == len(words[2]) and "".join(words[1]) == text.replace(" ", ""):
        out = []
        for wbox, ch, conf in zip(words[0], words[1], words[2], strict=True):
            wx = [p[0] for p in wbox]
            out.append(_glyph(ch, min(wx) * k, max(wx) * k, top, bottom, size, min(conf, score)))
        return out
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return []
    x0, x1 = min(xs) * k, max(xs) * k
    step = (x1 - x0) / len(chars)
    return [_glyph(c, x0 + i * step, x0 + (i + 1) * step, top, bottom, size, score) for i, c in enumerate(chars)]


def _glyph(text: str, x0: float, x1: float, top: float, bottom: float, size: float, conf: float) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size, "turn": 0, "conf": float(conf)}


def pdf_page_images(data: bytes, pages: list[int] | None = None) -> list[tuple[np.ndarray, float]]:
    """(greyscale image, points per pixel) of the pages of a PDF (all, or those listed)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        wanted = range(len(doc)) if pages is None else pages
        if len(wanted) > MAX_PAGES:
            raise NotAReport(f"{len(wanted)} scanned pages, over the OCR cap of {MAX_PAGES}: refused")
        out = []
        for i in wanted:
            page = doc[i]
            w, h = page.get_size()  # points; a hostile page may claim to be metres wide
            scale = min(DPI / 72, _MAX_SIDE / max(w, h, 1.0))
            out.append((page.render(scale=scale, grayscale=True).to_numpy().copy(), 1 / scale))
            page.close()
        return out
    finally:
        doc.close()


def image_pages(data: bytes) -> list[tuple[np.ndarray, float]]:
    """(greyscale image, points per pixel) of each frame of an image file (PNG, JPEG, TIFF).

    Images carry no page size: each is taken as an A4-wide page, so table tolerances (in points)
    mean the same as on a PDF."""
    from io import BytesIO

    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = _MAX_SIDE * _MAX_SIDE * 4  # a decompression bomb is refused by PIL
    try:
        with Image.open(BytesIO(data)) as im:
            n = getattr(im, "n_frames", 1)  # counted before any frame is decoded
            if n > MAX_PAGES:
                raise NotAReport(f"{n} image pages, over the OCR cap of {MAX_PAGES}: refused")
            frames = [f.convert("L") for f in ImageSequence.Iterator(im)]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as e:
        raise NotAReport(f"damaged image ({str(e).splitlines()[0][:100] or type(e).__name__})") from None
    out = []
    for f in frames:
        if max(f.size) > _MAX_SIDE:
            f.thumbnail((_MAX_SIDE, _MAX_SIDE))
        out.append((np.asarray(f, dtype=np.uint8), 595.0 / f.width))
    return out


Progress = Callable[[int, int], None]


def ocr_pages(images: list[tuple[np.ndarray, float]], progress: Progress | None = None) -> list[PageObjects]:
    out = []
    for i, (gray, k) in enumerate(images):
        if progress:
            progress(i + 1, len(images))
        out.append(ocr_page(gray, k))
    return out
