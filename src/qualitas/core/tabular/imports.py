"""Registers in from CSV and XLSX, one way: read → validate every row → preview with the errors of
each row → import all rows or none.

A register declares an ``ImportSpec``:

    class ProcessImport(ImportSpec):
        key = "processes"
        model = Process
        noun = _("processes")
        columns = [
            ImportColumn("code", required=True, unique=True),
            ImportColumn("name", required=True, parse=text(200)),
            ImportColumn("type", key="process_type", parse=choice(ProcessType.choices), default="core"),
            ImportColumn("owner", parse=member()),
        ]
        create_service = staticmethod(services.create_process)   # else core's create_record

and ``ImportView`` (``core.views``) serves the upload, the preview and the confirmation. Each cell is
parsed by its column (``text``, ``integer``, ``number``, ``date``, ``boolean``, ``choice``,
``member``, ``reference``); an empty cell takes the column's ``default`` or, when ``required``, is
an error; ``unique`` columns may not repeat in the file nor match a record the organization has.
``lookups()`` reads what the parsers look names up in once per file; ``clean_row()`` adds rules
across columns; ``save_row()`` writes one row (default: the create service). The whole import runs
in one transaction: every row is written in its own savepoint so the service's refusals are
collected for every row, and any error rolls everything back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qualitas.core import services as generic
from qualitas.core.errors import error_list
from qualitas.core.exceptions import ConflictError, TransitionError
from qualitas.core.permissions import ensure_allowed
from qualitas.core.tabular.reading import MAX_ROWS, MAX_XLSX_BYTES, column_name, keyed, read_upload


class CellError(ValueError):
    """A cell that cannot be read; the message names the column."""


@dataclass
class Cell:
    """What a parser is given: the text, its column, and the spec's lookups for this file."""

    value: str
    column: str
    lookups: dict[str, Any]


Parser = Callable[[Cell], Any]


def text(max_length: int | None = None) -> Parser:
    def parse(cell: Cell) -> str:
        if max_length is not None and len(cell.value) > max_length:
            raise CellError(
                _("%(column)s is longer than %(n)d characters") % {"column": cell.column, "n": max_length}
            )
        return cell.value

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(cell: Cell) -> int:
        try:
            number = float(cell.value.replace(",", "."))
            if not number.is_integer():
                raise ValueError
            value = int(number)
        except ValueError:
            value = None
        if (
            value is None
            or (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)
        ):
            if minimum is not None and maximum is not None:
                message = _("%(column)s must be a whole number from %(min)d to %(max)d")
            else:
                message = _("%(column)s must be a whole number")
            raise CellError(message % {"column": cell.column, "min": minimum or 0, "max": maximum or 0})
        return value

    return parse


def number() -> Parser:
    def parse(cell: Cell) -> float:
        raw = cell.value.replace(" ", "")
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            return float(raw)
        except ValueError:
            raise CellError(
                _("%(column)s: “%(value)s” is not a number") % {"column": cell.column, "value": cell.value}
            ) from None

    return parse


def date() -> Parser:
    def parse(cell: Cell) -> dt.date:
        try:
            return dt.date.fromisoformat(cell.value[:10])
        except ValueError:
            raise CellError(_("%(column)s must be YYYY-MM-DD") % {"column": cell.column}) from None

    return parse


YES = {"yes", "y", "true", "1", "x", "ja", "oui"}
NO = {"no", "n", "false", "0", "nein", "non"}


def boolean() -> Parser:
    def parse(cell: Cell) -> bool:
        value = cell.value.lower()
        if value in YES:
            return True
        if value in NO:
            return False
        raise CellError(_("%(column)s: say yes or no") % {"column": cell.column})

    return parse


