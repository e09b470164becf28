"""The organization's corrective-action rules and lists, its root-cause categories and each person's
notification preferences."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core.services import create_record, delete_record, update_record
from qualitas.improvement import queries
from qualitas.improvement.choices import DEFAULT_CAUSE_CATEGORIES, Severity, Source
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementSettings,
    Nonconformity,
    NotificationPreference,
)


@transaction.atomic
def save_settings(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ImprovementSettings:
    current = ImprovementSettings.objects.filter(organization=organization).first()
    for kind, field in (("source", "sources"), ("severity", "severities")):
        if field in data:
            data = {**data, field: _clean_entries(organization, kind, field, data[field])}
    if current is None:
        return create_record(ImprovementSettings, organization=organization, actor=actor, data=data)
    return update_record(current, actor=actor, data=data, expected_version=expected_version, reason=reason)


CODE_RE = re.compile(r"^[a-z0-9_]{1,30}$")


def _clean_entries(organization: Any, kind: str, field: str, entries: Any) -> list[dict[str, Any]]:
    """Check a new list of sources or severities: codes unique and well-formed, labels given, the
    built-in codes (other areas send them) present and active, and no code in use removed."""
    if not isinstance(entries, list):
        raise ValidationError({field: "Give a list of entries."})
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in entries:
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        label = str(entry.get("label", "")).strip() if isinstance(entry, dict) else ""
        if not CODE_RE.match(code):
            raise ValidationError({field: f"“{code}”: a code is 1 to 30 lower-case letters, digits or _."})
        if code in seen:
            raise ValidationError({field: f"The code “{code}” appears twice."})
        if not label or len(label) > 100:
            raise ValidationError({field: f"The code “{code}” needs a label of at most 100 characters."})
        seen.add(code)
        clean.append({"code": code, "label": label, "retired": bool(entry.get("retired"))})
    builtin = Source.values if kind == "source" else Severity.values
    for code in builtin:
        if code not in seen or any(e["code"] == code and e["retired"] for e in clean):
            raise ValidationError(
                {field: f"“{code}” is built in (other areas send it): rename it, but keep it active."}
            )
    in_use = queries.code_in_use(organization, kind, seen)
    if in_use is not None:
        raise ValidationError(
            {field: f"Nonconformities use “{in_use}”: it cannot be removed, mark it retired instead."}
        )
    return clean


@transaction.atomic
def seed_cause_categories(organization: Any, *, actor: Any) -> int:
    """Create the default root-cause categories the organization does not have yet."""
    have = set(CauseCategory.objects.filter(organization=organization).values_list("name", flat=True))
    made = 0
    for name, description in DEFAULT_CAUSE_CATEGORIES:
        if name not in have:
            create_record(
                CauseCategory,
                organization=organization,
                actor=actor,
                data={"name": name, "description": description},
            )
            made += 1
    return made


def delete_cause_category(cat: CauseCategory, *, actor: Any, reason: str = "") -> None:
    def unused(fresh: CauseCategory) -> None:
        if Nonconformity.objects.filter(organization=fresh.organization, cause_category=fresh).exists():
            raise ValidationError("Nonconformities use this category: make it inactive instead.")

    delete_record(cat, actor=actor, reason=reason, check=unused)


@transaction.atomic
def save_preferences(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> NotificationPreference:
    """The person's own notification choices (each person has one row per organization)."""
    current = NotificationPreference.objects.filter(organization=organization, user=actor).first()
    if current is None:
        return create_record(
            NotificationPreference, organization=organization, actor=actor, data={**data, "user": actor}
        )
    return update_record(current, actor=actor, data=data, expected_version=expected_version, reason=reason)
