"""Analysis of nonconformities: every figure is one SQL aggregate (no per-row Python loops)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from qualitas.actions.choices import OPEN_STATES, ActionKind, ActionStatus
from qualitas.actions.queries import actions_about_area
from qualitas.core.dbfunctions import DaysBetween, LocalDate, MonthStart
from qualitas.improvement.choices import OPEN_NC_STATES, NCStatus, Source
from qualitas.improvement.models import ImprovementSettings, Lesson, Nonconformity

AGING = ((0, 30, "0–30 days"), (31, 60, "31–60 days"), (61, 90, "61–90 days"), (91, None, "over 90 days"))


def summary(qs: QuerySet[Nonconformity]) -> dict[str, Any]:
    today = timezone.localdate()
    open_q = Q(status__in=OPEN_NC_STATES)
    buckets = {}
    for lo, hi, label in AGING:
        cond = open_q & Q(detected_on__lte=today - dt.timedelta(days=lo))
        if hi is not None:
            cond &= Q(detected_on__gte=today - dt.timedelta(days=hi))
        buckets[label] = Count("pk", filter=cond)
    row = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(due_date__lt=today)),
        closed=Count("pk", filter=Q(status=NCStatus.CLOSED)),
        recurrences=Count("pk", filter=Q(recurrence_of__isnull=False)),
        cost_total=Sum("cost"),
        costed=Count("pk", filter=Q(cost__isnull=False)),
        **{f"age_{i}": agg for i, agg in enumerate(buckets.values())},
    )
    mean = qs.filter(status=NCStatus.CLOSED, closed_at__isnull=False).aggregate(
        mean=Avg(DaysBetween(LocalDate("closed_at"), "detected_on"))
    )["mean"]
    row["mean_days_to_close"] = round(float(mean), 1) if mean is not None else None
    row["aging"] = [(label, row.pop(f"age_{i}")) for i, label in enumerate(buckets)]
    row["cost"] = row.pop("cost_total") or Decimal("0")
    return row


def pareto(qs: QuerySet[Nonconformity], field: str, *, by_cost: bool = False) -> list[tuple[str, float]]:
    """Counts (or cost) grouped by ``field`` (``cause_category__name``, ``source``, ``process__name``)."""
    measure = Coalesce(Sum("cost"), Decimal("0")) if by_cost else Count("pk")
    rows = qs.values(field).annotate(v=measure).order_by("-v")
    labels: dict[str, str] = {}
    if field == "source":
        found = ImprovementSettings.objects.filter(organization__in=qs.values("organization_id")[:1]).first()
        labels = found.labels("source") if found is not None else dict(Source.choices)
    out = []
    for r in rows:
        key = r[field]
        if by_cost and not r["v"]:
            continue
        out.append((labels.get(key, key) or "Not set", float(r["v"])))
    return out


def monthly(qs: QuerySet[Nonconformity], months: int = 12) -> tuple[list[str], list[float], list[float]]:
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    opened = dict(
        qs.filter(detected_on__gte=start)
        .annotate(m=MonthStart("detected_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    closed = _closed_by_month(qs, start)
    labels, o, c = [], [], []
    cursor = start
    while cursor <= today:
        labels.append(cursor.strftime("%Y-%m"))
        o.append(float(_month_get(opened, cursor)))
        c.append(float(_month_get(closed, cursor)))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return labels, o, c


def _closed_by_month(qs: QuerySet[Nonconformity], start: dt.date) -> dict[Any, int]:
    rows = (
        qs.filter(status=NCStatus.CLOSED, closed_at__gte=_local_midnight(start))
        .annotate(m=MonthStart(LocalDate("closed_at")))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    return dict(rows)


def _local_midnight(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the site's time zone (a range filter an index can serve,
    where ``closed_at__date__gte`` converts every row)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month_get(data: dict[Any, int], month: dt.date) -> int:
    for key, value in data.items():
        k = key.date() if isinstance(key, dt.datetime) else key
        if k == month:
            return value
    return 0


def capa_on_time(organization: Any) -> dict[str, Any]:
    """Share of corrective actions closed on time, and share of nonconformities verified effective."""
    today = timezone.localdate()
    ca = actions_about_area(organization, "improvement").filter(
        kind__in=(ActionKind.CORRECTIVE, ActionKind.CORRECTION, ActionKind.PREVENTIVE)
    )
    row = ca.aggregate(
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        done_with_due=Count("pk", filter=Q(status=ActionStatus.DONE, due_date__isnull=False)),
        on_time=Count("pk", filter=Q(status=ActionStatus.DONE, completed_at__date__lte=F("due_date"))),
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_date__lt=today)),
    )
    ncs = Nonconformity.objects.filter(organization=organization).aggregate(
        closed=Count("pk", filter=Q(status=NCStatus.CLOSED)),
        effective=Count(
            "pk", filter=Q(status=NCStatus.CLOSED, verdict="effective", effectiveness_questioned=False)
        ),
    )
    return {**row, **{f"nc_{k}": v for k, v in ncs.items()}}


def lessons_published(organization: Any, since: dt.date | None = None) -> int:
    qs = Lesson.objects.filter(organization=organization, published_at__isnull=False)
    if since:
        qs = qs.filter(published_at__date__gte=since)
    return qs.count()
