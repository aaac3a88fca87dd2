"""The published pages in a real browser: headless Chromium at 390 px (a phone) and 1280 px opens the
index and a county page, follows the links both ways, and checks that the page lays out within the
width and that every character of its text is in the page's own embedded font (this machine has no
CJK font: a character missing from the subset would show as a box).

Skipped, saying why, where Chromium is not installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest
from fontTools.ttLib import TTFont

from govstats.cli import main
from tests._corpus import synthetic_dataset

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
WIDTHS = (390, 1280)
PROBE = """(async () => {
  await document.fonts.ready;
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    fontLoaded: document.fonts.check('16px "govstats-cjk"', '郏县'),
    text: document.body.innerText,
    links: [...document.links].map(a => [a.textContent.trim(), a.href]),
    images: [...document.images].map(i => i.getBoundingClientRect().right),
  };
})()"""


def _flags(profile: Path) -> list[str]:
    flags = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
             "--remote-debugging-port=0"]
    return [*flags, "--no-sandbox"] if os.geteuid() == 0 else flags


class Browser:
    """One Chromium page driven over the DevTools protocol (tornado's websocket client, from Jupyter)."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen([CHROMIUM, *_flags(profile), "about:blank"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        for line in self.proc.stderr:
            if m := re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line):
                self.port = int(m.group(1))
                break
        else:
            raise RuntimeError("Chromium did not start its DevTools endpoint")
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=30))
        self.ws_url = next(p["webSocketDebuggerUrl"] for p in pages if p["type"] == "page")
        self.loop = asyncio.new_event_loop()
        self.conn = self.loop.run_until_complete(self._connect())
        self.ids = 0

    async def _connect(self):
        from tornado.websocket import websocket_connect

        return await websocket_connect(self.ws_url, max_message_size=64 * 2**20)

    async def _call(self, method: str, params: dict | None = None, until: str | None = None) -> dict:
        self.ids += 1
        me = self.ids
        await self.conn.write_message(json.dumps({"id": me, "method": method, "params": params or {}}))
        result, seen = None, until is None
        while result is None or not seen:
            msg = json.loads(await asyncio.wait_for(self.conn.read_message(), 60))
            if msg.get("id") == me:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                result = msg["result"]
            seen = seen or msg.get("method") == until
        return result

    def call(self, method: str, params: dict | None = None, until: str | None = None) -> dict:
        return self.loop.run_until_complete(self._call(method, params, until))

    def open(self, url: str, width: int) -> dict:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        self.call("Page.enable")
        self.call("Page.navigate", {"url": url}, until="Page.loadEventFired")
        out = self.call("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True, "returnByValue": True})
        return out["result"]["value"]

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.loop.run_until_complete(self._close())
        self.proc.kill()
        self.proc.wait()
        self.loop.close()

    async def _close(self):
        self.conn.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    out = root / "reports"
    data = synthetic_dataset(root, "郏县,宝丰县", "2022-2023", seed=11, departments=2)
    assert main(["render", "--all", "--every-year", "--data", str(data), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def _font_chars(page: Path) -> set[str]:
    """The characters the page's embedded font has a glyph for."""
    data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", page.read_text(encoding="utf-8")).group(1)
    return {chr(c) for c in TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()}


def _check_page(seen: dict, page: Path, width: int) -> None:
    assert seen["fontLoaded"], f"{page.name}: the embedded font did not load"
    assert seen["scrollWidth"] <= seen["innerWidth"], f"{page.name} overflows {width} px: {seen['scrollWidth']}"
    assert all(right <= seen["innerWidth"] + 1 for right in seen["images"]), f"{page.name}: a chart is cut at {width}"
    chars = _font_chars(page)
    assert "😀" not in chars and "鼎" not in chars  # a subset: characters the page does not use are left out
    missing = {c for c in seen["text"] if not c.isspace()} - chars
    assert not missing, f"{page.name} at {width} px: no glyph for {sorted(missing)}"


@pytest.mark.parametrize("width", WIDTHS)
def test_index_and_county_pages_read_at_phone_and_desktop_width(site, browser, width, tmp_path):
    index = site / "index.html"
    seen = browser.open(index.as_uri(), width)
    _check_page(seen, index, width)
    browser.screenshot(tmp_path / f"index-{width}.png")
    assert "郏县" in seen["text"] and "合成示例数据" in seen["text"]  # led by the places; synthetic banner
    county_link = next(href for text, href in seen["links"] if text == "郏县")
    page = Path(unquote(county_link.removeprefix("file://")))
    assert page.name == "2023.html"  # the county's name opens its latest page

    seen = browser.open(county_link, width)
    _check_page(seen, page, width)
    browser.screenshot(tmp_path / f"county-{width}.png")
    assert "平顶山市（全市）" in seen["text"] and "河南省（全省）" in seen["text"]
    links = dict(seen["links"])
    back = next(href for text, href in links.items() if text.startswith("←"))
    assert back == index.as_uri()  # back to the index
    assert unquote(links["2022"]).endswith("/郏县/2022.html")  # across the county's years

    seen = browser.open(links["2022"], width)
    assert "2022 年政府信息公开工作年度报告分析" in seen["text"] and "2023 年" not in seen["text"].split("分析")[0]
    assert dict(seen["links"])["2023"] == county_link  # and back to the later year
