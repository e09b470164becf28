"""Reading CSV and XLSX downloads in tests, and the formula payloads every export must make inert."""

from __future__ import annotations

import csv
import io
from typing import Any

#: Text that a spreadsheet program runs as a formula (or DDE call) when it starts a cell.
FORMULA_PAYLOADS = ("=1+2", "+SUM(A1)", "-1", "@x", "\tx", "\rx")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook holding ``rows`` (for upload tests)."""
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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


def assert_export_inert(
    test: Any, response: Any, fmt: str, payloads: tuple[str, ...] = FORMULA_PAYLOADS
) -> None:
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
        # XML turns a carriage return into a line feed on reading: compare as read.
        texts = [c.value for c in found if isinstance(c.value, str)]
        payloads = tuple(p.replace("\r", "\n") for p in payloads)
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


class InertExportCase:
    """Mixin for a ``QualitasTestCase``: every export route of an area writes formula-like text as
    inert text, in CSV and XLSX. Configure ``make_payload_records(payloads)`` (records whose text
    fields hold the payloads, through services) and ``export_urls()`` (``[(url, fmt), ...]``)."""

    export_reader: str = "viewer"
    payloads: tuple[str, ...] = FORMULA_PAYLOADS

    def make_payload_records(self, payloads: tuple[str, ...]) -> None:
        raise AssertionError("configure make_payload_records(payloads)")

    def export_urls(self) -> list[tuple[str, str]]:
        raise AssertionError("configure export_urls()")

    def test_every_export_writes_formula_text_inert(self) -> None:
        from qualitas.core import audit

        with audit.context("cli"):
            self.make_payload_records(self.payloads)
        self.login(getattr(self, self.export_reader))  # type: ignore[attr-defined]
        for url, fmt in self.export_urls():
            with self.subTest(url=url, fmt=fmt):  # type: ignore[attr-defined]
                assert_export_inert(self, self.client.get(url), fmt, self.payloads)  # type: ignore[attr-defined]
