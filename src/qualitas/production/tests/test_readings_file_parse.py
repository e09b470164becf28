"""The column-wise `parse_readings` reads every file exactly as the row-by-row version did: the same
rows for a good file, the same messages (file row numbers, at most 200) for a bad one."""

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.production import imports
from qualitas.production.models import Characteristic, Lot
from qualitas.production.services import check_rows
from qualitas.production.tests.factories import make_characteristic, make_lot


def reference_parse(organization: Any, product: Any, upload: Any) -> list[dict[str, Any]]:
    """The implementation before the column-wise one (csv.DictReader, a dict and four _number calls
    per row), kept as the reference."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError(
                {"file": f"This is not a readable XLSX file ({exc.__class__.__name__})."}
            ) from None
        table = list(wb.active.iter_rows(values_only=True))
        if not table:
            raw_rows: list[dict[Any, Any]] = []
        else:
            header = [str(h or "").strip().lower() for h in table[0]]
            raw_rows = [
                dict(zip(header, r, strict=False)) for r in table[1:] if any(v is not None for v in r)
            ]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The CSV file must be UTF-8 text."}) from None
        try:
            dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        reader.fieldnames = [(f or "").strip().lower() for f in (reader.fieldnames or [])]
        raw_rows = [r for r in reader if any((v or "").strip() for v in r.values() if isinstance(v, str))]
    if not raw_rows:
        raise ValidationError({"rows": ["The file has no data rows."]})
    missing = {"characteristic", "lot"} - set(raw_rows[0])
    if missing:
        raise ValidationError({"rows": [f"Missing column(s): {', '.join(sorted(missing))}."]})
    chars = {
        c.name.lower(): c for c in Characteristic.objects.filter(organization=organization, product=product)
    }
    lots = {lot.number: lot for lot in Lot.objects.filter(organization=organization, product=product)}
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for i, raw in enumerate(raw_rows, start=2):
        ch = chars.get(str(raw.get("characteristic") or "").strip().lower())
        lot = lots.get(str(raw.get("lot") or "").strip())
        if ch is None:
            errors.append(
                f"Row {i}: no characteristic “{raw.get('characteristic')}” on {product.part_number}."
            )
        if lot is None:
            errors.append(f"Row {i}: no lot “{raw.get('lot')}” of {product.part_number}.")
        try:
            value = imports._number(raw.get("value"))
            defects = imports._number(raw.get("defects"), integer=True)
            sample = imports._number(raw.get("sample_size"), integer=True)
            subgroup = imports._number(raw.get("subgroup"), integer=True)
        except (TypeError, ValueError):
            errors.append(f"Row {i}: a number could not be read.")
            continue
        if ch is not None and lot is not None:
            rows.append(
                {
                    "characteristic": ch,
                    "lot": lot,
                    "value": value,
                    "defects": defects,
                    "sample_size": sample,
                    "subgroup": subgroup,
                    "_line": i,
                }
            )
        if len(errors) >= 200:
            errors.append("… more errors not shown.")
            break
    if errors:
        raise ValidationError({"rows": errors})
    check_rows(organization, rows)
    return rows


def xlsx(rows: list[list[Any]], *, write_only: bool = False) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("readings") if write_only else wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class ParseReadingsTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"):
            cls.ch = make_characteristic(cls.org_a, cls.manager, name="Diameter", signal_action="none")
            cls.product = cls.ch.product
            cls.visual = make_characteristic(
                cls.org_a, cls.manager, product=cls.product, name="Visual", kind="attribute",
                nominal=None, lsl=None, usl=None, chart_type="np", acceptance_number=0,
            )  # fmt: skip
            make_lot(cls.org_a, cls.manager, product=cls.product, number="L-1")
            make_lot(cls.org_a, cls.manager, product=cls.product, number="1234")

    def outcome(self, parse: Any, name: str, data: bytes) -> Any:
        try:
            rows = parse(self.org_a, self.product, SimpleUploadedFile(name, data))
        except ValidationError as exc:
            return ("error", exc.message_dict)
        return ("rows", [{k: getattr(v, "pk", v) for k, v in r.items()} for r in rows])

    def assert_same(self, name: str, data: bytes) -> Any:
        expected = self.outcome(reference_parse, name, data)
        got = self.outcome(imports.parse_readings, name, data)
        self.assertEqual(got, expected)
        return got

    CSV_FILES = {
        "plain": "characteristic,lot,value\nDiameter,L-1,10.01\ndiameter ,L-1, 9.99 \n",
        "semicolons and decimal commas": "Characteristic;Lot;Value\nDiameter;L-1;10,01\nDiameter;L-1;9,98\n",
        "tabs, blank lines and a BOM": "\ufeffcharacteristic\tlot\tvalue\n\nDiameter\tL-1\t10\n\n\t\t\n",
        "every column": "characteristic,lot,value,defects,sample_size,subgroup\n"
        "Diameter,L-1,10.0,,,3\nDiameter,L-1,10.02,,1,3\nVisual,L-1,,0,50,\nVisual,1234,,2,50,\n",
        "a repeated column name": "characteristic,lot,value,value\nDiameter,L-1,1,10.0\nDiameter,L-1,2\n",
        "short and long rows": "characteristic,lot,value\nDiameter,L-1\nDiameter,L-1,10,extra,more\n",
        "unknown names": "characteristic,lot,value\nRoundness,L-1,1\nDiameter,L-9,1\n,,\nVisual,,3\n",
        "unreadable numbers": "characteristic,lot,value,defects\nDiameter,L-1,ten,\nVisual,L-1,,1.5\n"
        "Visual,L-1,,-1\nDiameter,L-1,1e400,\nDiameter,L-1,nan,\n",
        "missing values": "characteristic,lot,value,defects,sample_size\nDiameter,L-1,,,\nVisual,L-1,,,0\n",
        "missing columns": "characteristic,value\nDiameter,10\n",
        "header only": "characteristic,lot,value\n",
        "blank first line": "\ncharacteristic,lot,value\nDiameter,L-1,10\n",
        "empty": "",
    }

    def test_csv_files_read_as_before(self) -> None:
        for label, text in self.CSV_FILES.items():
            with self.subTest(label):
                self.assert_same("readings.csv", text.encode())
        many = "characteristic,lot,value\n" + "Nope,L-1,1\n" * 300
        got = self.assert_same("many.csv", many.encode())
        self.assertEqual(len(got[1]["rows"]), 201)  # 200 errors and "… more errors not shown."

    def test_a_good_file_gives_the_rows_in_file_order(self) -> None:
        kind, rows = self.assert_same("readings.csv", self.CSV_FILES["every column"].encode())
        self.assertEqual(kind, "rows")
        self.assertEqual([r["_line"] for r in rows], [2, 3, 4, 5])
        self.assertEqual(rows[2]["defects"], 0)
        self.assertEqual(rows[3]["lot"], Lot.objects.get(organization=self.org_a, number="1234").pk)

    def test_xlsx_files_read_as_before(self) -> None:
        header = ["Characteristic", "Lot", "Value", "Sample_size"]
        cases = {
            "plain": [header, ["Diameter", "L-1", 10.01, None], ["Diameter", "L-1", 10, 2]],
            "a numeric lot number": [header, ["Visual", 1234, None, 5], ["Diameter", 1234.0, 10, None]],
            "blank rows and text numbers": [header, [], ["Diameter", "L-1", "10,02", None], [None, None]],
            "errors": [header, ["Diameter", "L-2", "x", None], ["Roundness", "L-1", True, None]],
            "short first row": [header, ["Diameter"], ["Diameter", "L-1", 10]],
            "only a header": [header],
        }
        for label, rows in cases.items():
            for write_only in (False, True):
                with self.subTest(label, write_only=write_only):
                    self.assert_same("readings.xlsx", xlsx(rows, write_only=write_only))
        self.assert_same("readings.xlsx", b"PK\x03\x04 not really a workbook")

    def test_an_infinite_count_is_a_row_error_not_a_crash(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            imports.parse_readings(
                self.org_a,
                self.product,
                SimpleUploadedFile("r.csv", b"characteristic,lot,defects\nVisual,L-1,inf\n"),
            )
        self.assertEqual(ctx.exception.message_dict["rows"], ["Row 2: a number could not be read."])

    def test_a_file_the_csv_module_cannot_read_is_a_file_error(self) -> None:
        huge = b"characteristic,lot\n" + b"x" * 200_000 + b",L-1\n"  # past csv.field_size_limit()
        with self.assertRaises(ValidationError) as ctx:
            imports.parse_readings(self.org_a, self.product, SimpleUploadedFile("r.csv", huge))
        self.assertIn("file", ctx.exception.message_dict)

    def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(self) -> None:
        from unittest import mock

        data = xlsx([["characteristic", "lot", "value"], ["Diameter", "L-1", 10.0]])
        with mock.patch.object(imports, "MAX_XLSX_BYTES", 1000), self.assertRaises(ValidationError) as ctx:
            imports.parse_readings(self.org_a, self.product, SimpleUploadedFile("r.xlsx", data))
        self.assertIn("unpacks to more than", ctx.exception.message_dict["file"][0])
