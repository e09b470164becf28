"""Load maturity models from data files (JSON or TOML) into the shared catalog.

The catalog is the same on every installation and belongs to no organization. Loading is
idempotent: elements, levels and criteria are matched by number and position and updated in place,
so their ids (which ratings refer to) stay stable when a model file is revised.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = "qualitas-maturity-model"


class ModelFileError(ValueError):
    pass


def shipped_files() -> list[Path]:
    return sorted([*DATA_DIR.glob("*.json"), *DATA_DIR.glob("*.toml")])


def read_file(path: Path) -> dict[str, Any]:
    try:
        if path.suffix == ".toml":
            with path.open("rb") as fh:
                return tomllib.load(fh)
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ModelFileError(f"{path.name}: cannot read ({exc})") from None


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem of a model file, as sentences naming where it is; empty when the file is good."""
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f'"format" must be "{FORMAT}"')
    for key in ("code", "title", "version", "clauses"):
        if not data.get(key):
            problems.append(f'"{key}" is missing')
    names = data.get("level_names", [])
    if len(names) != 5:
        problems.append('"level_names" must name the five levels')
    numbers: set[str] = set()
    for c in data.get("clauses", []):
        cn = c.get("number", "?")
        if not c.get("title"):
            problems.append(f"clause {cn}: title is missing")
        key_question = c.get("key_question") or {}
        if not key_question.get("question") or len(key_question.get("levels", [])) != 5:
            problems.append(f"clause {cn}: key_question needs a question and five level descriptions")
        if not c.get("elements"):
            problems.append(f"clause {cn}: no elements")
        for e in c.get("elements", []):
            en = e.get("number", "?")
            if en in numbers:
                problems.append(f"element {en}: number used twice")
            numbers.add(en)
            if not str(en).startswith(f"{cn}."):
                problems.append(f"element {en}: number does not belong to clause {cn}")
            if not e.get("title"):
                problems.append(f"element {en}: title is missing")
            levels = e.get("levels", [])
            if len(levels) != 5:
                problems.append(f"element {en}: needs exactly five levels")
            for i, level in enumerate(levels, start=1):
                crit = level.get("criteria", [])
                if not 1 <= len(crit) <= 6 or not all(isinstance(t, str) and t.strip() for t in crit):
                    problems.append(f"element {en} level {i}: needs one to six non-empty criteria")
    for name, profile in (data.get("profiles") or {}).items():
        unknown = [n for n in profile.get("elements", []) if n not in numbers]
        if unknown:
            problems.append(f"profile {name}: unknown elements {', '.join(unknown)}")
    return problems


@dataclass
class CatalogModels:
    """The catalog classes (real ones, or historical ones inside a data migration)."""

    MaturityModel: Any
    Element: Any
    Level: Any
    Criterion: Any

    @classmethod
    def current(cls) -> CatalogModels:
        from qualitas.assessment import models

        return cls(models.MaturityModel, models.Element, models.Level, models.Criterion)


def _upsert_levels(m: CatalogModels, element: Any, levels: list[Any]) -> None:
    for number, spec in enumerate(levels, start=1):
        if isinstance(spec, str):
            spec = {"description": spec, "criteria": []}
        level, _ = m.Level.objects.update_or_create(
            element=element, number=number, defaults={"description": spec.get("description", "")}
        )
        texts = spec.get("criteria", [])
        for position, text in enumerate(texts, start=1):
            m.Criterion.objects.update_or_create(
                level=level, position=position, defaults={"text": text.strip()}
            )
        m.Criterion.objects.filter(level=level, position__gt=len(texts)).delete()


@transaction.atomic
def load_data(data: dict[str, Any], models: CatalogModels | None = None) -> Any:
    problems = validate(data)
    if problems:
        raise ModelFileError("; ".join(problems))
    m = models or CatalogModels.current()
    profiles = {k: list(v.get("elements", [])) for k, v in (data.get("profiles") or {}).items()}
    mm, _ = m.MaturityModel.objects.update_or_create(
        code=data["code"],
        defaults={
            "title": data["title"],
            "version": str(data["version"]),
            "based_on": data.get("based_on", ""),
            "description": data.get("description", ""),
            "level_names": list(data["level_names"]),
            "profiles": profiles,
        },
    )
    position = 0
    keep: set[int] = set()
    for clause in data["clauses"]:
        position += 1
        key = clause["key_question"]
        el, _ = m.Element.objects.update_or_create(
            maturity_model=mm,
            kind="key",
            number=clause["number"],
            defaults={
                "clause": clause["number"],
                "clause_title": clause["title"],
                "title": clause["title"],
                "question": key["question"],
                "summary": key.get("summary", ""),
                "position": position,
            },
        )
        keep.add(el.pk)
        _upsert_levels(m, el, key["levels"])
        for spec in clause["elements"]:
            position += 1
            el, _ = m.Element.objects.update_or_create(
                maturity_model=mm,
                kind="element",
                number=spec["number"],
                defaults={
                    "clause": clause["number"],
                    "clause_title": clause["title"],
                    "title": spec["title"],
                    "question": spec.get("question", ""),
                    "summary": spec.get("summary", ""),
                    "position": position,
                },
            )
            keep.add(el.pk)
            _upsert_levels(m, el, spec["levels"])
    # Elements dropped from the file go unless an assessment already rated them (kept for history).
    for stale in m.Element.objects.filter(maturity_model=mm).exclude(pk__in=keep):
        try:
            with transaction.atomic():
                stale.delete()
        except Exception:
            pass
    return mm


def load_file(path: Path, models: CatalogModels | None = None) -> Any:
    return load_data(read_file(path), models)


def load_shipped(models: CatalogModels | None = None) -> list[Any]:
    return [load_file(p, models) for p in shipped_files()]
