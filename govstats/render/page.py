"""Published pages: sanitised HTML in one shell with a viewport, a layout from 390 px phones to desktops,
navigation, and its own font.

Every string that comes from data is escaped where it enters HTML (govstats.analysis.tables, the
index); ``sanitize`` is the second layer: whatever reaches a page keeps only plain document tags, no
script, no event handler, no style, and links and images that cannot run code. The font is a subset
of Noto Sans CJK SC (bundled by mplfonts) holding only the characters the page uses, embedded as a
data: URL, so the page reads the same on a machine with no CJK font.
"""

from __future__ import annotations

import base64
import html
import io
from functools import cache

import nh3

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "main", "nav", "ol", "p", "pre",
        "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul", "details", "summary"}
ATTRIBUTES = {"*": {"class", "title", "lang"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
_IMAGES = ("data:image/png;base64,", "data:image/jpeg;base64,")
FONT_FAMILY = "govstats-cjk"
# Always in the subset, whatever the page says: digits, Latin letters and punctuation a table may hold.
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "–—…·×÷≤≥±−，。、：；！？（）【】《》“”‘’％"


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only as embedded PNG/JPEG; links never to data: (nh3 already drops javascript: and the like)."""
    if attribute == "src":
        return value if value.startswith(_IMAGES) else None
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


def sanitize(fragment: str) -> str:
    """``fragment`` with plain document markup only (nh3, the maintained binding of the Ammonia sanitizer)."""
    return nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "data"},
                     attribute_filter=_attribute, strip_comments=True, link_rel=None)


def visible_text(fragment: str) -> str:
    """The text a reader sees in ``fragment`` (what the font subset must cover)."""
    from lxml import html as lxml_html

    if not fragment.strip():
        return ""
    return lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()


def font_subset(text: str) -> bytes:
    """WOFF bytes of Noto Sans CJK SC with the glyphs of ``text`` (and basic Latin) only."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from govstats.analysis.fonts import cjk_font

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []  # no OpenType features: CJK text needs none, and they triple the time
    options.hinting = False
    options.name_IDs = [0, 1, 2, 13]  # copyright, family, style, licence (SIL OFL asks to keep them)
    font = TTFont(cjk_font(), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text + _ALWAYS))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def font_face(text: str) -> str:
    data = base64.b64encode(font_subset(text)).decode("ascii")
    return f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff;base64,{data}) format("woff");}}'


FOCAL = "#d95f02"  # the focal county, in tables and in every chart (govstats.analysis.plots uses it too)

STYLE = f"""
html{{-webkit-text-size-adjust:100%;}}
body{{font-family:"{FONT_FAMILY}",sans-serif;margin:0 auto;max-width:1100px;padding:0 14px 2em;line-height:1.6;
color:#222;background:#fff;}}
h1{{font-size:1.45rem;line-height:1.3;}} h2{{font-size:1.2rem;margin-top:1.8em;border-bottom:1px solid #ddd;}}
h3{{font-size:1.05rem;}}
img{{max-width:100%;height:auto;display:block;margin:.5em 0;}}
nav{{display:flex;flex-wrap:wrap;gap:.3em 1em;padding:.6em 0;border-bottom:1px solid #ddd;font-size:.95rem;}}
footer nav{{border-bottom:0;border-top:1px solid #ddd;margin-top:2em;}}
nav .here{{font-weight:bold;}}
a{{color:#1a5fb4;}}
.table-wrap{{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.6em 0;max-width:100%;}}
table{{border-collapse:collapse;font-size:.9rem;}}
th,td{{border:1px solid #ddd;padding:4px 8px;vertical-align:top;}}
th{{background:#f4f4f4;text-align:left;word-break:keep-all;min-width:3.5em;}}
td.num{{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;}}
td.text{{text-align:left;min-width:5em;}}
tr.focal td{{background:#fbe9dc;font-weight:bold;}} tr.focal td:first-child{{border-left:4px solid {FOCAL};}}
tr.small td,td.small{{color:#8a8a8a;}}
tr.failed td{{background:#fdecea;}}
.note,.formula{{font-size:.88rem;color:#555;}}
.banner{{border:2px solid #c0392b;background:#fdecea;padding:8px 12px;font-weight:bold;margin:.8em 0;}}
pre{{white-space:pre-wrap;font-family:inherit;}}
@media (max-width:600px){{body{{padding:0 10px 2em;}} h1{{font-size:1.25rem;}} table{{font-size:.82rem;}}}}
"""


@cache
def _style() -> str:
    return " ".join(line.strip() for line in STYLE.splitlines())


def document(title: str, body: str, nav: str = "") -> str:
    """A whole page: ``body`` and ``nav`` sanitised, navigation above and below, the font subset embedded."""
    body, nav = sanitize(body), sanitize(nav)
    font = font_face(visible_text(nav) + visible_text(body))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{font}{_style()}</style></head>\n"
            f"<body><header>{nav}</header>\n<main>{body}</main>\n<footer>{nav}</footer></body></html>\n")
