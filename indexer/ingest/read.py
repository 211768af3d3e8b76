"""Turn a file's bytes into text and metadata; knows nothing of Whoosh.

Parts: ``decode`` (encoding decided from the bytes: BOM, strict UTF-8, strict
GB18030, then charset-normalizer), ``split_front_matter`` (YAML front matter of
Markdown), ``htmltext.extract`` (main text of web pages), and ``read_file`` which picks the
reader by file suffix and raises ``ReadError`` with a reason a person can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import yaml

from indexer.ingest import htmltext

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
MAX_FILE_BYTES = 64 * 1024 * 1024  # .docx and .pdf carry images; their text is far smaller
MAX_TEXT_BYTES = 16 * 1024 * 1024  # a .txt/.md/.html over this is not one document (a dump or a log)
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # a .docx that inflates past this is a zip bomb
MAX_PDF_PAGES = 2000


class ReadError(Exception):
    """A file that cannot be turned into text; the message says why."""


@dataclass(frozen=True)
class RawDocument:
    """The text of one file before normalisation, with what the file says about itself."""

    text: str
    encoding: str
    format: str
    metadata: dict = field(default_factory=dict)


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) for bytes of unknown encoding; never raises on bad bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8", "ascii"):
        text = str(best)
        if _cjk_share(text) > 0.2:
            return text, best.encoding
    # Mostly GBK with a few broken bytes (truncated downloads): keep what decodes.
    utf8 = data.decode("utf-8", errors="replace")
    gbk = data.decode("gb18030", errors="replace")
    if utf8.count("\ufffd") <= gbk.count("\ufffd"):
        return utf8, "utf-8 (with replaced bytes)"
    return gbk, "gb18030 (with replaced bytes)"


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return sum("\u4e00" <= char <= "\u9fff" for char in sample) / len(sample)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (metadata, body) of Markdown with optional YAML front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        metadata = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(metadata, dict):
        return {}, text
    return {str(key): value for key, value in metadata.items()}, text[match.end() :]


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|`)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def markdown_to_text(text: str) -> str:
    """Strip the Markdown markup that would otherwise be indexed as text."""
    text = _HTML_COMMENT.sub("", text)
    text = _MARKDOWN_HEADING.sub("", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    return _MARKDOWN_EMPHASIS.sub("", text)


_INFO_END = "<!-- INFO END -->"


def lawrefbook_info(text: str) -> dict:
    """Return the title and the enactment lines above LawRefBook's ``<!-- INFO END -->`` marker."""
    if _INFO_END not in text:
        return {}
    head = text.split(_INFO_END, 1)[0]
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    title = next((line.lstrip("# ").strip() for line in lines if line.startswith("#")), "")
    info = [line for line in lines if not line.startswith("#")]
    found = {"info_lines": info}
    if title:
        found["title"] = title
    return found


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ReadError("not a valid .docx (not a zip archive) / 不是有效的 Word 文档") from error
    inflated = sum(info.file_size for info in archive.infolist())
    if inflated > MAX_UNZIPPED_BYTES:
        raise ReadError(f"zip bomb: inflates to {inflated} bytes / 压缩包解压后过大，已拒绝")
    return archive


def docx_to_text(data: bytes) -> tuple[str, dict]:
    """Return (text, metadata) of a .docx: paragraphs and headings in order, tables row by row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on broken packages
        raise ReadError(f"not a readable .docx: {type(error).__name__} / Word 文档无法读取") from error
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                lines.append("\t".join(cell for cell in cells if cell))
    properties = document.core_properties
    metadata = {key: value for key, value in (("title", properties.title), ("author", properties.author)) if value}
    if properties.created:
        metadata["created"] = properties.created
    return "\n".join(lines), metadata


def pdf_to_text(data: bytes) -> tuple[str, dict]:
    """Return (text, metadata) of a PDF with a text layer; ReadError for encrypted or image-only ones."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("encrypted PDF / PDF 已加密，无法读取")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        info = reader.metadata or {}
        metadata = {"title": str(info.get("/Title", "") or "")} if info.get("/Title") else {}
    except ReadError:
        raise
    except Exception as error:  # pypdf raises many kinds on corrupt files
        raise ReadError(f"corrupt PDF: {type(error).__name__} / PDF 文件损坏") from error
    text = "\n".join(pages)
    if sum(char.isalnum() for char in text) < 20:
        raise ReadError("image-only PDF (no text layer) / 扫描版 PDF，没有文字层")
    return text, metadata


def source_name(path: Path, root: Path) -> str:
    """Return a file's path below root as text that is always valid UTF-8.

    File names copied from Windows archives are often GBK bytes; they are decoded as such
    (or with replacement characters) so the name can be shown and stored, and stays stable.
    """
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    try:
        relative.encode("utf-8")
        return relative
    except UnicodeEncodeError:
        raw = relative.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")


def read_file(path: Path) -> RawDocument:
    """Read one document file; raise ReadError with the reason when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"unsupported file type {suffix or '(none)'} / 不支持的文件类型")
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if suffix in (".docx", ".pdf") else MAX_TEXT_BYTES
        if size > limit:
            raise ReadError(f"file too large ({size} bytes > {limit}) / 文件过大，已跳过")
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot read file: {error.strerror or error} / 无法读取文件") from error
    if not data.strip():
        raise ReadError("empty file / 空文件")
    if suffix == ".docx":
        text, metadata = docx_to_text(data)
        return RawDocument(text, "docx", "docx", metadata)
    if suffix == ".pdf":
        text, metadata = pdf_to_text(data)
        return RawDocument(text, "pdf", "pdf", metadata)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary data, not text / 二进制文件，不是文本")
    text, encoding = decode(data)
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        raise ReadError("empty file / 空文件")
    if suffix in (".html", ".htm"):
        page = htmltext.extract(text)
        metadata = {
            key: value for key, value in (("title", page.title), ("date", page.date), ("author", page.author)) if value
        }
        return RawDocument(page.text, encoding, "html", metadata)
    if suffix in (".md", ".markdown"):
        metadata, body = split_front_matter(text)
        for key, value in lawrefbook_info(body).items():
            metadata.setdefault(key, value)
        return RawDocument(markdown_to_text(body), encoding, "markdown", metadata)
    return RawDocument(text, encoding, "text", {})
