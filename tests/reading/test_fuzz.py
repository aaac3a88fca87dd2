"""Fuzz (issue 10): real and synthetic documents mutated (truncation, byte flips, cut and repeated
spans, nesting, huge numbers, junk attributes) are each read within the reader's limits, ending in
a Report or a one-line NotAReport. Within its limits: recovery searches stay inside their step
budgets, a DOCX part is never inflated past its cap, and no cell holds a value beyond any count."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from govstats import NotAReport, Report, read_bytes
from govstats.format import national_format
from govstats.reading.formats import docx as docx_module
from govstats.reading.recovery import readings
from govstats.reading.report import MAX_AMOUNT, MAX_COUNT
from govstats.synth.documents import to_docx, to_html, to_pdf, to_text
from govstats.synth.printing import Quirks
from tests._reports import known_report

FMT = national_format()
# steps of all recovery searches of one report: a budget per table (three tables), plus the one
# step by which a search may overrun what is left of it
MAX_STEPS = 3 * (readings._TABLE_BUDGET + readings._NODE_BUDGET // 100)


def _synthetic() -> list[tuple[str, bytes]]:
    docs = []
    for seed, template in enumerate(("2021", "2019", "hybrid")):
        report = known_report(template, seed=seed)
        docs += [("txt", to_text(report)), ("html", to_html(report)), ("docx", to_docx(report))]
    docs.append(("html", to_html(known_report("2021", seed=7), quirks=Quirks(cms_page=True))))
    docs.append(("txt", to_text(known_report("2021", seed=8), quirks=Quirks(encoding="gbk"))))
    return docs


def _real(shared_dir: Path) -> list[tuple[str, bytes]]:
    real = shared_dir / "corpus"
    return [(p.suffix[1:], p.read_bytes()) for p in sorted(real.rglob("*"))
            if p.suffix in (".txt", ".html", ".docx") and "truth" not in p.parts]


# ---- mutations: each takes the document and a random generator and returns new bytes

def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def cut(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 2000) :]


def repeat(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i : i + rng.randint(1, 3000)] * rng.randint(2, 40) + data[i:]


def huge_numbers(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: rng.choice(("9" * 20, "1" * 400, "12345" * 1000, m.group() * rng.randint(2, 30)))
                  if rng.random() < 0.3 else m.group(), text)


def nest_html(text: str, rng: random.Random) -> str:
    depth = rng.choice((100, 400, 3000))
    i = rng.randrange(len(text))
    return text[:i] + "<div><table><tr><td>" * depth + "1" + "</td></tr></table></div>" * depth + text[i:]


def junk_spans(text: str, rng: random.Random) -> str:
    junk = rng.choice(("99999999999999", "²", "-3", "1e9", "٣", ""))
    return text.replace('span="', f'span="{junk}', rng.randint(1, 20))


def _text_mutation(fn: Callable[[str, random.Random], str]) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return fn(data.decode("utf-8", "replace"), rng).encode("utf-8")

    mutate.__name__ = fn.__name__
    return mutate


def _docx_xml(fn: Callable[[str, random.Random], str]) -> Callable[[bytes, random.Random], bytes]:
    """A mutation of a DOCX's document.xml, zipped again (byte mutations mostly break the zip)."""

    def mutate(data: bytes, rng: random.Random) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        xml = fn(parts["word/document.xml"].decode("utf-8"), rng)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in parts.items():
                z.writestr(name, xml if name == "word/document.xml" else content)
        return out.getvalue()

    mutate.__name__ = f"docx_{fn.__name__}"
    return mutate


def nest_docx(xml: str, rng: random.Random) -> str:
    depth = rng.choice((20, 100, 200))
    return xml.replace("<w:body>", "<w:body>" + "<w:sdt><w:sdtContent>" * depth + "<w:p/>" + "</w:sdtContent></w:sdt>" * depth, 1)


def junk_values(xml: str, rng: random.Random) -> str:
    return xml.replace('w:val="', f'w:val="{rng.choice(("99999999999999999999", "²", "-1", "x"))}', rng.randint(1, 30))


def truncate_text(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


BYTES = (truncate, flip, cut, repeat)
BY_FORMAT = {
    "txt": BYTES + (_text_mutation(huge_numbers),),
    "html": BYTES + tuple(map(_text_mutation, (huge_numbers, nest_html, junk_spans))),
    "docx": BYTES + tuple(map(_docx_xml, (huge_numbers, nest_docx, junk_values, truncate_text))),
    "pdf": BYTES,
}


# ---- the read and what must hold of it

@pytest.fixture
def watched(monkeypatch) -> dict[str, list[int]]:
    """Counts recovery search steps and records the size of every zip part inflated."""
    seen: dict[str, list[int]] = {"steps": [0], "inflated": []}
    go = readings._Search.go

    def step(self, k, ti, p):
        seen["steps"][0] += 1
        return go(self, k, ti, p)

    read = zipfile.ZipFile.read

    def inflate(z, name, pwd=None):
        data = read(z, name, pwd)
        seen["inflated"].append(len(data))
        return data

    monkeypatch.setattr(readings._Search, "go", step)
    monkeypatch.setattr(zipfile.ZipFile, "read", inflate)
    return seen


def _within_limits(data: bytes, fmt: str, seen: dict[str, list[int]]) -> str:
    """Read one mutated document; the outcome ("report" or "rejected") when every limit held."""
    seen["steps"][0] = 0
    seen["inflated"].clear()
    try:
        report = read_bytes(data, f"fuzz.{fmt}")
    except NotAReport as e:
        assert str(e) and "\n" not in str(e), repr(str(e))
        outcome = "rejected"
    else:
        assert isinstance(report, Report) and report.status in ("parsed", "unsupported_format")
        for (t, _, c), cell in report.cells.items():
            limit = MAX_AMOUNT if FMT.column(t, c).decimal else MAX_COUNT
            assert cell.value is None or -limit <= cell.value <= limit, (t, c, cell.raw[:40])
        outcome = "report"
    assert seen["steps"][0] <= MAX_STEPS
    assert all(n <= docx_module.MAX_XML for n in seen["inflated"])
    return outcome


def _fuzz(docs: list[tuple[str, bytes]], n: int, seed: int, seen) -> dict[str, int]:
    rng = random.Random(seed)
    outcomes = {"report": 0, "rejected": 0}
    for _ in range(n):
        fmt, data = rng.choice(docs)
        mutation = rng.choice(BY_FORMAT[fmt])
        outcomes[_within_limits(mutation(data, rng), fmt, seen)] += 1
    return outcomes


@pytest.mark.parametrize("seed", range(4))
def test_mutated_synthetic_documents_read_within_limits(watched, seed):
    outcomes = _fuzz(_synthetic(), 60, seed, watched)
    assert outcomes["report"] and outcomes["rejected"]  # the mutations both damaged and spared


def test_mutated_real_documents_read_within_limits(watched, shared_dir):
    outcomes = _fuzz(_real(shared_dir), 150, 11, watched)
    assert outcomes["report"] and outcomes["rejected"]


def test_mutated_pdfs_read_within_limits(watched):
    pdf = to_pdf(known_report("2021", seed=2))
    rng = random.Random(5)
    outcomes = [_within_limits(rng.choice(BY_FORMAT["pdf"])(pdf, rng), "pdf", watched) for _ in range(12)]
    assert "rejected" in outcomes
