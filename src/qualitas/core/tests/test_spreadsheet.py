"""`core.spreadsheet.worksheet_rows` reads the same rows and values as openpyxl's read-only mode."""

import datetime as dt
import io
import zipfile
from typing import Any
from unittest import mock

from django.test import SimpleTestCase
from openpyxl import Workbook, load_workbook

from qualitas.core import spreadsheet
from qualitas.core.spreadsheet import worksheet_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# The first two rows both sheets share: shared and inline strings, rich text, a cached formula
# string, a number, a date style, a boolean.
SHEET_HEAD = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:E8"/><sheetData>
<row r="1" spans="1:5"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>
<c r="C1" t="inlineStr"><is><t>value</t></is></c><c r="D1" t="str"><f>"when"</f><v>when</v></c>
<c r="E1" t="inlineStr"><is><r><rPr><b/></rPr><t>no</t></r>
<r><t xml:space="preserve">te </t></r></is></c></row>
<row r="2"><c r="A2" s="0" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>L-1 &amp; co</t></is></c>
<c r="C2"><v>10.5</v></c><c r="D2" s="1"><v>45000</v></c><c r="E2" t="b"><v>1</v></c></row>
"""

# Written the way Excel writes (shared strings, rich text, styles, a dimension) plus every odd cell
# openpyxl's reader knows: inline and rich inline strings, phonetic runs, cached formula results,
# booleans, errors, ISO dates, date and duration styles, cells and rows without references, gaps,
# an empty row, a row past the dimension.
EXCEL_SHEET = f"""{SHEET_HEAD}
<row r="4"><c t="s"><v>3</v></c><c><v>7</v></c><c t="e"><v>#N/A</v></c><c s="2"><v>45000.5</v></c>
<c s="3"><v>1.25</v></c></row>
<row><c r="B5"><v>1E-3</v></c><c r="D5"><f>A1</f><v>3</v></c><c r="E5"><v/></c></row>
<row r="6"/>
<row r="7"><c r="A7" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r>
<rPh sb="0" eb="1"><t>x</t></rPh></is></c>
<c r="C7" t="d"><v>2024-01-02T03:04:05</v></c><c r="E7" t="n"><v>-0</v></c></row>
<row r="9"><c r="A9"><v>99</v></c></row>
</sheetData></worksheet>"""

FIRST_SHEET = f"""<worksheet xmlns="{MAIN}"><sheetData>
<row r="2"><c r="A2"><v>1</v></c><c r="C2"><v>2.5</v></c></row>
<row r="3"><c r="B3" t="inlineStr"><is><t>only b</t></is></c></row>
</sheetData></worksheet>"""

SHARED = f"""<sst xmlns="{MAIN}" count="4" uniqueCount="4"><si><t>characteristic</t></si><si><t>lot</t></si>
<si><r><rPr><b/></rPr><t>Bearing </t></r><r><t xml:space="preserve">seat diameter</t></r></si>
<si><t>R&amp;D</t><rPh sb="0" eb="1"><t>ignored</t></rPh></si></sst>"""

STYLES = f"""<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4">
<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/>
<xf numFmtId="46" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


# What python-calamine reads as openpyxl does: no error or ISO-date cells, whitespace preserved,
# date styles (built-in and custom) but no duration style.
CLEAN_SHEET = f"""{SHEET_HEAD}
<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4"><v>7</v></c><c r="C4" s="3"><v>45000.25</v></c>
<c r="D4" s="2"><v>45000.5</v></c><c r="E4" s="2"><v>0.75</v></c></row>
<row r="5"><c r="B5"><v>1E-3</v></c><c r="D5"><f>A1</f><v>3</v></c><c r="E5" s="1"/></row>
<row r="6"/>
<row r="7"><c r="A7" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r>
<rPh sb="0" eb="1"><t>x</t></rPh></is></c><c r="C7" t="b"><v>0</v></c><c r="E7" t="n"><v>0</v></c></row>
<row r="9"><c r="A9"><v>99</v></c></row>
</sheetData></worksheet>"""

CLEAN_SHARED = SHARED.replace("<t>Bearing </t>", '<t xml:space="preserve">Bearing </t>')

