"""Word and PDF documents: text in order, tables, and clear reasons for files that cannot be read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from indexer.ingest.documents import load_documents
from indexer.ingest.read import MAX_UNZIPPED_BYTES, ReadError, read_file


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "临沂市总工会关于开展金秋助学活动的通知"
    document.add_heading("临沂市总工会关于开展金秋助学活动的通知", level=1)
    document.add_paragraph("各县区总工会：")
    document.add_heading("一、资助对象", level=2)
    document.add_paragraph("困难职工家庭中当年考入全日制普通高校的子女。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "类别"
    table.cell(0, 1).text = "标准"
    table.cell(1, 0).text = "本科"
    table.cell(1, 1).text = "每人5000元"
    document.add_paragraph("临沂市总工会\n2018年8月1日")
    document.save(path)
    return path


def test_docx_paragraphs_headings_and_tables_in_order(tmp_path: Path):
    raw = read_file(_docx(tmp_path / "notice.docx"))
    lines = [line for line in raw.text.splitlines() if line]
    assert lines[:4] == [
        "临沂市总工会关于开展金秋助学活动的通知",
        "各县区总工会：",
        "一、资助对象",
        "困难职工家庭中当年考入全日制普通高校的子女。",
    ]
    assert "类别\t标准" in lines and "本科\t每人5000元" in lines
    assert raw.metadata["title"] == "临沂市总工会关于开展金秋助学活动的通知"


def test_docx_becomes_a_document_with_metadata(tmp_path: Path):
    _docx(tmp_path / "notice.docx")
    [document] = load_documents(tmp_path / "notice.docx", tmp_path)
    assert (document.city, document.doc_type) == ("临沂市", "通知")
    assert any("每人5000元" in passage.text for passage in document.passages)


def test_a_docx_that_is_not_a_zip_is_skipped_with_a_reason(tmp_path: Path):
    (tmp_path / "fake.docx").write_bytes(b"this is not a zip archive at all")
    with pytest.raises(ReadError, match="not a valid .docx"):
        read_file(tmp_path / "fake.docx")


def test_a_docx_zip_bomb_is_refused_without_inflating_it(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (MAX_UNZIPPED_BYTES + 1))
    (tmp_path / "bomb.docx").write_bytes(buffer.getvalue())
    assert (tmp_path / "bomb.docx").stat().st_size < 1_000_000
    with pytest.raises(ReadError, match="zip bomb"):
        read_file(tmp_path / "bomb.docx")


def _pdf(path: Path, text: str | None, *, password: str | None = None) -> Path:
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if text is not None:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_pdf_with_a_text_layer_is_read(tmp_path: Path):
    raw = read_file(_pdf(tmp_path / "report.pdf", "Trade union annual report 2015: 3120 collective contracts"))
    assert "3120 collective contracts" in raw.text


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: _pdf(path, None), "image-only PDF"),
        (lambda path: _pdf(path, "secret text of the union", password="s3cret"), "encrypted PDF"),
        (lambda path: path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage") and path, "corrupt PDF"),
    ],
)
def test_unreadable_pdfs_are_skipped_with_their_reason(tmp_path: Path, make, reason):
    path = tmp_path / "x.pdf"
    make(path)
    with pytest.raises(ReadError, match=reason):
        read_file(path)


def test_lawrefbook_info_block_is_metadata(tmp_path: Path):
    (tmp_path / "law.md").write_text(
        "# 某省工会条例\n\n2010年7月30日 某省人民代表大会常务委员会通过\n\n<!-- INFO END -->\n\n"
        "## 第一章　总则\n\n第一条 为了保障工会的地位，制定本条例。\n\n第二条 本条例适用于本省。\n\n第三条 工会依法活动。\n",
        encoding="utf-8",
    )
    raw = read_file(tmp_path / "law.md")
    assert raw.metadata["title"] == "某省工会条例"
    assert raw.metadata["info_lines"] == ["2010年7月30日 某省人民代表大会常务委员会通过"]
