"""govstats: China's government information-disclosure annual reports as one trustworthy dataset."""

from govstats.model import Cell, Finding, NotAReport, Report
from govstats.read import read_bytes, read_report

__all__ = ["Cell", "Finding", "NotAReport", "Report", "read_bytes", "read_report"]
__version__ = "0.1.0"