def choice(choices: Sequence[tuple[Any, Any]], aliases: dict[str, Any] | None = None) -> Parser:
    """A value of ``choices``, given as its code or its label (any case), or one of ``aliases``."""
    known = {str(k).lower(): k for k, _label in choices}
    known.update({str(label).lower(): k for k, label in choices})
    known.update({k.lower(): v for k, v in (aliases or {}).items()})

    def parse(cell: Cell) -> Any:
        found = known.get(cell.value.lower())
        if found is None:
            raise CellError(
                _("unknown %(column)s “%(value)s”") % {"column": cell.column, "value": cell.value}
            )
        return str(found)

    return parse


def member() -> Parser:
    """A person of the organization, named by user name, full name or e-mail (lookup ``people``)."""

    def parse(cell: Cell) -> Any:
        person = cell.lookups["people"].get(cell.value.lower())
        if person is None:
            raise CellError(
                _("%(column)s “%(value)s” is not a member (use the user name)")
                % {"column": cell.column, "value": cell.value}
            )
        return person

    return parse


def reference(lookup: str) -> Parser:
    """A record named by its code: ``lookups()[lookup]`` maps lower-case codes to records."""

    def parse(cell: Cell) -> Any:
        found = cell.lookups[lookup].get(cell.value.lower())
        if found is None:
            raise CellError(
                _("%(column)s %(value)s does not exist") % {"column": cell.column, "value": cell.value}
            )
        return found

    return parse


def people_of(organization: Any) -> dict[str, Any]:
    """Active members by lower-case user name, full name and e-mail (the user name wins)."""
    users = get_user_model().objects.filter(
        memberships__organization=organization, memberships__is_active=True
    )
    found: dict[str, Any] = {}
    for u in users:
        for key in (u.email, u.full_name, u.username):
            if key:
                found[str(key).strip().lower()] = u
    return found


@dataclass(frozen=True)
class ImportColumn:
    """One column of the file: its header (any case; spaces or underscores), the data key it fills
    (default: the header with underscores), how its text is read, and its rules."""

    header: str
    key: str = ""
    parse: Parser = field(default_factory=text)
    required: bool = False
    unique: bool = False
    default: Any = None
    help: Any = ""  # shown on the import page (may be a lazy translation)

    @property
    def name(self) -> str:
        return column_name(self.header)

    @property
    def data_key(self) -> str:
        return self.key or self.name


@dataclass
class ImportRow:
    line: int  # the row number in the file (the header is row 1)
    raw: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the raw text in the spec's column order


class RowErrors(ValidationError):
    """The import was refused; ``rows`` are every row with its errors (line numbers of the file)."""

    def __init__(self, rows: list[ImportRow]) -> None:
        self.rows = rows
        bad = [r for r in rows if r.errors]
        super().__init__(
            {
                "file": [
                    _("Row %(n)d: %(errors)s") % {"n": r.line, "errors": "; ".join(r.errors)}
                    for r in bad[:50]
                ]
            }
        )