DATE_STYLES = f"""<styleSheet xmlns="{MAIN}"><numFmts count="1">
<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>
<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4">
<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/>
<xf numFmtId="164" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def workbook(
    sheets: list[str],
    *,
    active: int = 0,
    date1904: bool = False,
    prefix: str = "",
    styles: str = STYLES,
    shared: str = SHARED,
) -> bytes:
    """A workbook written by hand (as Excel or LibreOffice would), so no writer's habits hide a case."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="{int(date1904)}"/>'
            f'<bookViews><workbookView activeTab="{active}"/></bookViews>'
            f"<sheets>{entries}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        n = len(sheets)
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/styles.xml", styles)
        z.writestr("xl/sharedStrings.xml", shared)
        for i, sheet in enumerate(sheets, start=1):
            if prefix:
                sheet = sheet.replace(f'xmlns="{MAIN}"', f'xmlns:{prefix}="{MAIN}"')
                sheet = sheet.replace("<", f"<{prefix}:").replace(f"<{prefix}:/", f"</{prefix}:")
                sheet = sheet.replace(f"<{prefix}:?xml", "<?xml")
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
    return buf.getvalue()


def openpyxl_rows(data: bytes, sheet: str) -> list[Any]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.active if sheet == "active" else wb.worksheets[0]
    return list(ws.iter_rows(values_only=True))


