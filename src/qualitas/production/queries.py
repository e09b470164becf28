"""Read side: lot status at a glance, yield, defect Pareto, capability summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from qualitas.production import analysis
from qualitas.production.choices import CharacteristicKind, Criticality, LotStatus, Verdict
from qualitas.production.models import Characteristic, InspectionRecord, Lot, Reading


def lots_with_status(qs: QuerySet[Lot]) -> QuerySet[Lot]:
    return qs.annotate(
        record_count=Count("records", distinct=True),
        failed_count=Count("records", filter=Q(records__verdict=Verdict.FAIL), distinct=True),
        signal_count=Count("signals", distinct=True),
    )


def first_pass_yield(
    organization: Any, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict]:
    """Share of inspection records that passed, per product and stage."""
    qs = InspectionRecord.objects.filter(organization=organization)
    if start:
        qs = qs.filter(recorded_at__date__gte=start)
    if end:
        qs = qs.filter(recorded_at__date__lte=end)
    rows = (
        qs.values("lot__product__part_number", "lot__product__name", "plan__stage")
        .annotate(total=Count("pk"), passed=Count("pk", filter=Q(verdict=Verdict.PASS)))
        .order_by("lot__product__part_number", "plan__stage")
    )
    return [
        {
            "product": f"{r['lot__product__part_number']} {r['lot__product__name']}",
            "stage": r["plan__stage"] or "—",
            "total": r["total"],
            "passed": r["passed"],
            "fpy": r["passed"] / r["total"] if r["total"] else None,
        }
        for r in rows
    ]


def defect_pareto(
    organization: Any, start: dt.date | None = None, end: dt.date | None = None, limit: int = 12
) -> list[tuple[str, int]]:
    """Nonconforming readings per characteristic, largest first."""
    qs = Reading.objects.filter(organization=organization, out_of_spec=True)
    if start:
        qs = qs.filter(record__recorded_at__date__gte=start)
    if end:
        qs = qs.filter(record__recorded_at__date__lte=end)
    rows = (
        qs.values("characteristic__product__part_number", "characteristic__name")
        .annotate(n=Count("pk"), d=Sum("defects"))
        .order_by("-n")[:limit]
    )
    return [
        (f"{r['characteristic__product__part_number']} {r['characteristic__name']}", int(r["n"]))
        for r in rows
    ]


def capability_summary(organization: Any, *, critical_only: bool = False) -> list[dict[str, Any]]:
    qs = Characteristic.objects.filter(
        organization=organization, kind=CharacteristicKind.NUMERIC, product__is_active=True
    ).select_related("product")
    if critical_only:
        qs = qs.filter(criticality=Criticality.CRITICAL)
    out = []
    for ch in qs:
        view = analysis.chart_view(ch)
        cap = analysis.capability_of(ch, view)
        out.append(
            {
                "characteristic": ch,
                "capability": cap,
                "cpk": cap.cpk if cap else None,
                "signals": len(view.violations) if view else 0,
                "locked": ch.limits_locked,
            }
        )
    return out


def lot_counts(organization: Any) -> dict[str, int]:
    rows = Lot.objects.filter(organization=organization).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(LotStatus.values, 0)
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def genealogy(lot: Lot, depth: int = 4) -> dict[str, list[list[Lot]]]:
    """Input lots (made from) and output lots (used in), level by level."""

    def walk(start: list[Lot], attr: str) -> list[list[Lot]]:
        levels, seen, frontier = [], {lot.pk}, start
        for _ in range(depth):
            nxt: list[Lot] = []
            for item in frontier:
                for rel in (
                    getattr(item, attr).filter(organization_id=lot.organization_id).select_related("product")
                ):
                    if rel.pk not in seen:
                        seen.add(rel.pk)
                        nxt.append(rel)
            if not nxt:
                break
            levels.append(nxt)
            frontier = nxt
        return levels

    return {"inputs": walk([lot], "parents"), "outputs": walk([lot], "children")}


def monthly_yield(organization: Any, months: int = 12) -> list[tuple[str, float | None, int]]:
    """First-pass yield per calendar month over the last ``months`` months: (label, share, inspections)."""
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    since = timezone.now() - dt.timedelta(days=31 * months)
    rows = (
        InspectionRecord.objects.filter(organization=organization, recorded_at__gte=since)
        .annotate(m=TruncMonth("recorded_at"))
        .values("m")
        .annotate(total=Count("pk"), passed=Count("pk", filter=Q(verdict=Verdict.PASS)))
        .order_by("m")
    )
    return [(f"{r['m']:%Y-%m}", r["passed"] / r["total"] if r["total"] else None, r["total"]) for r in rows]
