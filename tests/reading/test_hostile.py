"""Hostile and faulty input (issue 10): a huge number is null with an error, never a crash or a
wrong value; a zip bomb is refused before it is inflated; nesting and exhausted limits end as a
one-line NotAReport; recovery searches stay within their step budgets."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from govstats import NotAReport, read_bytes, read_report
from govstats.cli import main
from govstats.reading import read as read_module
from govstats.reading.formats import docx as docx_module
from govstats.reading.formats.cells import span
from govstats.reading.recovery import readings
from govstats.reading.report import MAX_COUNT, Cell
from govstats.synth.documents import to_docx, to_html, to_text
from tests._reports import known_report

WRITERS = {"txt": to_text, "html": to_html, "docx": to_docx}
KEY = ("applications", "new_received", "total")


def _printing(raw: str, key=KEY, template: str = "2021") -> dict[str, bytes]:
    """A report of every format whose cell ``key`` prints ``raw``."""
    report = known_report(template, seed=1)
    report.cells[key] = Cell(*key, value=None, state="text", raw=raw)
    return {fmt: write(report) for fmt, write in WRITERS.items()}


def _one_line(e: NotAReport) -> str:
    text = str(e)
    assert text and "\n" not in text
    return text


@pytest.mark.parametrize("raw", ["12345678901234567890", "9" * 400, "9" * 5000, "9" * 400 + ".5", "-" + "9" * 400])
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_number_beyond_any_count_is_null_with_an_error(fmt, raw):
    report = read_bytes(_printing(raw)[fmt], f"x.{fmt}")
    cell = report.cells[KEY]
    assert cell.value is None and cell.raw == raw
    found = [f for f in report.findings if f.check == "value_out_of_range"]
    assert [(f.severity, f.table, f.row, f.column) for f in found] == [("error", *KEY)]
    assert "\n" not in found[0].message and len(found[0].message) < 300  # the raw text is shortened
    assert not any(f.check == "I5_nonnegative_integer" for f in report.findings)  # not "not a whole number"
    assert report.value("applications", "new_received", "natural_person") is not None  # the rest stands


def test_the_largest_count_stands_and_one_more_is_out_of_range():
    ok = read_bytes(_printing(str(MAX_COUNT))["txt"])
    assert ok.value(*KEY) == MAX_COUNT and not any(f.check == "value_out_of_range" for f in ok.findings)
    over = read_bytes(_printing(str(MAX_COUNT + 1))["txt"])
    assert over.value(*KEY) is None and any(f.check == "value_out_of_range" for f in over.findings)


def test_an_amount_in_yuan_with_400_digits_is_null_not_an_overflow():
    key = ("disclosure", "fees", "amount_10k_yuan")
    report = read_bytes(_printing("9" * 400 + "元", key)["txt"])
    assert report.value(*key) is None
    assert any(f.check == "value_out_of_range" and f.row == "fees" for f in report.findings)


def test_parse_prints_no_traceback_for_a_400_digit_number(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_bytes(_printing("9" * 400)["txt"])
    assert main(["parse", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "1 errors" in out and err == ""
    assert main(["parse", "--json", str(path)]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_parse_refuses_files_over_the_size_cap_and_anything_not_a_regular_file(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_bytes(_printing("1")["txt"] + b" " * (2 * 2**20))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # reading it would block forever
    assert main(["parse", "--max-size", "1", str(big), str(pipe), str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"govstats: {big}: too large: 2.0 MiB over the 1 MiB cap (--max-size)",
                   f"govstats: {pipe}: not a regular file", f"govstats: {tmp_path}: not a regular file"]
    assert read_report(big).agency  # the default cap is ingest's 50 MiB


def _bomb(size: int) -> bytes:
    """A DOCX whose document.xml inflates to ``size`` bytes from a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        z.writestr("word/document.xml", body + b" " * (size - len(body)))
    return out.getvalue()


def test_a_zip_bomb_docx_is_refused_before_it_is_inflated(monkeypatch):
    monkeypatch.setattr(docx_module, "MAX_XML", 2**20)  # the same check as at 32 MiB, on a smaller bomb
    inflated: list[str] = []
    real_read = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda z, name, pwd=None: inflated.append(name) or real_read(z, name, pwd))
    data = _bomb(4 * 2**20)
    assert len(data) < 2**16
    with pytest.raises(NotAReport) as e:
        read_bytes(data, "bomb.docx")
    assert "zip bomb" in _one_line(e.value) and inflated == []


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_html_ends_in_a_report_or_one_line(depth):
    page = _printing("1")["html"].decode()
    page = page.replace("<body>", "<body>" + "<div><table><tr><td>" * depth + "x" + "</td></tr></table></div>" * depth)
    try:
        report = read_bytes(page.encode(), "deep.html")
    except NotAReport as e:
        _one_line(e)
    else:
        assert report.value(*KEY) == 1


