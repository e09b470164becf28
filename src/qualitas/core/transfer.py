"""Export one organization to a ZIP archive and import it into an empty database.

The archive holds ``manifest.json``, ``data.jsonl`` (Django's JSON Lines serialization, primary keys
kept, content types by natural key) and ``files/`` (attachments, under their storage names). An
import restores the same records, numbers and audit chain, so ``audit verify`` passes afterwards.
Records are restored, not re-created through services: no new audit events are written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.db import connection, models, transaction

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


def export_organization(
    org: Any, path: Path, *, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = io.StringIO()
        for model in exported_models():
            lookup = _org_filter(model, org)
            if lookup is None:
                raise TransferError(f"{model._meta.label} has no organization link and cannot be exported.")
            qs = model._default_manager.filter(**lookup).distinct().order_by("pk")
            count = 0
            for obj in qs.iterator(2000):
                data.write(serializers.serialize("jsonl", [obj], use_natural_foreign_keys=True))
                count += 1
                for field in obj._meta.fields:
                    if isinstance(field, models.FileField):
                        fieldfile = getattr(obj, field.attname)
                        if fieldfile and default_storage.exists(fieldfile.name):
                            with default_storage.open(fieldfile.name, "rb") as fh:
                                archive.writestr(f"files/{fieldfile.name}", fh.read())
            counts[model._meta.label_lower] = count
            if progress is not None:
                progress(model._meta.label_lower, count)
        archive.writestr("data.jsonl", data.getvalue())
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "organization": {"uuid": str(org.uuid), "slug": org.slug, "name": org.name},
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            "counts": counts,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return counts


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
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
    from qualitas.accounts.models import Organization, User

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
            from qualitas.accounts.models import Organization as Org
            from qualitas.core.registry import registry

            org = Org.objects.get(uuid=manifest["organization"]["uuid"])
            for hook in registry.post_import_hooks:
                hook(org)
    return {"organization": manifest["organization"], "objects": count}
