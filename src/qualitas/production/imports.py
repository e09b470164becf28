"""CSV/XLSX readings import: parse, resolve names to records, report row-level errors.
Nothing is written here; the rows go to services.import_readings (all or nothing). A workbook is
held to its unpacked size (core's check) before it is read."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from qualitas.core.spreadsheet import paused_gc
from qualitas.core.tabular.imports import ImportColumn
from qualitas.core.tabular.reading import check_unpacked_size
from qualitas.production.models import Characteristic, Lot, Product

MAX_ROWS = 1_000_000
MAX_XLSX_BYTES = 512 << 20  # unpacked: a million rows of readings fit well within it

#: The columns of a readings file (the import page lists them; the readers below go column-wise).
COLUMNS = (
    ImportColumn("characteristic", required=True, help=gettext_lazy("its name")),
    ImportColumn("lot", required=True, help=gettext_lazy("its number")),
    ImportColumn("value", help=gettext_lazy("for measured characteristics")),
    ImportColumn("defects", help=gettext_lazy("for attributes (0 for a pass)")),
    ImportColumn("sample_size", help=gettext_lazy("optional")),
    ImportColumn("subgroup", help=gettext_lazy("optional: the subgroups as the machine numbered them")),
)
REQUIRED = {c.name for c in COLUMNS if c.required}


Column = Callable[[str], list[Any] | None]


def _table_from_file(upload: Any) -> tuple[set[str], list[Any], Column]:
    """(column names of the first data row, non-blank data rows, column getter) of a CSV or XLSX
    upload. ``column(name)`` is the named column's values, one per data row (None where a row has no
    such cell), or None when the header has no such column. A row reads like ``csv.DictReader``
    (CSV) or ``dict(zip(header, row))`` (XLSX) would read it: the last column of a repeated name
    wins; blank rows are left out."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    body: list[Any]
    if name.endswith(".xlsx") or data[:2] == b"PK":
        from qualitas.core.spreadsheet import worksheet_rows

        check_unpacked_size(data, MAX_XLSX_BYTES)
        try:
            rows = worksheet_rows(data, sheet="active")
        except Exception as exc:
            raise ValidationError(
                {"file": f"This is not a readable XLSX file ({exc.__class__.__name__})."}
            ) from None
        if not rows:
            return set(), [], lambda _name: None
        header = [str(h or "").strip().lower() for h in rows[0]]
        body = [r for r in rows[1:] if any(v is not None for v in r)]

        def xlsx_column(key: str) -> list[Any] | None:
            if key not in header:
                return None
            last = len(header) - 1 - header[::-1].index(key)
            return [r[last] if last < len(r) else dict(zip(header, r, strict=False)).get(key) for r in body]

        return set(header[: len(body[0])]) if body else set(), body, xlsx_column
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The CSV file must be UTF-8 text."}) from None
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text), dialect=dialect)
        first = next(reader, None)  # the header, even when blank (as csv.DictReader takes it)
        records = [r for r in reader if r]
    except csv.Error as exc:
        raise ValidationError({"file": f"The CSV file could not be read: {exc}."}) from None
    header = [(f or "").strip().lower() for f in first or []]
    last_of = {key: i for i, key in enumerate(header)}  # what csv.DictReader keeps of a repeated name
    cols = sorted(last_of.values())
    width = len(header)
    if cols == list(range(width)):
        body = [r for r in records if any(v.strip() for v in r[:width])]
    else:
        body = [r for r in records if any(r[i].strip() for i in cols if i < len(r))]

    def csv_column(key: str) -> list[Any] | None:
        i = last_of.get(key)
        if i is None:
            return None
        return [r[i] if i < len(r) else None for r in body]

    return set(header), body, csv_column


def _number(raw: Any, *, integer: bool = False) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        raw = raw.strip().replace(",", ".")
    value = float(raw)
    if integer:
        if value != int(value) or value < 0:
            raise ValueError
        return int(value)
    return value


def _number_error(raw: Any, *, integer: bool = False) -> Any:
    """``_number`` with every way a cell can fail to be a number as ValueError (inf as a count)."""
    try:
        return _number(raw, integer=integer)
    except OverflowError:
        raise ValueError from None


def _resolved(values: list[Any], resolve: Callable[[Any], Any]) -> list[Any]:
    """``resolve`` applied once per distinct cell value (1 and 1.0 and True stay apart)."""
    cache: dict[Any, Any] = {}
    out = []
    for v in values:
        key = v if v.__class__ is str else (v.__class__, v)
        if key in cache:
            out.append(cache[key])
        else:
            out.append(cache.setdefault(key, resolve(v)))
    return out