def test_a_document_that_exhausts_the_reader_is_one_line(monkeypatch):
    for error in (RecursionError("maximum recursion depth exceeded"), MemoryError(), OverflowError("int too large")):
        def fail(rows, error=error):
            raise error

        monkeypatch.setattr(read_module, "build_report", fail)
        with pytest.raises(NotAReport, match=type(error).__name__) as e:
            read_bytes(_printing("1")["txt"])
        _one_line(e.value)


def test_other_exceptions_are_not_swallowed(monkeypatch):
    """A programming error is a bug to see, not a rejected file."""
    monkeypatch.setattr(read_module, "build_report", lambda rows: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        read_bytes(_printing("1")["txt"])


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "1e9", "-5", " 3 ", "2.0"])
def test_junk_spans_never_raise(value):
    assert 1 <= span(value) <= 1000
    page = _printing("1")["html"].replace(b'colspan="', f'colspan="{value}'.encode(), 2)
    page = page.replace(b'rowspan="', f'rowspan="{value}'.encode(), 2)
    try:
        read_bytes(page, "x.html")
    except NotAReport as e:
        _one_line(e)


def test_damaged_zip_directories_are_one_line():
    data = bytearray(to_docx(known_report("2021")))
    end = data.rfind(b"PK\x01\x02")  # the last central directory entry: its "version needed" field
    data[end + 6 : end + 8] = b"\xff\x00"
    with pytest.raises(NotAReport) as e:
        read_bytes(bytes(data), "x.docx")
    _one_line(e.value)


def _steps(monkeypatch) -> list[int]:
    """Counts the recovery search steps of what runs next."""
    count = [0]
    go = readings._Search.go

    def counted(self, k, ti, p):
        count[0] += 1
        return go(self, k, ti, p)

    monkeypatch.setattr(readings._Search, "go", counted)
    return count


def _glued_rows(text: str, digits) -> str:
    """Part 三 printed with every row's numbers run into its label: ``digits(i)`` for row i."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("（本列数据的勾稽关系"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度继续办理"))
    for i in range(start + 3, end + 1):
        cells = lines[i].split("\t")
        lines[i] = "".join(c for c in cells if not c.isdigit()) + digits(i)
    return "\n".join(lines)


@pytest.mark.parametrize("digits", [
    lambda i: "1234567890" * 20,  # 200 digits: more than seven counts can have
    lambda i: "31415926535897932384626433832795028841971693993751058209749445923078164"[: 63 + i % 8],
    lambda i: ("123" * 20)[: 50 - i % 5],
    lambda i: "1" * (30 + i),
])
def test_recovery_of_hostile_rows_stays_within_its_budget(monkeypatch, digits):
    steps = _steps(monkeypatch)
    report = read_bytes(_glued_rows(_printing("1")["txt"].decode(), digits).encode())
    assert steps[0] <= readings._TABLE_BUDGET + readings._NODE_BUDGET // 100
    assert any(f.check == "unresolved_values" for f in report.findings)
    assert all(c.value is None or c.value <= MAX_COUNT for c in report.cells.values())


def test_digits_of_another_script_run_into_a_label_are_not_split():
    text = _glued_rows(_printing("1")["txt"].decode(), lambda i: "١٢٣٤٥٦٧٨٩٠١٢٣")  # Arabic-Indic digits
    report = read_bytes(text.encode())
    assert report.template == "2021"
    assert report.value(*KEY) is None and any(f.check == "unresolved_values" for f in report.findings)


def test_more_text_than_any_report_is_one_line(monkeypatch):
    from govstats.reading import interpret

    data = _printing("1")["txt"]
    monkeypatch.setattr(interpret, "MAX_TEXT", len(data.decode()) // 2)
    with pytest.raises(NotAReport, match="characters of text") as e:
        read_bytes(data)
    _one_line(e.value)


def test_stray_values_are_listed_up_to_a_bound():
    """A page repeating one table row thousands of times: a few strays listed, the rest counted."""
    row = "规章000行政规范性文件505行政许可12345其他对外管理服务事项0"
    text = "郏县人民政府2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n" + row * 2000 + "\n"
    report = read_bytes(text.encode())
    strays = [f for f in report.findings if f.check == "stray_values"]
    assert 2 <= len(strays) <= 21 and "more stray values" in strays[-1].message_en
    assert all(len(f.message) < 1000 for f in strays)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_markup_of_too_many_tags_is_refused_before_parsing(monkeypatch, fmt):
    from govstats.reading.formats import html

    data = _printing("1")[fmt]
    monkeypatch.setattr(html, "MAX_TAGS", 100)
    monkeypatch.setattr(docx_module, "MAX_TAGS", 100)
    with pytest.raises(NotAReport, match="tags") as e:
        read_bytes(data, f"x.{fmt}")
    _one_line(e.value)
