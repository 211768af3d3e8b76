"""Files staff add in the browser: what their bytes are, a safe name, and a write that never leaves half a file.

Parts: ``sniff`` (the type from the bytes, never the extension: PDF (refused when encrypted), Word 2007+ (a zip
holding ``word/document.xml``, refused when it would unpack to more than ``MAX_UNPACKED`` or is encrypted),
HTML, plain text in UTF-8 / GB18030 (Markdown kept as .md); a legacy .doc, a binary and anything else are
refused with the reason) →
``safe_name`` (a base name only: no folder, no NUL or control character, width folded (NFKC), at most
``MAX_NAME_CHARS``, the extension of the sniffed type) → ``store`` (a copy of a file already there is reported,
not stored twice; a taken name gets -2, -3 …; written to a temporary name, fsynced, renamed).

``TRASH`` is the folder (inside the documents folder, hidden from builds) that deleted files move to.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest.read import MAX_UNZIPPED_BYTES

TRASH = ".trash"
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # in UTF-8: room for -2, -3 … and the temporary name within a file system's 255
MAX_UNPACKED = MAX_UNZIPPED_BYTES  # a .docx unpacking to more is refused (a zip bomb), as the reader would
MAX_RATIO = 200  # nor one whose members expand more than this many times


class UploadRejected(ValueError):
    """A file that is not stored; the message says why in Chinese and English."""


@dataclass(frozen=True)
class Stored:
    """Where an accepted file went: its name in the documents folder, and whether it was a copy already there."""

    name: str
    copy_of: str = ""  # the file with the same bytes already in the folder ("" when new)


def sniff(data: bytes) -> str:
    """Return the extension the bytes are (pdf, docx, html, txt); UploadRejected when none we read."""
    if not data:
        raise UploadRejected("空文件 / empty file")
    if data.startswith(b"%PDF-"):
        return _sniff_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UploadRejected("旧版 Word（.doc）无法读取，请另存为 .docx / a legacy .doc is not read: save it as .docx")
    if b"\x00" in data[:8192] or not _is_text(data):
        raise UploadRejected("二进制文件，不是可读的文本 / a binary file, not readable text")
    head = data[:4096].lstrip().lower()
    if (
        head.startswith((b"<!doctype html", b"<html"))
        or b"<body" in head
        or (head.startswith(b"<?xml") and b"<html" in head)
    ):
        return "html"
    return "txt"


def _is_text(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\r\n\t\f")
        return controls <= len(text[:8192]) // 100
    return False


def _sniff_pdf(data: bytes) -> str:
    from pypdf import PdfReader  # the reader's own PDF library: encrypted or broken, as it will see it

    try:
        encrypted = PdfReader(io.BytesIO(data)).is_encrypted
    except Exception:  # noqa: BLE001 - any reason pypdf cannot open it: the build could not read it either
        raise UploadRejected("PDF 已损坏，无法读取 / a damaged PDF") from None
    if encrypted:
        raise UploadRejected("PDF 已加密，无法读取 / the PDF is encrypted")
    return "pdf"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if any(member.flag_bits & 0x1 for member in members):
                raise UploadRejected("文件已加密，无法读取 / the file is encrypted")
            unpacked = sum(member.file_size for member in members)
            packed = max(1, sum(member.compress_size for member in members))
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 - a zip the library cannot read (bad, unsupported or hostile) is refused
        raise UploadRejected("压缩包已损坏或无法读取 / a damaged or unreadable zip file") from None
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise UploadRejected("解压后过大（疑似压缩炸弹）/ it would unpack far too large (a zip bomb?)")
    if "word/document.xml" in names:
        return "docx"
    raise UploadRejected("只接受 Word（.docx）压缩文件 / of zip files only Word (.docx) is read")


def safe_name(name: str, extension: str) -> str:
    """Return a file name that stays in the documents folder: base name only, no control characters, width
    folded, at most MAX_NAME_CHARS, ending in the sniffed extension."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if char.isprintable() and char not in '<>:"|?*')
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name).strip(" .")
    stem = stem.lstrip(".") or "document"
    stem = stem[: MAX_NAME_CHARS - len(extension) - 1]
    while len(f"{stem}.{extension}".encode()) > MAX_NAME_BYTES:  # file systems count bytes (255), not characters
        stem = stem[:-1]
    return f"{stem}.{extension}"


def store(documents_dir: Path, name: str, data: bytes) -> Stored:
    """Write the bytes under a safe, free name (a copy already there is reported, not stored twice)."""
    extension = sniff(data)
    if extension == "txt" and re.search(r"\.(md|markdown)$", name or "", re.IGNORECASE):
        extension = "md"  # Markdown is text: its headings are read as sections
    digest = hashlib.sha1(data).hexdigest()
    for existing in _files(documents_dir):
        if existing.stat().st_size == len(data) and _sha1(existing) == digest:
            return Stored(existing.relative_to(documents_dir).as_posix(), copy_of=existing.name)
    wanted = safe_name(name, extension)
    target = documents_dir / wanted
    stem, suffix = target.stem, target.suffix
    number = 2
    while target.exists():
        target = documents_dir / f"{stem}-{number}{suffix}"
        number += 1
    write_atomic(target, data)
    return Stored(target.name)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary hidden name beside path, fsync, rename: path is whole or absent, never half."""
    temporary = path.with_name(f".{path.name}.part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _files(documents_dir: Path):
    for root, folders, names in os.walk(documents_dir):
        folders[:] = [folder for folder in folders if not folder.startswith(".")]
        for name in names:
            if not name.startswith("."):
                yield Path(root) / name


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
