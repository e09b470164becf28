"""Registers out to CSV and XLSX, one way.

    DOCUMENTS = Export(
        "master-document-list",
        [Column(_("Code"), "code"), Column(_("Type"), "doc_type"), Column(_("Owner"), "owner"),
         Column(_("Effective"), "effective_date"), Column(_("Rev."), lambda d: d.current_label)],
        sheet=_("Master document list"),
        stream=True,
    )
    return DOCUMENTS.response(queryset, "xlsx")

What every export gets:

- **No live formulas.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is what Excel and LibreOffice run as a formula (or a DDE call). :func:`inert` writes such
  text with a leading apostrophe, in CSV and XLSX alike; numbers, dates and other text are unchanged.
  The import side (``core.tabular.imports``) takes the apostrophe off again.
- **Labels, not codes.** A choice field is written as its label, a related record as its name, a
  yes/no field as "yes"/"no".
- **Dates as dates.** XLSX cells hold real dates (and local times without a zone); CSV writes ISO 8601.
- **Speed.** When every column is a plain field (``"status"``, ``"owner__full_name"``) the rows are
  read with ``values_list`` (no model instances), 2,000 at a time; any callable or property column
  reads instances (``select_related`` follows the paths named). XLSX is written by openpyxl's
  write-only workbook. ``stream=True`` sends CSV row by row and XLSX from a temporary file, so a
  register of 100,000 rows is never held in memory as one string.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitas.core.spreadsheet import paused_gc

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")

#: A text cell starting with one of these is a formula (or DDE call) to a spreadsheet program.
FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))
_XLSX_ILLEGAL = dict.fromkeys((*range(9), 11, 12, *range(14, 32)))


def inert(value: Any) -> Any:
    """The one neutraliser: text a spreadsheet would run as a formula gets a leading apostrophe
    (shown as text, never evaluated). Every other value is returned unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def inert_row(row: Iterable[Any]) -> list[Any]:
    return [inert(v) for v in row]


@dataclass(frozen=True)
class Column:
    """One column: its header and where its value comes from — a field path (``"owner__full_name"``,
    choices written as labels) or a callable taking the record."""

    header: Any
    source: str | Callable[[Any], Any]


def _yes_no(value: Any) -> Any:
    if value is None:
        return None
    return _("yes") if value else _("no")


def _text_of(value: Any) -> Any:
    """Any value as a cell: numbers and dates as they are, text and everything else as text."""
    if value is None or value.__class__ in (int, float, str, dt.date, Decimal):
        return value
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, dt.date)):
        return value
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, models.Manager):
        return ", ".join(str(v) for v in value.all())
    return str(value)


def _field_at(model: Any, path: str) -> tuple[Any, list[str]]:
    """The model field a ``__`` path ends on (or ``None`` when it is not a field) and the relation
    prefixes it crosses (for ``select_related``)."""
    relations: list[str] = []
    parts = path.split("__")
    current = model
    field = None
    for i, part in enumerate(parts):
        try:
            field = current._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return None, relations
        if field.is_relation:
            if field.many_to_many or field.one_to_many:
                return None, relations
            relations.append("__".join(parts[: i + 1]))
            current = field.related_model
    return field, relations


class Export:
    """A register's export declaration: a file name stem, the columns, and how to send it."""

    def __init__(
        self,
        name: str,
        columns: Sequence[Column],
        *,
        sheet: Any = None,
        stream: bool = False,
        bom: bool = True,
        dated: bool = True,
    ) -> None:
        self.name = name
        self.columns = list(columns)
        self.sheet = sheet
        self.stream = stream
        self.bom = bom  # Excel reads a CSV as UTF-8 only with the byte-order mark
        self.dated = dated

    # --- rows ------------------------------------------------------------------------------------

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def rows(self, queryset: Any) -> Iterator[list[Any]]:
        """Display values of every row (labels, names, dates), not yet neutralised."""
        model = queryset.model
        plan = [
            (c, *_field_at(model, c.source)) if isinstance(c.source, str) else (c, None, [])
            for c in self.columns
        ]
        by_values = all(
            isinstance(c.source, str) and f is not None and not f.is_relation for c, f, _r in plan
        )
        if by_values:
            converters = [self._value_converter(f) for _c, f, _r in plan]
            paths = [c.source for c in self.columns]
            for values in queryset.values_list(*paths).iterator(chunk_size=2000):
                yield [conv(v) for conv, v in zip(converters, values, strict=True)]
            return
        related = sorted({r for _c, _f, rels in plan for r in rels})
        if related:
            queryset = queryset.select_related(*related)
        getters = [self._instance_getter(c) for c in self.columns]
        for obj in queryset.iterator(chunk_size=2000):
            yield [get(obj) for get in getters]

    @staticmethod
    def _value_converter(field: Any) -> Callable[[Any], Any]:
        if field.choices:
            labels = {k: str(v) for k, v in field.flatchoices}
            return lambda v: labels.get(v, v)
        if isinstance(field, models.BooleanField):
            return _yes_no
        return _text_of

    @staticmethod
    def _instance_getter(column: Column) -> Callable[[Any], Any]:
        source = column.source
        if callable(source):
            return lambda obj: _text_of(source(obj))
        parts = source.split("__")

        def get(obj: Any) -> Any:
            value = obj
            for part in parts:
                display = getattr(value, f"get_{part}_display", None)
                value = display() if callable(display) else getattr(value, part, None)
                if callable(value) and not isinstance(value, models.Manager):
                    value = value()
                if value is None:
                    return None
            return _text_of(value)

        return get

    # --- files -----------------------------------------------------------------------------------

    def filename(self, fmt: str) -> str:
        stamp = f"-{timezone.localdate().isoformat()}" if self.dated else ""
        return f"{self.name}{stamp}.{fmt}"

    def response(self, queryset: Any, fmt: str) -> HttpResponse | StreamingHttpResponse | FileResponse:
        """The download of ``queryset`` in ``fmt`` ("csv" or "xlsx"; anything else is a 404)."""
        return table_response(self.filename(fmt), self.headers(), self.rows(queryset), fmt, self)

    def sheet_title(self) -> str:
        title = str(self.sheet or self.name)
        return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet1"


def table_response(
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    options: Export | None = None,
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """Write ``headers`` and ``rows`` (display values) as a CSV or XLSX download, neutralised.
    For tables that are not one queryset (a report, a matrix); registers declare an ``Export``."""
    options = options or Export(filename.rsplit(".", 1)[0], [], dated=False)
    if fmt == "csv":
        lines = _csv_lines(headers, rows, bom=options.bom)
        if options.stream:
            response: Any = StreamingHttpResponse(lines, content_type=CSV_TYPE)
        else:
            response = HttpResponse("".join(lines).encode("utf-8"), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        handle = _xlsx_file(options.sheet_title(), headers, rows)
        if options.stream:
            response = FileResponse(handle, content_type=XLSX_TYPE)
        else:
            response = HttpResponse(handle.read(), content_type=XLSX_TYPE)
            handle.close()
    else:
        raise Http404(_("Unknown export format."))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes (one line at a time)."""

    def write(self, text: str) -> str:
        return text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return inert(value)


def _csv_lines(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield ("\ufeff" if bom else "") + writer.writerow([inert(str(h)) for h in headers])
    with paused_gc():
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = inert(value)
        return value.translate(_XLSX_ILLEGAL) if not value.isprintable() else value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _xlsx_file(title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Any:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append([_xlsx_cell(str(h)) for h in headers])
    with paused_gc():
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
    handle = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - the response closes it
    wb.save(handle)
    handle.seek(0)
    return handle
