"""Read side of the planning area: scoped querysets, the latest value per KPI, dashboard figures.

Nothing here loops over measurements in Python: the latest value comes from a correlated subquery
answered by an index seek, and the recent history for sparklines reads only the last rows of each
series, so page query counts and memory do not grow with the length of the series."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from qualitas.planning.choices import KpiStatus, ObjectiveStatus, RiskLevel, RiskStatus
from qualitas.planning.models import Identity, Kpi, Measurement, Objective, PlanningSettings, Process, Risk
from qualitas.planning.scoring import STATUS_RANK


def _newest(n_outer: str = "pk") -> QuerySet[Measurement]:
    # Filtering on the organization as well lets the (organization, kpi, period, value) index answer
    # "newest first" with an index seek (and no table read) instead of sorting the KPI's whole series.
    return Measurement.objects.filter(organization=OuterRef("organization"), kpi=OuterRef(n_outer)).order_by(
        "-period"
    )


def with_latest(qs: QuerySet[Kpi]) -> QuerySet[Kpi]:
    """KPIs annotated with ``latest_value`` and ``latest_period`` (one correlated subquery each)."""
    newest = _newest()
    return qs.annotate(
        latest_value=Subquery(newest.values("value")[:1]), latest_period=Subquery(newest.values("period")[:1])
    )


# At most this many UNION ALL branches in recent_values (SQLite allows 500 in one compound SELECT).
RECENT_BRANCHES = 20


def recent_values(kpi_ids: list[int], n: int = 12) -> dict[int, list[tuple[Any, float]]]:
    """The last ``n`` (period, value) pairs per KPI, oldest first — two queries whatever the length of
    the series: the n-th newest period per KPI (an index seek each), then only the rows from there on.

    KPIs measured on the same calendar share their cut-off date, so the second query reads one
    ``kpi IN (...) AND period >= cut`` range per distinct date (a handful), as branches of one
    ``UNION ALL``: each branch is an index range, where one ``WHERE ... OR ...`` makes SQLite scan
    the whole table (and hundreds of per-KPI OR branches cost more to build than to read). Past
    ``RECENT_BRANCHES`` dates, neighbouring dates share a branch from the earliest of them and the
    few extra rows are dropped here."""
    if not kpi_ids:
        return {}
    cutoffs = (
        Kpi.objects.filter(pk__in=kpi_ids)
        .annotate(cut=Subquery(_newest().values("period")[n - 1 : n]))
        .values_list("pk", "organization_id", "cut")
    )
    cut_of: dict[int, Any] = {}
    by_cut: dict[tuple[Any, int], list[int]] = defaultdict(list)
    for pk, org_id, cut in cutoffs:
        cut_of[pk] = cut
        by_cut[(cut, org_id)].append(pk)
    out: dict[int, list[tuple[Any, float]]] = defaultdict(list)
    if not by_cut:
        return out
    # Short series (no n-th value: cut None) first, then by date.
    keys = sorted(by_cut, key=lambda key: (key[0] is not None, key[0] or dt.date.min, key[1]))
    size = -(-len(keys) // RECENT_BRANCHES)
    branches = []
    for i in range(0, len(keys), size):
        chunk = keys[i : i + size]
        cuts = [cut for cut, _org in chunk]
        since = {} if None in cuts else {"period__gte": min(cuts)}
        branches.append(
            Measurement.objects.filter(
                organization_id__in={org for _cut, org in chunk},
                kpi_id__in=[pk for key in chunk for pk in by_cut[key]],
                **since,
            )
            .order_by()
            .values_list("kpi_id", "period", "value")
        )
    first, *rest = branches
    rows = first.union(*rest, all=True) if rest else first
    for kpi_id, period, value in rows.order_by("kpi_id", "period"):
        cut = cut_of[kpi_id]
        if cut is None or period >= cut:
            out[kpi_id].append((period, value))
    return out


def kpi_rows(qs: QuerySet[Kpi], *, history: int = 12) -> list[Kpi]:
    """KPIs with ``latest_value``, ``status`` and ``recent`` (for sparklines): three queries in all."""
    qs = qs.select_related("owner", "process", "objective")
    if not history:
        kpis = list(with_latest(qs))
        for k in kpis:
            k.status = k.status_of(k.latest_value)  # type: ignore[attr-defined]
            k.recent = []
        return kpis
    # The newest value closes the recent history: no per-KPI subqueries for it.
    kpis = list(qs)
    recent = recent_values([k.pk for k in kpis], history)
    for k in kpis:
        k.recent = recent.get(k.pk, [])
        k.latest_period, k.latest_value = k.recent[-1] if k.recent else (None, None)  # type: ignore[attr-defined]
        k.status = k.status_of(k.latest_value)  # type: ignore[attr-defined]
    return kpis


def worst_status(statuses: list[str]) -> str:
    if not statuses:
        return str(KpiStatus.NO_DATA)
    return max(statuses, key=lambda s: STATUS_RANK.get(s, -1))  # type: ignore[call-overload]


def open_risks(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    """Risks not closed. Named as ``status IN (open statuses)`` rather than ``status <> closed``: the
    indexes that start (organization, status, ...) then answer with range seeks, not a scan."""
    return qs.filter(status__in=[s for s in RiskStatus.values if s != RiskStatus.CLOSED])


def risks_by_level(qs: QuerySet[Risk]) -> dict[str, dict[str, int]]:
    """Open risks and opportunities counted by kind and current level (one aggregate query)."""
    counts: dict[str, dict[str, int]] = {"risk": {}, "opportunity": {}}
    for row in open_risks(qs).values("kind", "level").annotate(n=Count("pk")):
        counts.setdefault(row["kind"], {})[row["level"]] = row["n"]
    return {kind: {lvl: by.get(lvl, 0) for lvl in RiskLevel.values} for kind, by in counts.items()}


def heat_counts(qs: QuerySet[Risk], *, residual: bool = False) -> dict[tuple[int, int], int]:
    lk, im = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    rows = qs.exclude(**{f"{lk}__isnull": True}).values(lk, im).annotate(n=Count("pk"))
    return {(r[lk], r[im]): r["n"] for r in rows}


def reviews_overdue(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    return open_risks(qs).filter(review_date__lt=timezone.localdate())


def open_objectives(qs: QuerySet[Objective]) -> QuerySet[Objective]:
    return qs.filter(status=ObjectiveStatus.ACTIVE)


def process_kpi_status(processes: list[Process], kpis: list[Kpi]) -> None:
    """Sets ``kpi_status`` and ``kpi_count`` on each process from KPIs already loaded."""
    by_process: dict[int, list[str]] = defaultdict(list)
    for k in kpis:
        if k.process_id:
            by_process[k.process_id].append(k.status)
    for p in processes:
        p.kpi_statuses = by_process.get(p.pk, [])  # type: ignore[attr-defined]
        p.kpi_status = worst_status(p.kpi_statuses)  # type: ignore[attr-defined]
        p.kpi_count = len(p.kpi_statuses)  # type: ignore[attr-defined]


def processes_of(organization: Any) -> QuerySet[Process]:
    """The organization's processes, by code (other areas choose and match processes from these)."""
    return Process.objects.filter(organization=organization)


def get_settings(organization: Any) -> PlanningSettings:
    """The organization's settings, or the defaults (unsaved) when none were stored yet."""
    found = PlanningSettings.objects.filter(organization=organization).first()
    return found or PlanningSettings(organization=organization)


def get_identity(organization: Any) -> Identity:
    """The organization's identity statements, or empty ones (unsaved) before the first save."""
    return Identity.objects.filter(organization=organization).first() or Identity(organization=organization)
