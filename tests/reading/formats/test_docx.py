"""The DOCX reader (documents built here with python-docx), the .doc/.wps path, the blank template
and round trips through govstats.synth."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from docx import Document
from docx.oxml import parse_xml

from govstats import NotAReport, read_bytes
from govstats.reading.formats import docx as docx_reader
from govstats.reading.formats.docx import LEGACY_MESSAGE, docx_rows, legacy_word_rows
from govstats.synth.documents import to_docx
from govstats.synth.printing import Quirks
from tests._reports import known_report

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_paragraphs_and_tables_in_document_order():
    doc = Document()
    doc.add_heading("某县2023年政府信息公开工作年度报告", level=1)
    doc.add_paragraph("二、主动公开政府信息情况")
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "信息内容", "本年制发件数"
    t.cell(1, 0).text, t.cell(1, 1).text = "规章", "3"
    doc.add_paragraph("")
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    assert docx_rows(save(doc)) == [
        ["某县2023年政府信息公开工作年度报告"],
        ["二、主动公开政府信息情况"],
        ["信息内容", "本年制发件数"],
        ["规章", "3"],
        ["三、收到和处理政府信息公开申请情况"],
    ]


def test_runs_joined_breaks_split_lines_tabs_split_cells():
    doc = Document()
    p = doc.add_paragraph()
    p.add_run("申请人情")
    p.add_run("况")
    r = p.add_run("第二行")
    r.add_break()
    r.add_text("第三行")
    doc.add_paragraph("（一）予以公开\t3\t\t0")
    assert docx_rows(save(doc)) == [["申请人情况第二行"], ["第三行"], ["（一）予以公开", "3", "0"]]


def test_merged_cells_vertical_label_repeated_horizontal_text_once():
    doc = Document()
    t = doc.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "申请人情况"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "法人或其他组织"
    group = t.cell(1, 0).merge(t.cell(3, 0))
    group.text = "三、本年度办理结果"
    for i, (label, a, b) in enumerate(
        [("（一）予以公开", "1", "2"), ("（二）部分公开", "3", "4"), ("（七）总计", "", "6")], 1
    ):
        t.cell(i, 1).text, t.cell(i, 2).text, t.cell(i, 3).text = label, a, b
    t.cell(2, 2).merge(t.cell(3, 2)).text = "3"  # a value spanning two rows
    assert docx_rows(save(doc)) == [
        ["申请人情况", "", "法人或其他组织", ""],
        ["三、本年度办理结果", "（一）予以公开", "1", "2"],
        ["三、本年度办理结果", "（二）部分公开", "3", "4"],
        ["三、本年度办理结果", "（七）总计", "", "6"],  # the value is not repeated
    ]


def test_cell_paragraphs_joined_and_blank_rows_kept():
    doc = Document()
    t = doc.add_table(rows=2, cols=3)
    c = t.cell(0, 0)
    c.text = "社会公益"
    c.add_paragraph("组织")
    t.cell(0, 1).text = "\u3000 5 "
    assert docx_rows(save(doc)) == [["社会公益组织", "5", ""], ["", "", ""]]


def test_nested_table_in_a_cell_is_walked_as_blocks():
    doc = Document()
    outer = doc.add_table(rows=2, cols=2)
    cell = outer.cell(0, 0)
    cell.text = "三、收到和处理政府信息公开申请情况"
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "一、本年新收政府信息公开申请数量", "7"
    outer.cell(0, 1).text = "右栏"
    outer.cell(1, 0).text, outer.cell(1, 1).text = "备注", "无"
    assert docx_rows(save(doc)) == [
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "7"],
        ["右栏"],
        ["备注", "无"],
    ]


def test_grid_before_content_controls_and_fallback():
    doc = Document()
    t = doc.add_table(rows=2, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "信息内容", "本年制发件数", "现行有效件数"
    t.cell(1, 1).text, t.cell(1, 2).text = "1", "2"
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row starts one grid column in
    tr.insert(0, parse_xml(f'<w:trPr {W_NS}><w:gridBefore w:val="1"/></w:trPr>'))
    t.rows[0]._tr.insert(0, parse_xml(f'<w:trPr {W_NS}><w:gridBefore w:val="0"/></w:trPr>'))
    body = doc.element.body
    body.insert(
        len(body) - 1,
        parse_xml(f"<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"),
    )
    body.insert(
        len(body) - 1,
        parse_xml(
            f'<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:r>'
            "<mc:AlternateContent><mc:Choice Requires='wps'><w:t>一次</w:t></mc:Choice>"
            "<mc:Fallback><w:t>一次</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        ),
    )
    assert docx_rows(save(doc)) == [
        ["信息内容", "本年制发件数", "现行有效件数"],
        ["", "1", "2"],
        ["控件中的段落"],
        ["一次"],
    ]


def test_strict_open_xml_namespace():
    doc = Document()
    doc.add_paragraph("二、主动公开政府信息情况")
    t = doc.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "规章", "3"
    src = zipfile.ZipFile(io.BytesIO(save(doc)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                )
            z.writestr(name, data)
    assert docx_rows(buf.getvalue()) == [["二、主动公开政府信息情况"], ["规章", "3"]]


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 truncated", b"plain bytes"],
)
def test_damaged_docx_is_not_a_report(data):
    with pytest.raises(NotAReport, match="damaged DOCX"):
        docx_rows(data)


def test_docx_without_document_part_or_text():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/other.xml", "<x/>")
    with pytest.raises(NotAReport, match="damaged DOCX"):
        docx_rows(buf.getvalue())
    with pytest.raises(NotAReport, match="without text"):
        docx_rows(save(Document()))


# ---------------------------------------------------------------------------------------------
# .doc and .wps


def test_legacy_word_without_libreoffice(monkeypatch):
    monkeypatch.setattr(docx_reader.shutil, "which", lambda name: None)
    with pytest.raises(NotAReport) as e:
        legacy_word_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc")
    assert str(e.value) == LEGACY_MESSAGE
    with pytest.raises(NotAReport, match="soffice --headless --convert-to docx"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "report.wps")


def _fake_soffice(tmp_path, docx_bytes: bytes | None):
    """A stand-in `soffice` that 'converts' by copying a prepared DOCX to --outdir."""
    script = tmp_path / "soffice"
    src = tmp_path / "prepared.docx"
    if docx_bytes is not None:
        src.write_bytes(docx_bytes)
    script.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done\n'
        f'[ -f "{src}" ] && cp "{src}" "$2/report.docx"\n'
        "exit 0\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_legacy_word_converted_when_soffice_present(tmp_path, monkeypatch):
    doc = Document()
    doc.add_paragraph("某县2023年政府信息公开工作年度报告")
    script = _fake_soffice(tmp_path, save(doc))
    monkeypatch.setattr(docx_reader.shutil, "which", lambda name: str(script) if name == "soffice" else None)
    assert legacy_word_rows(b"ole bytes", "wps") == [["某县2023年政府信息公开工作年度报告"]]


def test_legacy_word_conversion_failure(tmp_path, monkeypatch):
    script = _fake_soffice(tmp_path, None)
    monkeypatch.setattr(docx_reader.shutil, "which", lambda name: str(script) if name == "soffice" else None)
    with pytest.raises(NotAReport, match="could not convert the doc file"):
        legacy_word_rows(b"ole bytes", "doc")


# ---------------------------------------------------------------------------------------------
# The blank national template (../shared/corpus/templates): every value cell empty


def test_blank_template_rows(shared_dir):
    data = (shared_dir / "corpus" / "templates" / "govnianbao" / "政务公开年报模版.docx").read_bytes()
    rows = docx_rows(data)
    assert rows[0] == ["政府信息公开工作年度报告格式模板"]
    assert ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"] in rows
    apps = [r for r in rows if len(r) == 10 and r[0].startswith(("一、", "二、", "三、", "四、"))]
    assert len(apps) == 25
    assert all(v == "" for r in apps for v in r[3:])
    assert ["三、本年度办理结果", "（六）其他处理", "3.其他", *[""] * 7] in rows
    assert [""] * 15 in rows  # table 四's value row, blank
    assert ["（文字描述）"] in rows


# ---------------------------------------------------------------------------------------------
# Round trips through govstats.synth


@pytest.mark.parametrize("template", ["2021", "2019", "hybrid"])
def test_round_trip(template):
    known = known_report(template, seed=7)
    r = read_bytes(to_docx(known), "synthetic.docx")
    assert (r.agency, r.year, r.template, r.source_format, r.synthetic) == (
        known.agency,
        known.year,
        template,
        "docx",
        True,
    )
    assert r.tables() == known.tables()
    assert r.findings == []


def test_round_trip_all_zero():
    known = known_report("2021", zero=True)
    assert read_bytes(to_docx(known), "synthetic.docx").tables() == known.tables()


def test_blank_template_is_not_a_report(shared_dir):
    data = (shared_dir / "corpus" / "templates" / "govnianbao" / "政务公开年报模版.docx").read_bytes()
    with pytest.raises(NotAReport, match="template"):
        read_bytes(data, "政务公开年报模版.docx")


def test_round_trip_footer_in_table_and_traditional_title():
    known = known_report("2019", seed=5)
    r = read_bytes(to_docx(known, quirks=Quirks(footer_in_table=True, traditional_title=True)), "synthetic.docx")
    assert (r.agency, r.year) == (known.agency, known.year)
    assert r.tables() == known.tables()
