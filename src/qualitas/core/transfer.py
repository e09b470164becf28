"""Export one organization to a ZIP archive and import it into an empty database.

The archive holds ``manifest.json``, ``data.jsonl`` (Django's JSON Lines serialization, primary keys
kept, content types by natural key) and ``files/`` (attachments, under their storage names). An
import restores the same records, numbers and audit chain, so ``audit verify`` passes afterwards.
Records are restored, not re-created through services: no new audit events are written.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from qualitas.core.audit import checkpoints
from qualitas.core.spreadsheet import paused_gc

FORMAT = "qualitas-export"
FORMAT_VERSION = 1
# Models that hold no organization's data, or that an archive must not carry.
NOT_EXPORTED = {
    "auth.permission",
    "auth.group",
    "contenttypes.contenttype",
    "sessions.session",
    "admin.logentry",
    "accounts.apitoken",  # secrets stay with the installation that issued them
    # Login attempts and lockouts belong to the installation (and name addresses, not organizations).
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
    # The task queue's rows belong to the installation's workers; a restored installation schedules anew.
    "django_tasks_database.dbtaskresult",
    # The standards catalog is shipped data, the same on every installation.
    "standards.standard",
    "standards.clause",
    # The maturity-model catalog is shipped data (assessment/data/*.json), the same on every installation.
    "assessment.maturitymodel",
    "assessment.element",
    "assessment.level",
    "assessment.criterion",
}


class TransferError(Exception):
    pass


def _org_filter(model: type[models.Model], org: Any) -> dict[str, Any] | None:
    label = model._meta.label_lower
    if label == "accounts.organization":
        return {"pk": org.pk}
    if label == "accounts.user":
        return {"memberships__organization": org}
    for field in model._meta.fields:
        if field.name == "organization" and field.is_relation:
            return {"organization": org}
    return None


def exported_models() -> list[type[models.Model]]:
    """Every model that carries organization data, in dependency order. A model that has no
    organization link and is not listed in NOT_EXPORTED is a mistake (tests check this)."""
    candidates = [m for m in apps.get_models() if m._meta.label_lower not in NOT_EXPORTED]
    app_list: dict[Any, list[type[models.Model]]] = {}
    for m in candidates:
        app_list.setdefault(apps.get_app_config(m._meta.app_label), []).append(m)
    return sort_dependencies(app_list.items(), allow_cycles=True)


def unscoped_models() -> list[str]:
    class _Org:
        pk = 0

    return [m._meta.label_lower for m in exported_models() if _org_filter(m, _Org()) is None]


# Rows per batch: natural keys and many-to-many values are looked up once per batch (one ``IN``
# list, within SQLite's oldest limit of 999 parameters), and the batch's lines go to the archive in
# one write.
CHUNK = 900


def export_organization(
    org: Any, path: Path, *, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Write the organization's records to ``path``; returns the count per model.

    ``data.jsonl`` holds exactly the lines Django's ``jsonl`` serializer writes (with natural
    foreign keys), but built from ``values_list`` rows read in chunks and streamed into the archive:
    no model instance, related-object query or serializer per record (at scale S: ~1,250 → ~18,000
    records per second). A model the fast path does not understand goes through the serializer."""
    counts: dict[str, int] = {}
    files: dict[str, None] = {}  # storage names of uploaded files, in the order met
    natural_keys = _NaturalKeys()
    # Level 1: a quarter larger than the default level 6, a third of its time (the same format).
    with (
        paused_gc(),
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        with archive.open("data.jsonl", "w", force_zip64=True) as data:
            for model in exported_models():
                lookup = _org_filter(model, org)
                if lookup is None:
                    raise TransferError(
                        f"{model._meta.label} has no organization link and cannot be exported."
                    )
                qs = model._default_manager.filter(**lookup).distinct().order_by("pk")
                plan = _ExportPlan.for_model(model, natural_keys)
                lines = plan.lines(qs, files) if plan is not None else _serialized_lines(qs, files)
                count = 0
                for text, n in lines:
                    data.write(text.encode())
                    count += n
                counts[model._meta.label_lower] = count
                if progress is not None:
                    progress(model._meta.label_lower, count)
        for name in files:
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    archive.writestr(f"files/{name}", fh.read())
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "organization": {"uuid": str(org.uuid), "slug": org.slug, "name": org.name},
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            "counts": counts,
            # The newest signed checkpoint of the chain, where this installation keeps them.
            "checkpoint": checkpoints.latest_summary(str(org.uuid)),
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


def _serialized_lines(qs: models.QuerySet[Any], files: dict[str, None]) -> Iterator[tuple[str, int]]:
    """Django's serializer, one record at a time (the reference the fast path must equal)."""
    for obj in qs.iterator(CHUNK):
        for field in obj._meta.fields:
            if isinstance(field, models.FileField):
                fieldfile = getattr(obj, field.attname)
                if fieldfile:
                    files[fieldfile.name] = None
        yield serializers.serialize("jsonl", [obj], use_natural_foreign_keys=True), 1


# What Django's Python serializer passes through unchanged (``is_protected_type``); anything else
# goes through ``field.value_to_string``.
_PROTECTED = (type(None), int, float, decimal.Decimal, dt.datetime, dt.date, dt.time)
# Fields whose database values are always one of those types.
_PROTECTED_FIELDS = (
    models.IntegerField,
    models.FloatField,
    models.DecimalField,
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.TimeField,
)


def _datetime_json(value: dt.datetime | None) -> str | None:
    """``DjangoJSONEncoder().default(value)`` for a datetime (milliseconds, "Z" for UTC)."""
    if value is None:
        return None
    r = value.isoformat()
    if value.microsecond:
        r = r[:23] + r[26:]
    if r.endswith("+00:00"):
        r = r[:-6] + "Z"
    return r


def _date_json(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


class _Shim:
    """Stands in for a model instance for ``field.value_to_string`` (``value_from_object`` reads
    ``getattr(obj, field.attname)``)."""

    def __init__(self, attname: str, value: Any) -> None:
        setattr(self, attname, value)


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How Django's serializer turns the database value of ``field`` into a JSON value; None when
    it keeps the value as it is."""
    to_string = type(field).value_to_string
    # Dates and times become the strings DjangoJSONEncoder.default makes of them (here, in one
    # call per value, instead of a callback from the C encoder).
    if isinstance(field, models.DateTimeField):
        return _datetime_json
    if isinstance(field, models.DateField):
        return _date_json
    if isinstance(field, _PROTECTED_FIELDS):
        return None
    if field.remote_field is not None and isinstance(getattr(field, "target_field", None), _PROTECTED_FIELDS):
        return None  # a foreign key stores the target's (integer) value
    if isinstance(field, (models.CharField, models.TextField)) and to_string is models.Field.value_to_string:
        return None  # str(value) of a str
    if isinstance(field, models.JSONField) and to_string is models.JSONField.value_to_string:
        return None  # the decoded value itself
    if isinstance(field, models.FileField) and to_string is models.Field.value_to_string:
        return lambda v: v or ""  # str(FieldFile): its name, "" for none

    def convert(v: Any) -> Any:
        shim: Any = _Shim(field.attname, v)  # stands in for the record: value_to_string reads one attribute
        return v if isinstance(v, _PROTECTED) else field.value_to_string(shim)

    return convert


class _NaturalKeys:
    """``natural_key()`` of related records, by model and the value a foreign key stores, fetched
    once per record for the whole export."""

    def __init__(self) -> None:
        self.known: dict[tuple[type[models.Model], str], dict[Any, Any]] = {}

    def resolve(
        self, model: type[models.Model], target: models.Field[Any, Any], values: Iterable[Any]
    ) -> dict[Any, Any]:
        cache = self.known.setdefault((model, target.attname), {})
        missing = {v for v in values if v is not None and v not in cache}
        if missing:
            qs = model._base_manager.select_related().filter(**{f"{target.attname}__in": missing})
            obj: Any  # a model with natural_key() (the caller checked)
            for obj in qs:
                cache[getattr(obj, target.attname)] = list(obj.natural_key())
        return cache


class _ExportPlan:
    """One model's records as the ``jsonl`` serializer writes them, from ``values_list`` rows."""

    def __init__(self, model: type[models.Model], natural_keys: _NaturalKeys) -> None:
        meta = model._meta.concrete_model._meta  # type: ignore[union-attr]
        self.label = str(model._meta)
        self.natural_keys = natural_keys
        self.pk = meta.pk
        self.pk_convert = _converter(meta.pk)
        # (name, converter, foreign key target for natural keys or None)
        self.columns: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
        self.attnames = [meta.pk.attname]
        self.files: list[int] = []  # positions (in attnames) of file fields
        local_fields: list[Any] = list(meta.local_fields)  # concrete fields, relations included
        for field in local_fields:
            if not field.serialize:
                continue
            self.attnames.append(field.attname)
            if isinstance(field, models.FileField):
                self.files.append(len(self.attnames) - 1)
            if field.remote_field is None:
                self.columns.append((field.name, _converter(field), None))
            elif hasattr(field.remote_field.model, "natural_key"):
                self.columns.append((field.name, None, (field.remote_field.model, field.target_field)))
            else:
                self.columns.append((field.name, _converter(field), None))
        # many-to-many: (name, through model, source column, target column, ordering, natural model)
        self.m2m: list[tuple[str, Any, str, str, list[str], Any]] = []
        many: list[Any] = list(meta.local_many_to_many)
        for field in many:
            if not field.serialize or not field.remote_field.through._meta.auto_created:
                continue
            related = field.remote_field.model
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through = field.remote_field.through
            ordering = []
            for item in related._meta.ordering:
                if not isinstance(item, str) or item == "?":
                    raise _Unsupported(f"{field} orders by {item!r}")
                sign, name = ("-", item[1:]) if item.startswith("-") else ("", item)
                ordering.append(f"{sign}{target}__{name}")
            if related._default_manager.all().query.where:
                raise _Unsupported(f"{related} has a filtering default manager")
            natural = related if hasattr(related, "natural_key") else None
            self.m2m.append(
                (
                    field.name,
                    through,
                    through._meta.get_field(source).attname,
                    through._meta.get_field(target).attname,
                    [*ordering, "pk"],
                    natural,
                )
            )
        self.encode = DjangoJSONEncoder(separators=(",", ": "), ensure_ascii=False).encode

    @classmethod
    def for_model(cls, model: type[models.Model], natural_keys: _NaturalKeys) -> _ExportPlan | None:
        if not isinstance(model._meta.pk, models.Field) or getattr(model._meta.pk, "field_names", None):
            return None  # composite primary key
        try:
            return cls(model, natural_keys)
        except _Unsupported:
            return None

    def lines(self, qs: models.QuerySet[Any], files: dict[str, None]) -> Iterator[tuple[str, int]]:
        chunk: list[tuple[Any, ...]] = []
        for row in qs.values_list(*self.attnames).iterator(CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield self._chunk(chunk, files), len(chunk)
                chunk = []
        if chunk:
            yield self._chunk(chunk, files), len(chunk)

    def _chunk(self, rows: list[tuple[Any, ...]], files: dict[str, None]) -> str:
        for i in self.files:
            for row in rows:
                if row[i]:
                    files[row[i]] = None
        columns = []  # per field: its values, one per row
        for position, (name, convert, natural) in enumerate(self.columns, start=1):
            values = [row[position] for row in rows]
            if natural is not None:
                keys = self.natural_keys.resolve(natural[0], natural[1], values)
                values = [None if v is None else keys[v] for v in values]
            elif convert is not None:
                values = [convert(v) for v in values]
            columns.append((name, values))
        pks = [row[0] for row in rows]
        for name, values in self._m2m_values(pks):
            columns.append((name, values))
        names = [name for name, _values in columns]
        pk_values = pks if self.pk_convert is None else [self.pk_convert(v) for v in pks]
        if columns:
            fields = [
                dict(zip(names, values, strict=True))
                for values in zip(*(v for _n, v in columns), strict=True)
            ]
        else:
            fields = [{} for _pk in pks]
        encode, label = self.encode, self.label
        out = [
            encode({"model": label, "pk": pk, "fields": f}) for pk, f in zip(pk_values, fields, strict=True)
        ]
        out.append("")
        return "\n".join(out)

    def _m2m_values(self, pks: list[Any]) -> Iterator[tuple[str, list[list[Any]]]]:
        for name, through, source, target, ordering, natural in self.m2m:
            by_source: dict[Any, list[Any]] = {pk: [] for pk in pks}
            links = through._default_manager.filter(**{f"{source}__in": pks}).order_by(*ordering)
            pairs = list(links.values_list(source, target))
            if natural is not None:
                keys = self.natural_keys.resolve(natural, natural._meta.pk, (t for _s, t in pairs))
                for s, t in pairs:
                    by_source[s].append(keys[t])
            else:
                for s, t in pairs:
                    by_source[s].append(t)
            yield name, [by_source[pk] for pk in pks]


class _Unsupported(Exception):
    pass


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, json.JSONDecodeError):
        raise TransferError("this is not a Qualitas export (no readable manifest.json)") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise TransferError(
            f"unsupported archive format {manifest.get('format')!r} v{manifest.get('version')!r}"
        )
    return manifest


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def import_organization(path: Path, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from qualitas.core.models import organization_model

    Organization, User = organization_model(), get_user_model()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as exc:
        raise TransferError(f"cannot open {path}: {exc}") from None
    with archive:
        manifest = read_manifest(archive)
        if Organization.objects.exists() or User.objects.exists():
            raise TransferError("the database is not empty: import needs a freshly migrated database")
        touched: set[type[models.Model]] = set()
        count = 0
        with transaction.atomic():
            stream = io.StringIO(archive.read("data.jsonl").decode())
            for item in serializers.deserialize("jsonl", stream, handle_forward_references=True):
                item.save()
                touched.add(type(item.object))
                count += 1
                if progress is not None and count % 500 == 0:
                    progress(500)
            for name in archive.namelist():
                if name.startswith("files/") and not name.endswith("/"):
                    storage_name = name.removeprefix("files/")
                    if ".." in Path(storage_name).parts or storage_name.startswith("/"):
                        raise TransferError(f"unsafe file name in archive: {name}")
                    if default_storage.exists(storage_name):
                        default_storage.delete(storage_name)
                    saved = default_storage.save(storage_name, ContentFile(archive.read(name)))
                    if saved != storage_name:
                        raise TransferError(f"could not restore {storage_name} under its own name")
            _reset_sequences(touched)
            from qualitas.core.registry import registry

            org = Organization.objects.get(uuid=manifest["organization"]["uuid"])
            for hook in registry.post_import_hooks:
                hook(org)
    return {"organization": manifest["organization"], "objects": count}
