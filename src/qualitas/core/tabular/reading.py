"""Reading an uploaded CSV or XLSX file into rows of text, within limits.

A CSV is read row by row and reading stops at the row limit. An XLSX is a ZIP: its declared
uncompressed size is checked before anything is decompressed (a small file that unpacks to
gigabytes is refused), then the first worksheet is read by ``core.spreadsheet.worksheet_rows``
(the fast calamine path) and held to the same row limit.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualitas.core.tabular.export import FORMULA_START

_NOT_WORD = re.compile(r"[^0-9a-z]+")
MAX_ROWS = 5000
MAX_FILE_BYTES = 20 << 20  # 20 MB as uploaded
MAX_XLSX_BYTES = 64 << 20  # 64 MB unpacked


def restore(text: str) -> str:
    """Undo the export's neutraliser: ``'=SUM(A1)`` (an exported formula-like text) is ``=SUM(A1)``
    again. Other text is unchanged."""
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: dates as ISO dates, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return restore(str(value).strip())


def _too_many(max_rows: int) -> ValidationError:
    return ValidationError({"file": _("At most %(n)d rows per file.") % {"n": max_rows}})


def read_upload(
    name: str,
    content: bytes,
    *,
    max_rows: int = MAX_ROWS,
    max_xlsx_bytes: int = MAX_XLSX_BYTES,
) -> list[list[str]]:
    """The non-blank rows of a CSV (UTF-8; comma, semicolon or tab) or XLSX file as text, the
    header row first. Refuses (``ValidationError`` on ``file``) an unreadable file, an empty one,
    and one with more than ``max_rows`` data rows."""
    if name.lower().endswith(".xlsx") or content[:2] == b"PK":
        rows = _xlsx_rows(content, max_xlsx_bytes)
    else:
        rows = _csv_rows(content, max_rows)
    out = []
    for row in rows:
        texts = [cell_text(v) for v in row]
        if any(texts):
            out.append(texts)
            if len(out) > max_rows + 1:
                raise _too_many(max_rows)
    if not out:
        raise ValidationError({"file": _("The file has no rows.")})
    return out


def unpacked_size(content: bytes) -> int | None:
    """The declared uncompressed size of a ZIP (an XLSX), read before anything is decompressed;
    None when the content is no readable ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def check_unpacked_size(content: bytes, max_bytes: int) -> None:
    """Refuse a workbook that unpacks to more than ``max_bytes`` (a small file that unpacks to
    gigabytes); content that is no ZIP is left to the reader to refuse."""
    unpacked = unpacked_size(content)
    if unpacked is not None and unpacked > max_bytes:
        raise ValidationError(
            {"file": _("The workbook unpacks to more than %(mb)d MB.") % {"mb": max_bytes >> 20}}
        )


def _xlsx_rows(content: bytes, max_bytes: int) -> Any:
    from qualitas.core.spreadsheet import worksheet_rows

    unreadable = ValidationError({"file": _("This is not a readable XLSX workbook.")})
    if unpacked_size(content) is None:
        raise unreadable
    check_unpacked_size(content, max_bytes)
    try:
        return worksheet_rows(content, sheet="first")
    except Exception:  # openpyxl and the readers raise many kinds for a damaged workbook
        raise unreadable from None


def _csv_rows(content: bytes, max_rows: int) -> Any:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the CSV file as UTF-8.")}) from None
    dialect: Any = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append(row)
                if len(rows) > max_rows + 1:  # stop reading: the rest is never parsed
                    raise _too_many(max_rows)
    except csv.Error as exc:
        raise ValidationError(
            {"file": _("The CSV file could not be read: %(error)s.") % {"error": exc}}
        ) from None
    return rows


def column_name(header: str) -> str:
    """How a header is matched: lower case, every run of other characters one underscore
    ("Review interval (months)" and "review_interval_months" are the same column)."""
    return _NOT_WORD.sub("_", header.strip().lower()).strip("_")


def keyed(rows: list[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    """``(column names, [{column name: value}, ...])`` of the header row and the rows below it."""
    headers = [column_name(h) for h in rows[0]]
    return headers, [dict(zip(headers, r, strict=False)) for r in rows[1:]]
