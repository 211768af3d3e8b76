"""Corrections staff make to a document's metadata: kept as data beside the documents, they outrank the reader.

``CORRECTIONS_FILE`` (hidden, so builds never read it as a document) maps a doc_id to its source file and the
corrected fields (title, year, province, city, doc_type, topics). ``validate`` checks a correction (known fields,
a year from 1900 to next year, a place in the gazetteer, a known document type and topics) and returns it
cleaned; ``apply`` gives a Document its corrections; ``digest`` is what a file's corrections add to its hash,
so an incremental build reads the file again when they change. A rebuild from nothing keeps them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import replace
from pathlib import Path

from indexer.text import lexicon, places

CORRECTIONS_FILE = ".corrections.json"
_log = logging.getLogger(__name__)
FIELDS = ("title", "year", "province", "city", "doc_type", "topics")
EXTRA_DOC_TYPES = frozenset({"新闻", "其他"})  # the reader's types beyond data/doctypes.csv (metadata.classify)


class CorrectionError(ValueError):
    """A correction that cannot be kept; ``field`` names the field, the message is Chinese / English."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def read_corrections(documents_dir: Path) -> dict[str, dict]:
    """Return doc_id → {"source", field: value …} (empty when there are none)."""
    path = Path(documents_dir) / CORRECTIONS_FILE
    if not path.is_file():
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        _log.error("%s cannot be read: the corrections in it are not applied until it is fixed", path)
        return {}
    return found if isinstance(found, dict) else {}


def validate(changes: dict) -> dict:
    """Return a correction cleaned (None: remove that field's correction); CorrectionError naming the field."""
    if not isinstance(changes, dict) or not changes:
        raise CorrectionError("body", "请求体应为含字段的 JSON 对象 / the body must be a JSON object with fields")
    clean: dict = {}
    for field, value in changes.items():
        if field not in FIELDS:
            raise CorrectionError(field, f"未知字段 {field[:40]} / unknown field {field[:40]}")
        clean[field] = None if value is None else _check(field, value)
    return clean


def _check(field: str, value):
    if field == "year":
        latest = datetime.date.today().year + 1
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= latest:
            raise CorrectionError("year", f"年份应为 1900–{latest} 的整数 / year must be an integer 1900–{latest}")
        return value
    if field == "topics":
        known = set(lexicon.topic_phrases())
        if not isinstance(value, list) or not all(isinstance(topic, str) and topic in known for topic in value):
            raise CorrectionError("topics", "主题应为已知主题的列表 / topics must be a list of known topics")
        return list(dict.fromkeys(value))
    if not isinstance(value, str) or not value.strip() or len(value) > 200 or not value.isprintable():
        raise CorrectionError(field, f"{field} 应为 1–200 个可显示字符 / {field} must be 1–200 printable characters")
    value = value.strip()
    if field == "province":
        found = places.normalise_place(value)
        if not found.province or found.city:
            raise CorrectionError("province", f"不是省份：{value[:20]} / not a province: {value[:20]}")
        return found.province
    if field == "city":
        found = places.with_municipality_city(places.normalise_place(value))
        if not found.city:
            raise CorrectionError(
                "city", f"地名表中没有这个城市：{value[:20]} / not a city of the gazetteer: {value[:20]}"
            )
        return found.city
    if field == "doc_type" and value not in {rule[0] for rule in lexicon.doc_type_rules()} | EXTRA_DOC_TYPES:
        raise CorrectionError("doc_type", f"未知文种：{value[:20]} / unknown document type: {value[:20]}")
    return value


def merge(existing: dict, doc_id: str, source: str, correction: dict) -> dict:
    """Return the corrections with one document's fields set (None removes a field; no field left: no entry)."""
    updated = dict(existing)
    entry = {key: value for key, value in existing.get(doc_id, {}).items() if key != "source"}
    for field, value in correction.items():
        if value is None:
            entry.pop(field, None)
        else:
            entry[field] = value
    if entry:
        if "city" in entry and "province" not in entry:
            entry["province"] = places.normalise_place(entry["city"]).province
        updated[doc_id] = {"source": source, **entry}
    else:
        updated.pop(doc_id, None)
    return updated


def apply(document, correction: dict | None):
    """Return the document with its corrected fields (unchanged without a correction)."""
    if not correction:
        return document
    fields = {field: correction[field] for field in FIELDS if field in correction}
    if "topics" in fields:
        fields["topics"] = tuple(fields["topics"])
    return replace(document, **fields)


def digest(corrections: dict[str, dict], source: str) -> str:
    """Return what a file's corrections add to its hash ("" when it has none)."""
    mine = {doc_id: entry for doc_id, entry in corrections.items() if entry.get("source") == source}
    if not mine:
        return ""
    return hashlib.sha1(json.dumps(mine, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:12]
