"""Reading files: encodings decided from the bytes, front matter, HTML to text, and the ReadError reasons."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from indexer.ingest.read import RawDocument, ReadError, decode, markdown_to_text, read_file, split_front_matter

REPORT = "临沂市总工会工作报告\n全市签订集体合同3120份，覆盖职工52.6万人。\n"
# 镕 is in GBK but not GB2312; 𠮷 and € need GB18030's four-byte and extended forms.
RARE = "朱镕基同志视察工会，𠮷祥物售价€5。\n"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("text", "codec", "expected_encoding"),
    [
        (REPORT, "utf-8", "utf-8"),
        (REPORT, "utf-8-sig", "utf-8-sig"),
        (REPORT, "gbk", "gb18030"),
        (REPORT, "gb2312", "gb18030"),
        (RARE, "gb18030", "gb18030"),
        (RARE, "utf-16", "utf-16"),
        ("工会", "gbk", "gb18030"),  # two characters are enough
    ],
)
def test_decode_returns_the_exact_text(text, codec, expected_encoding):
    assert decode(text.encode(codec)) == (text, expected_encoding)


@pytest.mark.parametrize(
    ("text", "codec", "expected_encoding"),
    [
        (REPORT, "utf-8", "utf-8"),
        (REPORT, "utf-8-sig", "utf-8-sig"),
        (REPORT, "gbk", "gb18030"),
        (RARE, "gb18030", "gb18030"),
        (RARE, "utf-16", "utf-16"),
    ],
)
def test_read_text_file(tmp_path: Path, text, codec, expected_encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(codec))
    assert read_file(path) == RawDocument(text, expected_encoding, "text", {})


@pytest.mark.parametrize("bad_byte", [b"\xff", b"\x80"])
def test_gbk_with_invalid_bytes_keeps_the_rest_of_the_text(tmp_path: Path, bad_byte: bytes):
    text = REPORT * 3
    pieces = [text[:5], text[5:40], text[40:]]  # bad bytes between characters, not inside one
    path = tmp_path / "truncated.txt"
    path.write_bytes(bad_byte.join(piece.encode("gbk") for piece in pieces))
    raw = read_file(path)
    assert raw.encoding == "gb18030 (with replaced bytes)"
    assert raw.text.count("\ufffd") == 2
    assert raw.text.replace("\ufffd", "") == text


def test_truncated_last_character_costs_one_replacement():
    text, encoding = decode(REPORT.encode("gbk") + "工".encode("gbk")[:1])
    assert (text, encoding) == (REPORT + "\ufffd", "gb18030 (with replaced bytes)")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \r\n\t\n", "empty file"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
        ("table.md", "工会".encode() + b"\x00\x01\x02", "binary data"),
        ("report.pdf", b"%PDF-1.4 ...", "corrupt PDF"),
        ("report.docx", b"PK\x03\x04", "not a valid .docx"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type .pptx"),
        ("README", REPORT.encode(), "unsupported file type (none)"),
    ],
)
def test_read_errors_name_the_reason(tmp_path: Path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError, match=re.escape(reason)):
        read_file(path)


def test_bom_only_file_is_empty(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(ReadError, match="empty file"):
        read_file(path)


def test_directory_with_a_document_suffix_is_a_read_error(tmp_path: Path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ReadError, match="cannot read file"):
        read_file(tmp_path / "folder.txt")


def test_suffix_is_matched_case_insensitively(tmp_path: Path):
    path = tmp_path / "REPORT.TXT"
    path.write_bytes(REPORT.encode("gbk"))
    assert read_file(path) == RawDocument(REPORT, "gb18030", "text", {})


FRONT_MATTER = "---\ntitle: 临沂市总工会工作报告\ndate: 2015-02-06\ncity: 临沂\n---\n"
MARKDOWN_BODY = "# 一、工作回顾\n全市工会**签订**集体合同[3120份](http://example.org/a)。\n"
METADATA = {"title": "临沂市总工会工作报告", "date": datetime.date(2015, 2, 6), "city": "临沂"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FRONT_MATTER + MARKDOWN_BODY, (METADATA, MARKDOWN_BODY)),
        ("---\ntitle: 甲\n...\n正文。\n", ({"title": "甲"}, "正文。\n")),  # YAML's own end marker
        ("---\ntitle: 甲\n---", ({"title": "甲"}, "")),
        ("---\n2015: 年份\n---\n正文", ({"2015": "年份"}, "正文")),  # keys become strings
        (MARKDOWN_BODY, ({}, MARKDOWN_BODY)),  # no front matter
        ("---\n- 一\n- 二\n---\n正文\n", ({}, "---\n- 一\n- 二\n---\n正文\n")),  # a list is not metadata
        ("正文\n---\ntitle: 甲\n---\n", ({}, "正文\n---\ntitle: 甲\n---\n")),  # only at the very start
    ],
)
def test_split_front_matter(text, expected):
    assert split_front_matter(text) == expected


@pytest.mark.parametrize(
    "broken",
    [
        "---\ntitle: [未闭合\ndate: 2015\n---\n正文内容。\n",
        "---\ntitle: 甲\n  date: : :\n---\n正文内容。\n",
        "---\n\ttitle: 甲\n---\n正文内容。\n",
    ],
)
def test_bad_yaml_front_matter_leaves_the_text_as_it_is(broken):
    assert split_front_matter(broken) == ({}, broken)


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("# 一、工作回顾\n正文", "一、工作回顾\n正文"),
        ("   ### 小标题", "小标题"),
        ("#工会", "#工会"),  # not a heading without the space
        ("见[通知](http://example.org/a)和![图片](a.png)", "见通知和图片"),
        ("**重点**与__要求__及`代码`", "重点与要求及代码"),
        ("正文<!-- 注释\n两行 -->继续", "正文继续"),
    ],
)
def test_markdown_to_text(markdown, text):
    assert markdown_to_text(markdown) == text


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gbk"])
def test_read_markdown_with_front_matter(tmp_path: Path, codec):
    path = tmp_path / "report.md"
    path.write_bytes((FRONT_MATTER + MARKDOWN_BODY).encode(codec))
    raw = read_file(path)
    assert (raw.text, raw.format, raw.metadata) == (
        "一、工作回顾\n全市工会签订集体合同3120份。\n",
        "markdown",
        METADATA,
    )


def test_read_markdown_with_crlf_front_matter(tmp_path: Path):
    path = tmp_path / "report.markdown"
    path.write_bytes((FRONT_MATTER + MARKDOWN_BODY).replace("\n", "\r\n").encode("utf-8"))
    raw = read_file(path)
    assert raw.metadata == METADATA
    assert _lines(raw.text) == ["一、工作回顾", "全市工会签订集体合同3120份。"]


def test_read_markdown_with_bad_yaml_keeps_the_body(tmp_path: Path):
    path = tmp_path / "broken.md"
    path.write_bytes("---\ntitle: [未闭合\n---\n正文内容。\n".encode())
    raw = read_file(path)
    assert (raw.text, raw.metadata) == ("---\ntitle: [未闭合\n---\n正文内容。\n", {})


PAGE = (
    "<html><head><meta charset='gb2312'>"
    "<style>p { color: red; }</style><script>var unit = '脚本里的工会';</script></head>"
    "<body><div>全市<b>职工</b>踊跃参赛</div><p>第一段。</p><p>第二段。<br>第三行。</p>"
    "<noscript>请启用脚本</noscript>"
    "<ul><li>甲项</li><li>乙项</li></ul>"
    "<table><tr><td>单位</td><td>人数</td></tr></table>"
    "<h2>二、主要任务</h2></body></html>"
)
# The main-text extractor (indexer/ingest/htmltext.py, tested in test_htmltext.py) keeps the article body.
PAGE_LINES = ["第一段。", "第二段。", "第三行。", "甲项", "乙项", "单位", "人数", "二、主要任务"]


def test_read_html_drops_scripts_and_puts_blocks_on_lines(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    raw = read_file(path)
    assert _lines(raw.text) == PAGE_LINES
    assert "脚本" not in raw.text and "color" not in raw.text


def test_html_title_goes_to_metadata(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title> 临沂市总工会 </title></head><body><p>正文。</p></body></html>", encoding="utf-8"
    )
    assert read_file(path).metadata == {"title": "临沂市总工会"}


@pytest.mark.parametrize(
    ("codec", "expected_encoding"),
    [
        ("utf-8", "utf-8"),  # declares gb2312 but is UTF-8: the bytes decide
        ("gbk", "gb18030"),
    ],
)
def test_read_html_page_decoded_from_its_bytes(tmp_path: Path, codec, expected_encoding):
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.encode(codec))
    raw = read_file(path)
    assert (_lines(raw.text), raw.encoding, raw.format) == (PAGE_LINES, expected_encoding, "html")
