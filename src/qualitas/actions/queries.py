from __future__ import annotations

from typing import Any

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
    from django.contrib.contenttypes.models import ContentType

    return Action.objects.filter(
        organization_id=obj.organization_id,
        subject_type=ContentType.objects.get_for_model(obj),
        subject_id=obj.pk,
    ).select_related("owner")