class WorksheetRowsTests(SimpleTestCase):
    def assert_same(self, data: bytes, sheet: str = "active", *, by: str | None = None) -> list[Any]:
        """openpyxl's rows; ``by`` "calamine" or "expat": the reader that must have read the cells."""
        expected = openpyxl_rows(data, sheet)
        with mock.patch.object(spreadsheet, "parse_sheet", wraps=spreadsheet.parse_sheet) as expat:
            got = worksheet_rows(data, sheet=sheet)
        if by is not None:
            self.assertEqual("expat" if expat.called else "calamine", by)
        self.assertEqual(got, expected)
        self.assertEqual([type(v) for r in got for v in r], [type(v) for r in expected for v in r])
        return got

    def test_every_kind_of_cell_as_openpyxl_reads_it(self) -> None:
        data = workbook([FIRST_SHEET, EXCEL_SHEET], active=1)
        rows = self.assert_same(data)
        self.assertEqual(rows[0], ("characteristic", "lot", "value", "when", "note "))
        self.assertEqual(rows[1], ("Bearing seat diameter", "L-1 & co", 10.5, dt.datetime(2023, 3, 15), True))
        self.assertEqual(rows[3][:3], ("R&D", 7, "#N/A"))
        self.assertEqual(rows[3][4], dt.timedelta(hours=30))
        self.assertEqual(len(rows), 8)  # the row past the dimension is not read

    def test_the_first_worksheet_and_rows_without_a_dimension(self) -> None:
        data = workbook([FIRST_SHEET, EXCEL_SHEET], active=1)
        rows = self.assert_same(data, sheet="first")
        self.assertEqual(rows, [[], (1, None, 2.5), (None, "only b")])  # openpyxl: [] for a missing row

    def test_1904_dates(self) -> None:
        self.assert_same(workbook([EXCEL_SHEET], date1904=True))

    def test_a_prefixed_namespace_is_read_by_openpyxl(self) -> None:
        self.assert_same(workbook([EXCEL_SHEET], prefix="x"))

    def test_workbooks_written_by_openpyxl(self) -> None:
        for write_only in (True, False):
            wb = Workbook(write_only=write_only)
            ws = wb.create_sheet("data") if write_only else wb.active
            ws.append(["kpi", "period", "value", "note"])
            for i in range(300):
                ws.append([f"K{i % 7}", dt.date(2024, 1 + i % 12, 1), i / 7, None if i % 3 else "x < y & z"])
            ws.append([])
            ws.append([None, dt.datetime(2024, 5, 6, 7, 8, 9, 123000), True, 10**12])
            buf = io.BytesIO()
            wb.save(buf)
            with self.subTest(write_only=write_only):
                self.assert_same(buf.getvalue(), sheet="first")
                self.assert_same(buf.getvalue())

    def test_a_file_that_is_no_workbook_raises(self) -> None:
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as z:
            z.writestr("readme.txt", "no workbook here")
        for data in (b"PK\x03\x04 broken", b"not a zip at all", zipped.getvalue()):
            with self.subTest(data=data), self.assertRaises(Exception):  # noqa: B017
                worksheet_rows(data)

    def test_calamine_reads_what_it_reads_as_openpyxl_does(self) -> None:
        for date1904 in (False, True):
            data = workbook(
                [FIRST_SHEET, CLEAN_SHEET],
                active=1,
                date1904=date1904,
                styles=DATE_STYLES,
                shared=CLEAN_SHARED,
            )
            with self.subTest(date1904=date1904):
                rows = self.assert_same(data, by="calamine")
                self.assertEqual(
                    rows[1][3], dt.datetime(2027 if date1904 else 2023, 3, 16 if date1904 else 15)
                )
                self.assertEqual(rows[3][4], dt.time(18))
                self.assertEqual(len(rows), 8)  # the row past the dimension is not read
                self.assert_same(data, sheet="first", by="calamine")  # no dimension

    def test_what_calamine_reads_differently_is_read_with_expat(self) -> None:
        clean = {"styles": DATE_STYLES, "shared": CLEAN_SHARED}
        cases = {
            "error cell": (
                CLEAN_SHEET.replace('<c r="B4"><v>7</v>', '<c r="B4" t="e"><v>#DIV/0!</v>'),
                clean,
            ),
            "ISO date": (CLEAN_SHEET.replace('t="b"><v>0</v>', 't="d"><v>2024-01-02T03:04:05</v>'), clean),
            "integral decimal": (CLEAN_SHEET.replace("<v>7</v>", "<v>7.0</v>"), clean),
            "integral exponent": (CLEAN_SHEET.replace("<v>7</v>", "<v>7E2</v>"), clean),
            "large integer": (CLEAN_SHEET.replace("<v>7</v>", "<v>12345678901234567890</v>"), clean),
            "negative date": (CLEAN_SHEET.replace('t="n"><v>0</v>', 't="n"><v>-1</v>'), clean),
            "number past the dates": (CLEAN_SHEET.replace("<v>7</v>", "<v>3000000.5</v>"), clean),
            "unpreserved whitespace": (CLEAN_SHEET.replace("<t>value</t>", "<t> value</t>"), clean),
            "empty inline string": (CLEAN_SHEET.replace("<t>value</t>", "<t/>"), clean),
            "escaped character": (CLEAN_SHEET.replace("<t>value</t>", "<t>a_x000D_b</t>"), clean),
            "empty shared string": (
                CLEAN_SHEET,
                {**clean, "shared": CLEAN_SHARED.replace("<t>lot</t>", "<t/>")},
            ),
            "shared whitespace": (CLEAN_SHEET, {**clean, "shared": SHARED}),
            "duration style": (CLEAN_SHEET, {"shared": CLEAN_SHARED}),
            "row out of order": (CLEAN_SHEET.replace('<row r="9">', '<row r="3">'), clean),
            "row without number": (CLEAN_SHEET.replace('<row r="9">', "<row>"), clean),
            "cell without value, no dimension": (FIRST_SHEET.replace("<v>2.5</v>", "<v/>"), clean),
        }
        for case, (sheet_xml, kwargs) in cases.items():
            with self.subTest(case):
                self.assert_same(workbook([sheet_xml], **kwargs), by="expat")

    def test_custom_number_formats_are_dates_as_openpyxl_takes_them(self) -> None:
        formats = [
            "yyyy-mm-dd", "dd/mm/yyyy", "h:mm AM/PM", "[$-409]mmmm d, yyyy", '0.00" mm"', "#,##0.00",
            '"Y "0', "0_)", "\\d0", "[h]:mm", "[Red]0.00", "0.0%", "General", "@", "mm:ss.0", 'd"d"',
        ]  # fmt: skip
        for code in formats:
            styles = DATE_STYLES.replace("yyyy\\-mm\\-dd\\ hh:mm", code.replace('"', "&quot;"))
            with self.subTest(code):
                self.assert_same(workbook([CLEAN_SHEET], styles=styles, shared=CLEAN_SHARED))

    def test_random_workbooks_written_by_openpyxl(self) -> None:
        import random

        rnd = random.Random(7)
        kinds = [
            lambda: None,
            lambda: rnd.randint(-(10**6), 10**6),
            lambda: round(rnd.uniform(-1000, 1000), rnd.randint(0, 6)),
            lambda: float(rnd.randint(0, 99)),
            lambda: rnd.choice(["x", "Größe", " lead", "trail ", "a\nb", "R&D <1>", "1.0", "_x000D_"]),
            lambda: rnd.random() < 0.5,
            lambda: dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randint(0, 20000)),
            lambda: dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rnd.randint(0, 10**8)),
            lambda: dt.time(rnd.randint(0, 23), rnd.randint(0, 59)),
        ]
        for trial in range(12):
            wb = Workbook(write_only=trial % 2 == 0)
            ws = wb.create_sheet("data") if trial % 2 == 0 else wb.active
            chosen = rnd.sample(kinds, rnd.randint(1, 4))
            for _ in range(rnd.randint(0, 40)):
                ws.append([rnd.choice(chosen)() for _ in range(rnd.randint(0, 6))])
            buf = io.BytesIO()
            wb.save(buf)
            with self.subTest(trial=trial):
                self.assert_same(buf.getvalue())
