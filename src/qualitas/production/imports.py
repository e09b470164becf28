"""CSV/XLSX readings import: parse, resolve names to records, report row-level errors.
Nothing is written here; the rows go to services.import_readings (all or nothing)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError

from qualitas.production.models import Characteristic, Lot, Product

MAX_ROWS = 1_000_000


def _rows_from_file(upload: Any) -> list[dict[str, Any]]:
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
        rows = list(wb.active.iter_rows(values_only=True))
        if not rows:
            return []
        header = [str(h or "").strip().lower() for h in rows[0]]
        return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The CSV file must be UTF-8 text."}) from None
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    reader.fieldnames = [(f or "").strip().lower() for f in (reader.fieldnames or [])]
    return [r for r in reader if any((v or "").strip() for v in r.values() if isinstance(v, str))]


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


def parse_readings(organization: Any, product: Product, upload: Any) -> list[dict[str, Any]]:
    """Rows ready for the bulk service, or ValidationError({"rows": [...]}) naming each bad row."""
    raw_rows = _rows_from_file(upload)
    if not raw_rows:
        raise ValidationError({"rows": ["The file has no data rows."]})
    if len(raw_rows) > MAX_ROWS:
        raise ValidationError({"rows": [f"At most {MAX_ROWS:,} rows per file."]})
    missing = {"characteristic", "lot"} - set(raw_rows[0])
    if missing:
        raise ValidationError({"rows": [f"Missing column(s): {', '.join(sorted(missing))}."]})
    chars = {
        c.name.lower(): c
        for c in Characteristic.objects.filter(organization=organization, product=product).select_related(
            "product"
        )
    }
    lots = {lot.number: lot for lot in Lot.objects.filter(organization=organization, product=product)}
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for i, raw in enumerate(raw_rows, start=2):  # row 1 is the header
        ch = chars.get(str(raw.get("characteristic") or "").strip().lower())
        lot = lots.get(str(raw.get("lot") or "").strip())
        if ch is None:
            errors.append(
                f"Row {i}: no characteristic “{raw.get('characteristic')}” on {product.part_number}."
            )
        if lot is None:
            errors.append(f"Row {i}: no lot “{raw.get('lot')}” of {product.part_number}.")
        try:
            value = _number(raw.get("value"))
            defects = _number(raw.get("defects"), integer=True)
            sample = _number(raw.get("sample_size"), integer=True)
            subgroup = _number(raw.get("subgroup"), integer=True)
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
    # Row-level content checks (value present, lot open...) with the file's line numbers.
    from qualitas.production.services import check_rows

    check_rows(organization, rows)
    return rows
