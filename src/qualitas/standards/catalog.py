"""Load the standards catalog from the data files shipped in ``standards/data/`` (TOML or JSON).

The loader is idempotent: it creates or updates standards and clauses by (code, number) and never
touches organizations' data. A clause that disappeared from a data file is kept but marked not
auditable (organizations may still hold requirements on it). Format: docs/standards-format.md.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
DI_VALUES = {"", "maintain", "retain", "both"}
KINDS = {"requirements", "guidance", "legacy"}


class CatalogError(ValueError):
    pass


@dataclass
class LoadResult:
    standards: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0


def sort_key(number: str) -> str:
    """'7.1.5.1' -> '0007.0001.0005.0001' so that 10 sorts after 9 and 4.10 after 4.9."""
    return ".".join(part.zfill(4) for part in number.split("."))


def parent_number(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def read_file(path: Path) -> dict[str, Any]:
    if path.suffix == ".toml":
        with path.open("rb") as fh:
            return tomllib.load(fh)
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    raise CatalogError(f"{path.name}: only .toml and .json catalog files are read")


def validate(data: dict[str, Any], name: str = "catalog") -> None:
    """Refuse a malformed file before anything is written (one clear message)."""
    std = data.get("standard")
    if not isinstance(std, dict) or not std.get("code") or not std.get("title"):
        raise CatalogError(f"{name}: [standard] needs at least code and title")
    if std.get("kind", "requirements") not in KINDS:
        raise CatalogError(f"{name}: kind must be one of {sorted(KINDS)}")
    clauses = data.get("clauses") or []
    seen: set[str] = set()
    for i, c in enumerate(clauses):
        number = str(c.get("number", "")).strip()
        if not number or not all(p.isdigit() for p in number.split(".")):
            raise CatalogError(f"{name}: clause #{i + 1} has no valid number ({number!r})")
        if number in seen:
            raise CatalogError(f"{name}: clause {number} appears twice")
        parent = parent_number(number)
        if parent is not None and parent not in seen:
            raise CatalogError(f"{name}: clause {number} comes before its parent {parent}")
        if not c.get("title"):
            raise CatalogError(f"{name}: clause {number} has no title")
        if c.get("di", "") not in DI_VALUES:
            raise CatalogError(f"{name}: clause {number}: di must be one of {sorted(DI_VALUES)}")
        seen.add(number)


def catalog_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted([*directory.glob("*.toml"), *directory.glob("*.json")])


def load_catalog(
    apps: Any = None, *, directory: Path = DATA_DIR, files: list[Path] | None = None
) -> LoadResult:
    """(Re)load every catalog file. ``apps`` is the migration app registry (or None for the live models)."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Standard = apps.get_model("standards", "Standard")
    Clause = apps.get_model("standards", "Clause")
    result = LoadResult()
    clause_fields = {f.name for f in Clause._meta.get_fields()}
    standard_fields = {f.name for f in Standard._meta.get_fields()}
    parsed = []
    for path in files or catalog_files(directory):
        data = read_file(path)
        validate(data, path.name)
        parsed.append(data)
    for data in parsed:
        std_data = data["standard"]
        standard, _ = Standard.objects.update_or_create(
            code=std_data["code"],
            defaults={
                k: v
                for k, v in {
                    "title": std_data["title"],
                    "edition": std_data.get("edition", ""),
                    "kind": std_data.get("kind", "requirements"),
                    "description": std_data.get("description", ""),
                    "data_version": std_data.get("data_version", ""),
                    "crosswalk_target": std_data.get("crosswalk_target", ""),
                }.items()
                if k in standard_fields
            },
        )
        result.standards += 1
        clauses = data.get("clauses") or []
        numbers = [str(c["number"]).strip() for c in clauses]
        has_children = {parent_number(n) for n in numbers}
        existing = {c.number: c for c in Clause.objects.filter(standard=standard)}
        by_number: dict[str, Any] = {}
        for c in clauses:
            number = str(c["number"]).strip()
            parent = by_number.get(parent_number(number) or "")
            parts = number.split(".")
            auditable_default = (
                std_data.get("kind", "requirements") != "legacy" and number not in has_children
            )
            values = {
                "title": c["title"],
                "parent": parent,
                "level": len(parts),
                "sort_key": sort_key(number),
                "description": c.get("description", ""),
                "guidance": c.get("guidance", ""),
                "documented_information": c.get("di", ""),
                "documented_information_note": c.get("di_note", ""),
                "is_auditable": bool(c.get("auditable", auditable_default)),
                "verified": bool(c.get("verified", True)),
                "group": parts[0],
                "section": ".".join(parts[:2]),
                "typical_evidence": c.get("evidence", ""),
                "amendment_note": c.get("amendment", ""),
                "maps_to": list(c.get("maps_to", [])),
                "mapping_note": c.get("mapping_note", ""),
            }
            # A migration's historical model may predate later fields: set only the fields it has.
            values = {k: v for k, v in values.items() if k in clause_fields}
            obj = existing.pop(number, None)
            if obj is None:
                obj = Clause.objects.create(standard=standard, number=number, **values)
                result.created += 1
            else:
                changed = False
                for key, value in values.items():
                    current = getattr(obj, key)
                    if (current.pk if hasattr(current, "pk") else current) != (
                        value.pk if hasattr(value, "pk") else value
                    ):
                        setattr(obj, key, value)
                        changed = True
                if changed:
                    obj.save()
                    result.updated += 1
            by_number[number] = obj
        for obj in existing.values():  # gone from the file: kept for history, no longer audited
            if obj.is_auditable:
                obj.is_auditable = False
                obj.save(update_fields=["is_auditable"])
                result.retired += 1
    return result
