"""The exact XLSX sheet reader behind ``core.spreadsheet.worksheet_rows`` when calamine cannot prove
that it gives openpyxl's values: expat over the sheet XML, cells converted as openpyxl's
``WorkSheetParser`` converts them with ``data_only=True``, rows laid out as its read-only sheet lays
them out, and openpyxl itself for a sheet this reader does not expect."""

from __future__ import annotations

import io
import warnings
from typing import Any
from xml.parsers import expat

from openpyxl.utils.datetime import from_excel, from_ISO8601

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SEP = "\x01"
_ROW, _C, _V, _IS, _T, _RPH = (MAIN_NS + _SEP + n for n in ("row", "c", "v", "is", "t", "rPh"))


def _column(ref: str) -> int:
    """1-based column of a cell reference ("C12" -> 3)."""
    n = 0
    for ch in ref.upper():
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n


def _cast_number(value: str) -> int | float:
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


class Unsupported(Exception):
    """The sheet is not written the way this reader expects; openpyxl reads it instead."""


def parse_sheet(
    fh: Any, shared: list[Any], date_formats: Any, timedelta_formats: Any, epoch: Any
) -> tuple[list[tuple[int, list[tuple[int, Any]]]], str | None]:
    """``(row index, [(column, value), ...])`` for every ``<row>``, converted like openpyxl's
    ``WorkSheetParser.parse_cell`` with ``data_only=True``, and the ``<dimension ref>``. Element
    names are matched with the prefix that the root element binds to the SpreadsheetML namespace
    (namespace processing in expat costs a third of the parse)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.ordered_attributes = True
    rows: list[tuple[int, list[tuple[int, Any]]]] = []
    text: list[str] = []
    collect = text.append
    # State of the element being read (closures over locals are the cheapest handlers).
    cells: list[tuple[int, Any]] | None = None
    row_counter = col_counter = 0
    in_cell = in_is = False
    in_rph = 0
    ctype, style, ref = "n", 0, ""
    value: str | None = None
    inline: list[str] | None = None
    dimension: str | None = None
    tag_c = tag_row = tag_v = tag_is = tag_t = tag_rph = tag_dim = ""

    def root(name: str, attrs: list[str]) -> None:
        nonlocal tag_c, tag_row, tag_v, tag_is, tag_t, tag_rph, tag_dim
        prefix, _, local = name.rpartition(":")
        declared = dict(zip(attrs[::2], attrs[1::2], strict=True))
        if local != "worksheet" or declared.get(f"xmlns:{prefix}" if prefix else "xmlns") != MAIN_NS:
            raise Unsupported(name)
        p = f"{prefix}:" if prefix else ""
        tag_c, tag_row, tag_v, tag_is, tag_t, tag_rph, tag_dim = (
            p + n for n in ("c", "row", "v", "is", "t", "rPh", "dimension")
        )
        parser.StartElementHandler = start
        parser.EndElementHandler = end

    def start(name: str, attrs: list[str]) -> None:
        nonlocal cells, row_counter, col_counter, in_cell, in_is, in_rph, ctype, style, ref, value, inline
        nonlocal dimension
        if name == tag_c:
            if cells is None:
                return
            in_cell = True
            ctype, style, ref = "n", 0, ""
            for i in range(0, len(attrs), 2):
                key = attrs[i]
                if key == "r":
                    ref = attrs[i + 1]
                elif key == "t":
                    ctype = attrs[i + 1]
                elif key == "s":
                    style = int(attrs[i + 1]) if attrs[i + 1] else 0
            value = inline = None
        elif not in_cell:
            if name == tag_row:
                r = None
                for i in range(0, len(attrs), 2):
                    if attrs[i] == "r":
                        r = attrs[i + 1]
                if r is not None:
                    try:
                        row_counter = int(r)
                    except ValueError:
                        val = float(r)
                        if not val.is_integer():
                            raise ValueError(f"{r} is not a valid row number") from None
                        row_counter = int(val)
                else:
                    row_counter += 1
                col_counter = 0
                cells = []
            elif name == tag_dim and dimension is None and not rows:
                for i in range(0, len(attrs), 2):
                    if attrs[i] == "ref":
                        dimension = attrs[i + 1]
        elif name == tag_v:
            if not in_is:
                text.clear()
                parser.CharacterDataHandler = collect
        elif name == tag_is:
            in_is = True
            if inline is None:  # the first <is> of the cell counts (element.find)
                inline = []
        elif name == tag_rph:
            in_rph += 1
        elif name == tag_t and in_is and not in_rph:
            text.clear()
            parser.CharacterDataHandler = collect

    def end(name: str) -> None:
        nonlocal cells, col_counter, in_cell, in_is, in_rph, value
        if name == tag_c:
            if not in_cell:
                return
            in_cell = False
            v: Any = None if ctype == "inlineStr" else (value or None)
            if ref:
                first = ref[0]
                column = ord(first) - 64 if "A" <= first <= "Z" and ref[1:2].isdigit() else _column(ref)
                col_counter = column
            else:
                col_counter += 1
                column = col_counter
            if v is not None:
                if ctype == "n":
                    v = _cast_number(v)
                    if style in date_formats:
                        try:
                            v = from_excel(v, epoch, timedelta=style in timedelta_formats)
                        except (OverflowError, ValueError):
                            warnings.warn(
                                f"Cell {ref} is marked as a date but the serial value {v} is outside the "
                                "limits for dates. The cell will be treated as an error.",
                                stacklevel=1,
                            )
                            v = "#VALUE!"
                elif ctype == "s":
                    v = shared[int(v)]
                elif ctype == "b":
                    v = bool(int(v))
                elif ctype == "d":
                    v = from_ISO8601(v)
            elif ctype == "inlineStr" and inline is not None:
                v = "".join(inline)
            cells.append((column, v))  # type: ignore[union-attr]
        elif name == tag_row:
            if cells is not None and not in_cell:
                rows.append((row_counter, cells))
                cells = None
        elif not in_cell:
            return
        elif name == tag_v:
            if not in_is:
                parser.CharacterDataHandler = None
                if value is None:  # element.findtext: the first <v>
                    value = "".join(text)
        elif name == tag_t:
            if in_is and not in_rph:
                parser.CharacterDataHandler = None
                if inline is not None:
                    inline.append("".join(text))
        elif name == tag_rph:
            in_rph -= 1
        elif name == tag_is:
            in_is = False

    parser.StartElementHandler = root
    parser.ParseFile(fh)
    return rows, dimension


# --- python-calamine -----------------------------------------------------------------------------
# calamine gives every cell of its grid a value ("" for an empty cell, an error cell or an empty
# string), reads every number as a float, trims <t> text that is not xml:space="preserve", decodes no
# _xHHHH_ escapes the way openpyxl does, converts dates with its own rules and reads rows past the
# <dimension>. Where a sheet could tell these apart, the expat reader reads it instead.


def openpyxl_rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.active if sheet == "active" else wb.worksheets[0]
    return list(ws.iter_rows(values_only=True))


def layout(
    parsed: list[tuple[int, list[tuple[int, Any]]]], max_col: int | None, max_row: int | None
) -> list[tuple[Any, ...]]:
    """openpyxl's ``ReadOnlyWorksheet._cells_by_row`` + ``_get_row`` (min_row = min_col = 1): missing
    rows as empty rows, each row as wide as the sheet's dimension (or as its last cell)."""
    empty_row: tuple[Any, ...] | list[Any] = (None,) * max_col if max_col is not None else []
    out: list[tuple[Any, ...]] = []
    counter = 1
    idx = 1
    for idx, cells in parsed:
        if max_row is not None and idx > max_row:
            break
        while counter < idx:
            counter += 1
            out.append(empty_row)  # type: ignore[arg-type]
        if counter <= idx:
            counter += 1
            if not cells and not max_col:
                out.append(())
                continue
            width = max_col or cells[-1][0]
            row: list[Any] = [None] * width
            for column, value in cells:
                if 1 <= column <= width:
                    row[column - 1] = value
            out.append(tuple(row))
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            out.append(empty_row)  # type: ignore[arg-type]
    return out