class ImportSpec:
    """How one register is imported (see the module docstring)."""

    key: ClassVar[str]
    model: ClassVar[Any]
    noun: ClassVar[Any] = ""  # plural, for "Import 12 documents"
    title: ClassVar[Any] = ""
    help: ClassVar[Any] = ""
    columns: ClassVar[Sequence[ImportColumn]] = ()
    permission: ClassVar[str] = "add"
    create_service: ClassVar[Callable[..., Any] | None] = None
    max_rows: ClassVar[int] = MAX_ROWS
    max_xlsx_bytes: ClassVar[int] = MAX_XLSX_BYTES
    reason: ClassVar[Any] = ""

    # --- what a register may refine --------------------------------------------------------------

    def lookups(self, organization: Any) -> dict[str, Any]:
        """What the parsers look names up in, read once per file (``people`` for ``member()``)."""
        return {"people": people_of(organization)}

    def existing(self, organization: Any) -> dict[str, set[str]]:
        """For each ``unique`` column, the values the organization's records already have."""
        out: dict[str, set[str]] = {}
        fields = {f.name for f in self.model._meta.fields}
        for col in self.columns:
            if col.unique and col.data_key in fields:
                values = self.model.objects.filter(organization=organization).values_list(
                    col.data_key, flat=True
                )
                out[col.data_key] = {str(v) for v in values}
        return out

    def clean_row(self, row: ImportRow, lookups: dict[str, Any]) -> None:
        """Rules across columns: append to ``row.errors``."""

    def save_row(self, organization: Any, actor: Any, data: dict[str, Any]) -> Any:
        if self.create_service is not None:
            return type(self).create_service(organization=organization, actor=actor, data=data)  # type: ignore[misc]
        return generic.create_record(
            self.model, organization=organization, actor=actor, data=data, reason=str(self.reason)
        )

    def after_row(self, obj: Any, lookups: dict[str, Any]) -> None:
        """After a row is written (say, make a new process known to the rows that follow)."""

    # --- the one flow ----------------------------------------------------------------------------

    def read(self, name: str, content: bytes) -> list[dict[str, str]]:
        """The file's rows keyed by column name; the required columns must be there."""
        headers, table = keyed(
            read_upload(name, content, max_rows=self.max_rows, max_xlsx_bytes=self.max_xlsx_bytes)
        )
        missing = [c.name for c in self.columns if c.required and c.name not in headers]
        if missing:
            raise ValidationError(
                {
                    "file": _("Missing columns: %(missing)s. Expected: %(expected)s.")
                    % {"missing": ", ".join(missing), "expected": ", ".join(c.name for c in self.columns)}
                }
            )
        names = {c.name for c in self.columns}
        return [{k: v for k, v in row.items() if k in names} for row in table]

    def validate(
        self, organization: Any, table: list[dict[str, str]], lookups: dict[str, Any] | None = None
    ) -> list[ImportRow]:
        """Every row parsed and checked (nothing is written)."""
        lookups = self.lookups(organization) if lookups is None else lookups
        existing = self.existing(organization)
        seen: dict[str, set[str]] = {k: set() for k in existing}
        for col in self.columns:
            if col.unique:
                seen.setdefault(col.data_key, set())
        rows = []
        for line, raw in enumerate(table, start=2):
            row = ImportRow(line=line, raw=raw, cells=[raw.get(c.name, "") for c in self.columns])
            for col in self.columns:
                value = (raw.get(col.name) or "").strip()
                if not value:
                    if col.required:
                        row.errors.append(_("%(column)s is empty") % {"column": col.header})
                    row.data[col.data_key] = col.default
                    continue
                try:
                    row.data[col.data_key] = col.parse(Cell(value, col.header, lookups))
                except CellError as exc:
                    row.errors.append(str(exc))
                    continue
                if col.unique:
                    if value in existing.get(col.data_key, ()):
                        row.errors.append(
                            _("%(column)s %(value)s already exists") % {"column": col.header, "value": value}
                        )
                    elif value in seen[col.data_key]:
                        row.errors.append(
                            _("%(column)s %(value)s appears twice in the file")
                            % {"column": col.header, "value": value}
                        )
                    seen[col.data_key].add(value)
            if not row.errors:
                self.clean_row(row, lookups)
            rows.append(row)
        return rows

    @transaction.atomic
    def run(self, *, organization: Any, actor: Any, table: list[dict[str, str]]) -> list[Any]:
        """Import every row or none: ``RowErrors`` names each row's problems, and nothing is kept."""
        ensure_allowed(actor, organization, self.permission, self.model)
        lookups = self.lookups(organization)
        rows = self.validate(organization, table, lookups)
        created: list[Any] = []
        if not any(r.errors for r in rows):
            for row in rows:
                try:
                    with transaction.atomic():
                        obj = self.save_row(organization, actor, dict(row.data))
                except (ValidationError, TransitionError, ConflictError) as exc:
                    row.errors.extend(error_list(exc))
                    continue
                created.append(obj)
                self.after_row(obj, lookups)
        if any(r.errors for r in rows):
            raise RowErrors(rows)  # leaving the atomic block with it rolls every row back
        return created
