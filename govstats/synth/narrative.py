"""The prose of a synthetic report: a few paragraphs per section that agree with its tables.

Every paragraph is stock wording; numbers quoted in the text are the table's own, so a check that
compares text with tables finds nothing to complain about in a document without defects.
"""

from __future__ import annotations

import random

from govstats.format import national_format
from govstats.reading.report import Report
from govstats.synth.layout import OVERVIEW_HEADING

SYNTHETIC_NOTE = "本文件为 govstats 生成的合成示例数据，数字为随机生成，不代表任何真实机关的工作情况。"
INVENTED_NOTE = "本文件中的机关名称为虚构，非真实行政区划或机构名称。"


def headings() -> dict[str, str]:
    """Section code -> printed heading, in printed order (overview first). national_format.toml has
    no heading for part 一 yet; a ``[sections.overview]`` entry there takes over from the constant."""
    out = {"overview": OVERVIEW_HEADING}
    out.update({code: s.zh for code, s in national_format().sections.items()})
    return out


def _count(report: Report, row: str) -> int:
    v = report.value("applications", row, "total")
    return int(v) if isinstance(v, int | float) else 0


def paragraphs(report: Report) -> dict[str, list[str]]:
    """Section code -> paragraphs (without the heading)."""
    agency = report.agency or "本机关"
    year = report.year or 0
    n = _count(report, "new_received")
    if n:
        apply = f"{year}年，{agency}共新收政府信息公开申请{n}件，均在法定期限内依法答复。"
    else:
        apply = f"{year}年，{agency}未收到政府信息公开申请。"
    return {
        "overview": [
            f"（一）主动公开情况。{year}年，{agency}依托政府门户网站、政务公开栏等渠道主动公开政府信息，"
            "重点公开财政预决算、惠民政策、重大项目等信息。",
            f"（二）依申请公开情况。{apply}",
            "（三）政府信息管理。严格落实信息发布审核制度，做好保密审查。",
            "（四）平台建设。持续规范政府网站信息公开专栏，及时更新。",
            "（五）监督保障。明确专人负责政务公开工作，定期开展业务培训。",
        ],
        "disclosure": [],
        "applications": [],
        "review_litigation": [],
        "problems": [
            "本年度政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题。"
            "下一步将加强业务学习，拓展公开渠道，提升公开质量。",
        ],
        "other": ["本年度未收取政府信息公开信息处理费。"],
    }


def figure_sentences(report: Report, rng: random.Random) -> dict[str, str]:
    """Sentences with figures that real reports print between a part's heading and its table
    (平潭: `2022年，共收到政府信息公开申请3条。`); they must never be read as table cells."""
    year = report.year or 0
    review = report.value("review_litigation", "review", "total") or 0
    return {
        "disclosure": f"{year}年，主动公开政府信息{rng.randint(20, 600)}条，其中政策及规范性文件类{rng.randint(1, 30)}条、"
                      f"规划计划类{rng.randint(1, 9)}条，占{rng.randint(10, 90)}.{rng.randint(0, 9)}%。",
        "applications": f"{year}年，共收到政府信息公开申请{_count(report, 'new_received')}条。",
        "review_litigation": f"{year}年，本机关共发生政府信息公开行政复议{int(review)}起。",
    }
