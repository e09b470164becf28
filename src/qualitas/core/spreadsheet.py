"""Read the cell values of one XLSX worksheet, fast.

``openpyxl``'s read-only ``load_workbook`` + ``iter_rows(values_only=True)`` spends ~10–20 µs per
cell in Python and, for a sheet without ``<dimension>`` (openpyxl's own write-only files), parses the
whole sheet once more to size it. :func:`worksheet_rows` returns the same rows with the same values:
openpyxl's reader still opens the workbook (sheet order and active sheet, styles and so date formats,
the 1900/1904 epoch), and the cells of the one sheet are read by python-calamine (Rust): 50,000 rows
of three columns in 0.6–0.9 s instead of 1.4 s with expat on the shared 2-core machine (load ~3).

calamine's values are not openpyxl's everywhere: it reads every number as a float, gives "" for an
empty cell, an error cell and an empty string alike, trims ``<t>`` text that is not
``xml:space="preserve"``, converts dates by its own rules (whole serials to ``date``, no ``#VALUE!``
past 9999, durations rounded otherwise) and reads rows past the ``<dimension>``. So whole floats become
ints, "" None, dates ``datetime`` and the rows are laid out as openpyxl lays them out, after cheap
byte scans of the sheet XML (:func:`_check_xml`) have ruled out what calamine's grid cannot tell
apart: error and ISO-date cells, whole numbers written as decimals ("7.0", "7E2"), integers past
2**53, empty or untrimmed strings, ``_xHHHH_`` escapes, negative numbers beside date styles, duration
styles, date styles the two readers classify differently, rows without numbers or out of order, and
(with no ``<dimension>``) valueless cells that set a row's width. Such a sheet is read as before:
with expat, converted exactly as openpyxl's ``WorkSheetParser`` converts cells with
``data_only=True`` (~4 µs per cell), and a sheet that expat reader does not expect (a prefixed
namespace) by openpyxl itself (``core/tabular/expat_sheet.py``). Tests compare the readers on
workbooks with every kind of cell.

``paused_gc`` is for any bulk reader or writer that builds hundreds of thousands of rows.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import itertools
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qualitas.core.tabular.expat_sheet import MAIN_NS, Unsupported, layout, openpyxl_rows, parse_sheet


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a bulk reader or writer builds hundreds of thousands of
    rows (tuples, dicts) that hold no cycles: each collection would walk them all again. 10–30 % of
    an import or export; reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_ROOT_PREFIXED = re.compile(rb"<[\w.-]+:worksheet[\s>]")
_ERROR_OR_ISO = re.compile(rb"t\s*=\s*[\"'][ed][\"']")
_ODD_TEXT = re.compile(rb"<t>(?:\s|[^<]*\s</t>)")  # whitespace that calamine trims
_ODD_VALUE = re.compile(rb"<v>(?:\s|[^<]*\s</v>)")
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_EMPTY_STRINGS = (b"<t/>", b"<t></t>", b'<t xml:space="preserve"></t>', b"<si/>", b"<si></si>")
_T_ATTRS = re.compile(rb"<t(\s[^>]*)>")
_INTEGRAL_DECIMAL = re.compile(rb"<v>[-+]?\d*\.0*</v>")  # "10.0": a float to openpyxl
_EXPONENT = re.compile(rb"<v>([^<]*[eE][^<]*)</v>")
_NEGATIVE = re.compile(rb"<v>-")
_DIMENSION = re.compile(rb"<dimension\s+ref\s*=\s*[\"']([^\"']*)[\"']")
_ROW_NUMBER = re.compile(rb"<row\s[^>]*?(?<=\s)r\s*=\s*[\"'](\d+)[\"']")
_CALAMINE_BUILTIN_DATES = {**dict.fromkeys((*range(14, 23), 45, 47), "date"), 46: "timedelta"}
_MAX_EXACT = 2.0**53
_LAST_SERIAL = 2958465.0  # 9999-12-31: openpyxl gives "#VALUE!" past it, calamine the number


class _NotExact(Exception):
    """calamine's value would differ from openpyxl's: the expat reader reads the sheet instead."""


def _calamine_date_format(code: str) -> str | None:
    """calamine's ``detect_custom_number_format``: "date", "timedelta" or None."""
    escaped = is_quote = ap = hms = False
    brackets = 0
    prev = " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":
            escaped = True
        elif is_quote:
            if ch == '"':
                is_quote = False
        elif ch == '"':
            is_quote = True
        elif ch == ";":
            return None
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return "timedelta"
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ap and brackets == 0:
            ap = True
        elif brackets == 0 and ch in ("pm/PM" if ap else "dmhysDMHYS"):
            return "date"
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return None