def _numbers(values: list[Any] | None, n: int, *, integer: bool = False) -> list[Any] | None:
    """The column as numbers (None for empty cells), or None when a cell is no number."""
    if values is None:
        return [None] * n
    if not integer:
        try:  # float() takes what _number takes, except blanks and decimal commas
            return [None if v is None else float(v) for v in values]
        except (TypeError, ValueError):
            pass
    try:
        return [_number_error(v, integer=integer) for v in values]
    except (TypeError, ValueError):
        return None


def parse_readings(organization: Any, product: Product, upload: Any) -> list[dict[str, Any]]:
    """Rows ready for the bulk service, or ValidationError({"rows": [...]}) naming each bad row.

    Column-wise: every distinct characteristic and lot name is resolved once, each number column
    is converted in one pass. Any problem sends the file through the row-by-row loop below, which
    words the errors (file row numbers, at most 200)."""
    with paused_gc():
        return _parse(organization, product, upload)


def _parse(organization: Any, product: Product, upload: Any) -> list[dict[str, Any]]:
    first, body, column = _table_from_file(upload)
    if not body:
        raise ValidationError({"rows": ["The file has no data rows."]})
    if len(body) > MAX_ROWS:
        raise ValidationError({"rows": [f"At most {MAX_ROWS:,} rows per file."]})
    missing = REQUIRED - first
    if missing:
        raise ValidationError({"rows": [f"Missing column(s): {', '.join(sorted(missing))}."]})
    chars = {
        c.name.lower(): c
        for c in Characteristic.objects.filter(organization=organization, product=product).select_related(
            "product"
        )
    }
    lots = {lot.number: lot for lot in Lot.objects.filter(organization=organization, product=product)}
    n = len(body)
    raw_chars, raw_lots = column("characteristic") or [None] * n, column("lot") or [None] * n
    found_chars = _resolved(raw_chars, lambda v: chars.get(str(v or "").strip().lower()))
    found_lots = _resolved(raw_lots, lambda v: lots.get(str(v or "").strip()))
    values = _numbers(column("value"), n)
    defects = _numbers(column("defects"), n, integer=True)
    sizes = _numbers(column("sample_size"), n, integer=True)
    subgroups = _numbers(column("subgroup"), n, integer=True)
    if (
        values is None
        or defects is None
        or sizes is None
        or subgroups is None
        or None in found_chars
        or None in found_lots
    ):
        _raise_row_errors(product, raw_chars, raw_lots, found_chars, found_lots, column, n)
    rows = [
        {
            "characteristic": ch,
            "lot": lot,
            "value": value,
            "defects": d,
            "sample_size": size,
            "subgroup": sg,
            "_line": i,
        }
        for i, (ch, lot, value, d, size, sg) in enumerate(
            zip(found_chars, found_lots, values, defects, sizes, subgroups, strict=True),  # type: ignore[arg-type]
            start=2,  # row 1 is the header
        )
    ]
    # Row-level content checks (value present, lot open...) with the file's line numbers.
    from qualitas.production.services import check_rows

    check_rows(organization, rows)
    return rows


def _raise_row_errors(
    product: Product,
    raw_chars: list[Any],
    raw_lots: list[Any],
    found_chars: list[Any],
    found_lots: list[Any],
    column: Column,
    n: int,
) -> None:
    """Row by row, in file order: unknown names, then unreadable numbers; at most 200 errors."""
    empty = [None] * n
    cells = zip(
        raw_chars,
        raw_lots,
        found_chars,
        found_lots,
        column("value") or empty,
        column("defects") or empty,
        column("sample_size") or empty,
        column("subgroup") or empty,
        strict=True,
    )
    errors: list[str] = []
    for i, (raw_ch, raw_lot, ch, lot, value, defects, sample, subgroup) in enumerate(cells, start=2):
        if ch is None:
            errors.append(f"Row {i}: no characteristic “{raw_ch}” on {product.part_number}.")
        if lot is None:
            errors.append(f"Row {i}: no lot “{raw_lot}” of {product.part_number}.")
        try:
            _number_error(value)
            _number_error(defects, integer=True)
            _number_error(sample, integer=True)
            _number_error(subgroup, integer=True)
        except (TypeError, ValueError):
            errors.append(f"Row {i}: a number could not be read.")
            continue
        if len(errors) >= 200:
            errors.append("… more errors not shown.")
            break
    raise ValidationError({"rows": errors})
