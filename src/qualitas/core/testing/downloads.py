"""Reading CSV and XLSX downloads in tests, and the formula payloads every export must make inert."""

from __future__ import annotations

import csv
import io
from typing import Any

#: Text that a spreadsheet program runs as a formula (or DDE call) when it starts a cell.
FORMULA_PAYLOADS = ("=1+2", "+SUM(A1)", "-1", "@x", "\tx", "\rx")


def download_bytes(response: Any) -> bytes:
    """The body of a download, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def csv_rows(response: Any) -> list[list[str]]:
    text = download_bytes(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_cells(response: Any) -> list[Any]:
    """Every cell of every sheet as openpyxl reads it (``data_type`` "f" is a live formula)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(download_bytes(response)))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def assert_export_inert(test: Any, response: Any, fmt: str, payloads: tuple[str, ...] = FORMULA_PAYLOADS) -> None:
    """Each payload appears in the download, and only as inert text (a leading apostrophe, a text
    cell), never as a cell that starts like a formula."""
    test.assertEqual(response.status_code, 200)
    if fmt == "csv":
        cells = [c for row in csv_rows(response) for c in row]
        texts = cells
    else:
        found = xlsx_cells(response)
        for cell in found:
            test.assertNotEqual(cell.data_type, "f", f"live formula in {cell.coordinate}: {cell.value!r}")
        texts = [c.value for c in found if isinstance(c.value, str)]
    for text in texts:
        if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
            test.fail(f"formula-like cell {text!r} in the {fmt} export")
    for payload in payloads:
        test.assertTrue(
            any(t.startswith("'" + payload) for t in texts),
            f"{payload!r} is not in the {fmt} export as inert text",
        )


def _is_number(text: str) -> bool:
    if text != text.strip():
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True