def _dates_agree(reader: Any) -> bool:
    """Whether calamine and openpyxl take the same cell styles for dates (and none for durations,
    which the two round differently)."""
    from xml.etree import ElementTree

    from openpyxl.xml.constants import ARC_STYLE

    wb = reader.wb
    if wb._timedelta_formats:
        return False
    if not wb._date_formats:
        return True  # and any date calamine returns makes the sheet fall back
    try:
        root = ElementTree.fromstring(reader.archive.read(ARC_STYLE))
    except KeyError:
        return False
    ns = f"{{{MAIN_NS}}}"
    custom = {
        int(n.get("numFmtId", "-1")): n.get("formatCode", "")
        for n in root.iterfind(f"{ns}numFmts/{ns}numFmt")
    }
    if any(i < 164 for i in custom):
        return False
    dates = set()
    for idx, xf in enumerate(root.iterfind(f"{ns}cellXfs/{ns}xf")):
        fmt_id = int(xf.get("numFmtId", "0"))
        if fmt_id in custom:
            kind = _calamine_date_format(custom[fmt_id])
        else:
            kind = _CALAMINE_BUILTIN_DATES.get(fmt_id)
        if kind == "timedelta":
            return False
        if kind == "date":
            dates.add(idx)
    return bool(dates == wb._date_formats)


def _check_xml(xml: bytes, strings: bytes, has_dates: bool) -> None:
    """Raise :class:`_NotExact` for what calamine reads differently from openpyxl."""
    head = xml[:4096]
    if _ROOT_PREFIXED.search(head) or b"<worksheet" not in head:
        raise _NotExact("prefixed namespace")
    if _ERROR_OR_ISO.search(xml):
        raise _NotExact("error or ISO date cells")
    for part in (xml, strings):
        if (
            _ODD_TEXT.search(part)
            or _ESCAPE.search(part)
            or b"<![CDATA[" in part
            or any(empty in part for empty in _EMPTY_STRINGS)
        ):
            raise _NotExact("text calamine reads differently")
        if any(attrs.strip() != b'xml:space="preserve"' for attrs in set(_T_ATTRS.findall(part))):
            raise _NotExact("<t> attributes")
    if _ODD_VALUE.search(xml) or _INTEGRAL_DECIMAL.search(xml):
        raise _NotExact("an integral decimal")
    for text in _EXPONENT.findall(xml):
        try:
            number = float(text)
        except ValueError:
            continue
        if not math.isfinite(number) or number.is_integer():
            raise _NotExact("an integral exponent")
    if has_dates and _NEGATIVE.search(xml):
        raise _NotExact("negative numbers beside dates")


def _calamine_cell(value: Any, has_dates: bool) -> Any:
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        if value.is_integer():
            if abs(value) >= _MAX_EXACT:
                raise _NotExact("a large integer")
            return int(value)
        if has_dates and abs(value) >= _LAST_SERIAL:
            raise _NotExact("a number past the last date")
        return value
    if kind is bool or kind is int:
        return value
    if not has_dates or kind is dt.timedelta:
        raise _NotExact(f"a {kind.__name__} openpyxl does not read")
    if kind is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value  # datetime.datetime, datetime.time


