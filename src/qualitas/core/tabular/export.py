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


def _local_time(value: Any) -> Any:
    """A time as the organization's local time without a zone (what a spreadsheet can hold)."""
    if value is None:
        return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.get_current_timezone())
    return value.replace(tzinfo=None, microsecond=0)


def _text_of(value: Any) -> Any:
    """Any value as a cell: numbers and dates as they are, text and everything else as text."""
    if value is None or value.__class__ in (int, float, str, dt.date, Decimal):
        return value
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.datetime):
        return _local_time(value)
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
        widths: Sequence[int] = (),
    ) -> None:
        self.name = name
        self.columns = list(columns)
        self.sheet = sheet
        self.stream = stream
        self.bom = bom  # Excel reads a CSV as UTF-8 only with the byte-order mark
        self.dated = dated
        self.widths = tuple(widths)

    # --- rows ------------------------------------------------------------------------------------

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def rows(self, queryset: Any) -> Iterator[Sequence[Any]]:
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
            paths = [c.source for c in self.columns]
            yield from self.converted(model, queryset.values_list(*paths).iterator(chunk_size=2000))
            return
        related = sorted({r for _c, _f, rels in plan for r in rels})
        if related:
            queryset = queryset.select_related(*related)
        getters = [self._instance_getter(c) for c in self.columns]
        for obj in queryset.iterator(chunk_size=2000):
            yield [get(obj) for get in getters]

    def converted(self, model: Any, tuples: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        """Rows read with ``values_list`` as cells: only the columns that need it are converted
        (choices to labels, times to local time, yes/no)."""
        converting = [
            (i, conv)
            for i, c in enumerate(self.columns)
            if (conv := self._value_converter(_field_at(model, str(c.source))[0])) is not None
        ]
        if not converting:
            yield from tuples
            return
        for values in tuples:
            row = list(values)
            for i, conv in converting:
                row[i] = conv(row[i])
            yield row

    @staticmethod
    def _value_converter(field: Any) -> Callable[[Any], Any] | None:
        """How a value read by ``values_list`` becomes a cell (None: it is one already)."""
        if field.choices:
            labels = {k: str(v) for k, v in field.flatchoices}
            return lambda v: labels.get(v, v)
        if isinstance(field, models.BooleanField):
            return _yes_no
        if isinstance(field, models.DateTimeField):
            zone = timezone.get_current_timezone()  # once per export, not per cell
            return lambda v: v.astimezone(zone).replace(tzinfo=None, microsecond=0) if v is not None else v
        if isinstance(
            field,
            (
                models.CharField,
                models.TextField,
                models.DateField,
                models.IntegerField,
                models.DecimalField,
                models.FloatField,
            ),
        ):
            return None
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
        return table_response(
            self.filename(fmt),
            self.headers(),
            self.rows(queryset),
            fmt,
            sheet=self.sheet or self.name,
            stream=self.stream,
            bom=self.bom,
            widths=self.widths,
        )


def sheet_title(title: Any) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31] or "Sheet1"


def table_response(
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    *,
    sheet: Any = "",
    stream: bool = False,
    bom: bool = True,
    widths: Sequence[int] = (),
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """Write ``headers`` and ``rows`` (display values) as a CSV or XLSX download, neutralised
    (:func:`inert`). For tables that are not one queryset (a report, a matrix); a register declares
    an ``Export``. ``widths`` are XLSX column widths in characters; the header row stays in view."""
    if fmt == "csv":
        lines = _csv_lines(headers, rows, bom=bom)
        if stream:
            response: HttpResponse | StreamingHttpResponse | FileResponse = StreamingHttpResponse(
                lines, content_type=CSV_TYPE
            )
        else:
            response = HttpResponse("".join(lines).encode("utf-8"), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        handle = _xlsx_file(sheet_title(sheet or filename.rsplit(".", 1)[0]), headers, rows, widths)
        if stream:
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


def _csv_lines(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool) -> Iterator[str]:
    # csv.writer writes None as "" and other values with str(): a date as 2026-03-01, a local time
    # as 2026-03-01 14:05:00. Only text needs a look (inline: this runs for every cell).
    writer = csv.writer(_Line())
    starts = FORMULA_START
    yield ("\ufeff" if bom else "") + writer.writerow([inert(str(h)) for h in headers])
    with paused_gc():
        for row in rows:
            yield writer.writerow(
                [("'" + v if v[:1] in starts else v) if v.__class__ is str else _csv_other(v) for v in row]
            )


def _csv_other(value: Any) -> Any:
    if value.__class__ is bool:
        return _yes_no(value)
    if isinstance(value, str):  # a str subclass (a lazy translation, a SafeString)
        return inert(str(value))
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return _local_time(value)
    return value


def _xlsx_cell(value: Any) -> Any:
    if value.__class__ is str or isinstance(value, str):
        if value[:1] in FORMULA_START:
            value = "'" + value
        return value if value.isprintable() else value.translate(_XLSX_ILLEGAL)
    if value.__class__ is bool:
        return _yes_no(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return _local_time(value)
    return value


def _xlsx_file(
    title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], widths: Sequence[int]
) -> Any:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append([_xlsx_cell(str(h)) for h in headers])
    with paused_gc():
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
    handle = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - the response closes it
    wb.save(handle)
    handle.seek(0)
    return handle
