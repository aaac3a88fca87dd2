"""`govstats parse` and `validate` on files: the uncorroborated count, the time limit, one line per bad file."""

from __future__ import annotations

import json
import re
import time

import pytest

from govstats import read_report
from govstats.cli import main
from govstats.cli import parse as parse_cli
from govstats.corpus import load
from govstats.reading.checks import uncorroborated
from govstats.reading.formats import ocr
from govstats.synth.documents import to_pdf
from govstats.synth.scanner import scan_pdf
from tests._reports import known_report
from tests.reading.test_long_tail import _page


def test_validate_and_parse_count_the_uncorroborated_values(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_bytes(_page())  # part 二 rows split without an identity to check them
    expected = len(uncorroborated(read_report(path)))
    assert expected > 0
    main(["validate", str(path)])
    out = capsys.readouterr().out
    assert re.search(rf"values \(.*\); {expected} uncorroborated\n", out)
    assert main(["parse", str(path)]) == 0
    assert f"{expected} uncorroborated values" in capsys.readouterr().out


def test_a_file_over_the_time_limit_is_one_line_and_the_next_file_is_read(tmp_path, capsys, monkeypatch):
    slow, good = tmp_path / "slow.txt", tmp_path / "good.txt"
    slow.write_bytes(_page())
    good.write_bytes(_page())
    real = parse_cli.read_report

    def read(path, **kw):
        if "slow" in str(path):
            time.sleep(5)
        return real(path, **kw)

    monkeypatch.setattr(parse_cli, "read_report", read)
    assert main(["parse", str(slow), str(good), "--file-timeout", "0.5"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"govstats: {slow}: time limit: reading took longer than 0.5 s (--file-timeout)\n"
    assert str(good) in captured.out


@pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed")
def test_ocr_modes_through_parse_and_ingest(tmp_path, capsys):
    scan = tmp_path / "src" / "scan.pdf"
    scan.parent.mkdir()
    known = known_report("2021", seed=7)
    scan.write_bytes(scan_pdf(to_pdf(known), seed=3))
    assert main(["parse", str(scan), "--ocr", "never"]) == 2
    assert "needs OCR" in capsys.readouterr().err
    assert main(["ingest", str(scan.parent), "--out", str(tmp_path / "data"), "--ocr", "never", "--quiet",
                 "--workers", "0"]) == 0
    ledger = load(tmp_path / "data").ledger
    assert list(ledger["status"].astype(str)) == ["rejected"] and "needs OCR" in ledger["reason"].iloc[0]
    assert main(["parse", str(scan), "--json"]) == 0  # auto: the pages without text are OCR'd
    values = json.loads(capsys.readouterr().out)
    assert values["agency"] == known.agency and values["year"] == known.year
    origins = {c["origin"] for c in values["cells"] if c["value"] is not None}
    assert "ocr" in origins and "printed" not in origins  # no text layer: every figure was recognised
    assert any(f["check"] == "read_by_ocr" for f in values["findings"])