def _calamine_rows(data: bytes, reader: Any, path: str, name: str) -> list[tuple[Any, ...]] | None:
    """The rows as :func:`layout` lays them out, read by python-calamine, or None when the sheet
    has something calamine reads differently from openpyxl (see :func:`_check_xml`)."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.constants import SHARED_STRINGS
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    if not _dates_agree(reader):
        return None
    has_dates = bool(reader.wb._date_formats)
    xml = reader.archive.read(path)
    part = reader.package.find(SHARED_STRINGS)
    strings = reader.archive.read(part.PartName[1:]) if part is not None else b""
    try:
        _check_xml(xml, strings, has_dates)
        sheet_data = xml.find(b"<sheetData")
        match = _DIMENSION.search(xml, 0, sheet_data if sheet_data >= 0 else len(xml))
        numbers = [int(n) for n in _ROW_NUMBER.findall(xml)]
        rows = sum(map(xml.count, (b"<row ", b"<row>", b"<row/>")))
        if len(numbers) != rows or any(a >= b for a, b in itertools.pairwise(numbers)):
            raise _NotExact("rows without numbers or out of order")
        max_col = max_row = None
        if match and match.group(1):
            _min_col, _min_row, max_col, max_row = range_boundaries(match.group(1).decode())
        elif sum(map(xml.count, (b"<c ", b"<c>", b"<c/>"))) != (
            xml.count(b"<v>") - xml.count(b"<v></v>") + xml.count(b"<is>")
        ):
            raise _NotExact("cells without values set row widths")  # only without a dimension
        try:
            with CalamineWorkbook.from_object(io.BytesIO(data)) as book:
                if name not in book.sheet_names:
                    raise _NotExact("sheet not found")
                if book.sheets_metadata[book.sheet_names.index(name)].typ != SheetTypeEnum.WorkSheet:
                    raise _NotExact("not a worksheet")
                grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise _NotExact(str(exc)) from exc
        return _calamine_layout(grid, numbers, max_col, max_row, has_dates)
    except _NotExact:
        return None


def _calamine_layout(
    grid: list[list[Any]], numbers: list[int], max_col: int | None, max_row: int | None, has_dates: bool
) -> list[tuple[Any, ...]]:
    """:func:`layout` of calamine's grid (row ``i`` is sheet row ``i + 1``, from column A; ``""``
    where there is no value): ``numbers`` are the sheet's ``<row>`` numbers in order."""
    if not numbers:
        return []
    last = numbers[-1] if max_row is None else min(numbers[-1], max_row)
    cell = _calamine_cell  # for what the comprehensions do not keep as it is
    lim = _LAST_SERIAL if has_dates else math.inf
    out: list[tuple[Any, ...]] = []
    if max_col is not None:
        empty = (None,) * max_col
        for i in range(last):
            row = grid[i] if i < len(grid) else ()
            if not row:
                out.append(empty)
                continue
            values = [
                v
                if ((k := type(v)) is str and v) or (k is float and not v.is_integer() and -lim < v < lim)
                else cell(v, has_dates)
                for v in row[:max_col]
            ]
            if len(values) < max_col:
                values.extend(empty[len(values) :])
            out.append(tuple(values))
        return out
    present = set(numbers)
    for i in range(last):
        if i + 1 not in present:
            out.append([])  # type: ignore[arg-type]  # openpyxl's empty row without a dimension
            continue
        row = grid[i] if i < len(grid) else []
        width = len(row)
        while width and row[width - 1] == "":
            width -= 1
        out.append(
            tuple(
                [
                    v
                    if ((k := type(v)) is str and v) or (k is float and not v.is_integer() and -lim < v < lim)
                    else cell(v, has_dates)
                    for v in row[:width]
                ]
            )
        )
    return out


def worksheet_rows(data: bytes, *, sheet: str = "active") -> list[tuple[Any, ...]]:
    """The rows of the workbook's active (``sheet="active"``) or first (``"first"``) worksheet, as
    ``list(load_workbook(..., read_only=True, data_only=True)[sheet].iter_rows(values_only=True))``
    gives them. Raises (openpyxl's exceptions, ``ValueError``, ``ExpatError``) for a file that is not
    a readable workbook or has no such worksheet.

    openpyxl's reader opens the workbook (sheet order, active sheet, styles, epoch); the cells are
    read by python-calamine when :func:`_calamine_rows` can prove that it gives openpyxl's values
    for this sheet, else with expat (:func:`parse_sheet`)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.utils.cell import range_boundaries

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    wb = reader.wb
    # wb._sheets as ExcelReader.read_worksheets fills it: (is a worksheet, part name, sheet name)
    sheets = [
        ("chartsheet" not in rel.Type, rel.target, ws.name)
        for ws, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files
    ]
    if sheet == "active":
        try:
            is_worksheet, path, name = sheets[wb._active_sheet_index]
        except IndexError:
            raise ValueError("the workbook has no active sheet") from None
        if not is_worksheet:
            raise ValueError("the active sheet is a chart")
    else:
        found = [(path, name) for is_worksheet, path, name in sheets if is_worksheet]
        if not found:
            raise ValueError("the workbook has no worksheet")
        path, name = found[0]
    rows = _calamine_rows(data, reader, path, name)
    if rows is not None:
        return rows
    reader.read_strings()
    try:
        with reader.archive.open(path) as fh:
            parsed, dimension = parse_sheet(
                fh, reader.shared_strings, wb._date_formats, wb._timedelta_formats, wb.epoch
            )
    except Unsupported:
        return openpyxl_rows(data, sheet)
    max_col = max_row = None
    if dimension:
        _min_col, _min_row, max_col, max_row = range_boundaries(dimension)
    return layout(parsed, max_col, max_row)
