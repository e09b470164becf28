"""Reading the trail: filters for the trail page and API, and one record's history."""

from __future__ import annotations

from django.db import models

from qualitas.core.audit.writing import object_type_of
from qualitas.core.models import AuditEvent


def single_action(organization_id: int, value: str) -> str | None:
    """The one action name that starts with ``value``, if exactly one does (two index seeks)."""
    upper = value + "\U0010ffff"
    events = AuditEvent.objects.filter(organization_id=organization_id).order_by("action")
    first: str | None = (
        events.filter(action__gte=value, action__lt=upper).values_list("action", flat=True).first()
    )
    if first is None or events.filter(action__gt=first, action__lt=upper).exists():
        return None
    return first


def trail_filters(
    organization_id: int, *, action: str = "", object_type: str = ""
) -> tuple[models.Q, models.Q]:
    """The trail filtered by action prefix and object type, as two equivalent filters.

    ``walk`` keeps the indexes on ``action`` and ``object_type`` out of the plan, so the database reads
    the trail newest first along ``seq`` and stops after a page: fast when matches are dense. ``index``
    adds the same conditions in the form the ``(organization, action, seq)`` and ``(organization,
    object_type, …)`` indexes answer: a bounded count, and the rows of a sparse match (sorted after).
    ``TrailPaginator`` counts with ``walk & index`` and reads rows the cheaper way.

    An action prefix that covers a single name ("action.complete", or "action.compl") becomes that
    exact name, which ``(organization, action, seq)`` answers newest first in both forms."""
    walk, index = models.Q(), models.Q()
    if action:
        name = single_action(organization_id, action)
        if name is not None:
            walk &= models.Q(action=name)
        else:
            walk &= models.Q(action__startswith=action)  # LIKE: not an index range on SQLite
            index &= models.Q(action__gte=action, action__lt=action + "\U0010ffff")
    if object_type:
        walk &= models.Q(object_type__iexact=object_type)  # types are lower case "app.model"
        index &= models.Q(object_type=object_type)
    return walk, index


def history_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        organization_id=obj.organization_id,  # type: ignore[attr-defined]
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
    ).order_by("-seq")
