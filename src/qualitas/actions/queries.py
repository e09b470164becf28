"""Read side of actions: other areas read actions only through these functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from qualitas.actions.choices import OPEN_STATES
from qualitas.actions.models import Action


def open_actions(qs: QuerySet[Action]) -> QuerySet[Action]:
    return qs.filter(status__in=OPEN_STATES)


def overdue(qs: QuerySet[Action]) -> QuerySet[Action]:
    return open_actions(qs).filter(due_date__lt=timezone.localdate())


def my_tasks(organization: Any, user: Any) -> QuerySet[Action]:
    return (
        open_actions(Action.objects.filter(organization=organization, owner=user))
        .select_related("owner", "subject_type")
        .order_by("due_date", "pk")
    )


def actions_about(obj: Any) -> QuerySet[Action]:
    return Action.objects.filter(
        organization_id=obj.organization_id,
        subject_type=ContentType.objects.get_for_model(obj),
        subject_id=obj.pk,
    ).select_related("owner")


def actions_about_any(organization: Any, model: type[models.Model], ids: Iterable[int]) -> QuerySet[Action]:
    """The actions whose subject is one of the records ``ids`` of ``model`` (one query)."""
    return Action.objects.filter(
        organization=organization,
        subject_type=ContentType.objects.get_for_model(model),
        subject_id__in=list(ids),
    ).select_related("owner")


def actions_about_area(organization: Any, app_label: str) -> QuerySet[Action]:
    """The actions whose subject is a record of one area (``"improvement"``)."""
    return Action.objects.filter(organization=organization, subject_type__app_label=app_label)


def open_actions_due_by(organization: Any, day: dt.date) -> QuerySet[Action]:
    """Open actions due on or before ``day`` whose owner is an active member, owner read along."""
    return (
        open_actions(Action.objects.filter(organization=organization, due_date__lte=day))
        .filter(
            owner__is_active=True,
            owner__memberships__organization=organization,
            owner__memberships__is_active=True,
        )
        .select_related("owner")
    )


def busiest_owner(organization: Any, among: QuerySet[Any]) -> int | None:
    """Of the users ``among`` (a queryset of user ids), the one who owns the most actions."""
    row = (
        Action.objects.filter(organization=organization, owner__in=among)
        .values("owner")
        .annotate(n=models.Count("pk"))
        .order_by("-n")
        .first()
    )
    return None if row is None else int(row["owner"])
