"""The one CJK font of the project: Noto Sans CJK SC, shipped by the mplfonts package.

Charts draw with it (govstats.analysis.plots) and rendered pages embed a subset of it, so Chinese
reads on machines with no CJK font installed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_NAME = "Noto Sans CJK SC"


@cache
def cjk_font() -> Path:
    """Path of NotoSansCJKsc-Regular.otf inside mplfonts."""
    from mplfonts.conf import FONT_DIR

    return Path(FONT_DIR) / FONT_FILE
