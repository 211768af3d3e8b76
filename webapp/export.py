"""Export search results as CSV (UTF-8 with BOM, opens in Excel) or XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io

from indexer.query.results import Hit

COLUMNS = ("标题", "文种", "省份", "城市", "年份", "日期", "主题", "章节", "段落", "来源文件", "链接")
MAX_ROWS = 1000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """Return a cell value that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows(hits: list[Hit], link) -> list[list[str]]:
    """Return one row per passage; ``link(hit)`` gives the passage's URL."""
    return [
        [
            cell(value)
            for value in (
                hit.title,
                hit.doc_type,
                hit.province,
                hit.city,
                hit.year,
                hit.date,
                "、".join(hit.topics),
                hit.section,
                hit.text,
                hit.source,
                link(hit),
            )
        ]
        for hit in hits
    ]


def to_csv(table: list[list[str]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """Return CSV bytes with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download(
    table: list[list[str]], fmt: str, *, name: str, columns: tuple[str, ...] = COLUMNS, sheet: str = "检索结果"
):
    """Return a Flask response with the table as an attachment: ``fmt`` csv or xlsx, file ``union-NAME.fmt``."""
    from flask import Response

    if fmt == "csv":
        body, mimetype = to_csv(table, columns), "text/csv"
    else:
        body = to_xlsx(table, columns, sheet=sheet)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=union-{name}.{fmt}"
    return response


def to_xlsx(table: list[list[str]], columns: tuple[str, ...] = COLUMNS, *, sheet: str = "检索结果") -> bytes:
    """Return XLSX bytes with a header row."""
    # Imported here: openpyxl loads lxml, which the server otherwise never needs.
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(columns))
    for row in table:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
