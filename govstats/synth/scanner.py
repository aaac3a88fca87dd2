"""A deterministic "scanner": a text PDF in, an image-only PDF out, as an office scanner makes them.

Each page is rendered (pdfium), turned by a slight angle, blurred, given sensor noise and saved as a
JPEG inside a new PDF that has no text layer at all. The same bytes and seed always give the same
scan, so OCR tests and the synthetic corpus are reproducible. Word documents have no renderer
here (LibreOffice is not installed): scan the PDF the synthetic writer makes of the same report.
"""

from __future__ import annotations

import random
import time
import zlib
from dataclasses import dataclass
from io import BytesIO

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from govstats.reading.report import Report
from govstats.synth.documents import to_pdf
from govstats.synth.printing import CLEAN, Quirks

_EPOCH = time.gmtime(1704067200)  # fixed dates: the same input gives the same bytes


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 150
    max_angle: float = 0.6  # degrees either way
    blur: float = 0.6  # Gaussian radius in pixels
    noise: float = 6.0  # standard deviation of the grey-level noise
    quality: int = 70  # JPEG quality


def scan_pages(data: bytes, seed: int = 0, settings: ScanSettings = ScanSettings()) -> list[Image.Image]:
    """The scanned pages of a text PDF, as greyscale images."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(data)
    pages = []
    try:
        for page in doc:
            img = page.render(scale=settings.dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            angle = rng.uniform(-settings.max_angle, settings.max_angle)
            img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(settings.blur))
            pixels = np.asarray(img, dtype=np.float32) + noise.normal(0.0, settings.noise, (img.height, img.width))
            pages.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L"))
    finally:
        doc.close()
    return pages


def scan_pdf(data: bytes, seed: int = 0, settings: ScanSettings = ScanSettings()) -> bytes:
    """An image-only PDF (JPEG pages, no text layer) of the text PDF ``data``."""
    pages = scan_pages(data, seed, settings)
    out = BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=settings.dpi, quality=settings.quality,
                  creationDate=_EPOCH, modDate=_EPOCH)
    return out.getvalue()



def to_scan(report: Report, *, quirks: Quirks = CLEAN, notes: tuple[str, ...] = ()) -> bytes:
    """The synthetic writer's PDF of ``report``, scanned (seeded by the report: reproducible)."""
    return scan_pdf(to_pdf(report, quirks=quirks, notes=notes), seed=zlib.crc32(f"{report.agency}|{report.year}".encode()))
