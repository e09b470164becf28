"""Read side: lot status at a glance, yield, defect Pareto, capability summary, what stands in the
way of a release, and what the writers look up before they write."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from qualitas.core.permissions import membership_of
from qualitas.production import analysis
from qualitas.production.choices import CharacteristicKind, Criticality, LotStatus, SignalKind, Verdict
from qualitas.production.models import Characteristic, InspectionPlan, InspectionRecord, Lot, Reading, Signal


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

    since = timezone.now() - dt.timedelta(days=31 * months)
    rows = (
        InspectionRecord.objects.filter(organization=organization, recorded_at__gte=since)
        .annotate(m=TruncMonth("recorded_at"))
        .values("m")
        .annotate(total=Count("pk"), passed=Count("pk", filter=Q(verdict=Verdict.PASS)))
        .order_by("m")
    )
    return [(f"{r['m']:%Y-%m}", r["passed"] / r["total"] if r["total"] else None, r["total"]) for r in rows]


def readings_digest(lot: Lot) -> tuple[int, str]:
    """How many readings the lot has and a SHA-256 over all of them (binds a signature to the data)."""
    rows = (
        Reading.objects.filter(organization_id=lot.organization_id, record__lot=lot)
        .order_by("characteristic_id", "subgroup", "pk")
        .values_list("pk", "characteristic_id", "subgroup", "value", "defects", "sample_size")
    )
    h = hashlib.sha256()
    count = 0
    for row in rows.iterator(5000):
        h.update(repr(row).encode())
        count += 1
    return count, h.hexdigest()


def uncovered_out_of_spec(lot: Lot) -> list[int]:
    """Inspection records of the lot with readings outside specification that no disposition covers.

    Covered means: a disposition recorded on the lot after the record, or a disposition on the
    nonconformity that the record raised.
    """
    oos = dict(
        Reading.objects.filter(organization_id=lot.organization_id, record__lot=lot, out_of_spec=True)
        .values_list("record_id", "record__created_at")
        .distinct()
    )
    if not oos:
        return []
    last = lot.dispositions.order_by("-created_at").values_list("created_at", flat=True).first()
    open_ids = [r for r, at in oos.items() if last is None or at > last]
    if not open_ids:
        return []
    nc_by_record = dict(
        Signal.objects.filter(
            organization_id=lot.organization_id,
            record_id__in=open_ids,
            kind=SignalKind.OUT_OF_SPEC,
            nonconformity_id__isnull=False,
        ).values_list("record_id", "nonconformity_id")
    )
    decided: set[int] = set()
    if nc_by_record:
        try:
            from qualitas.improvement.queries import dispositioned_ids
        except ImportError:  # the improvement area is not installed
            pass
        else:
            decided = dispositioned_ids(lot.organization_id, nc_by_record.values())
    return sorted(r for r in open_ids if nc_by_record.get(r) not in decided)


def release_problems(lot: Lot) -> list[str]:
    problems = []
    if lot.status not in (LotStatus.IN_PROCESS, LotStatus.ON_HOLD):
        problems.append(f"The lot is {lot.get_status_display().lower()}.")
    if not lot.records.exists():
        problems.append("The lot has no inspection record: there is no evidence of conformity yet.")
    uncovered = uncovered_out_of_spec(lot)
    if uncovered:
        problems.append(
            f"{len(uncovered)} inspection record(s) have readings outside specification without a "
            "disposition. Record a disposition on the lot or on its nonconformity first."
        )
    return problems


def next_subgroup(ch: Characteristic) -> int:
    last = Reading.objects.filter(organization_id=ch.organization_id, characteristic=ch).aggregate(
        m=Max("subgroup")
    )
    return (last["m"] or 0) + 1


RULE_NC_WINDOW_DAYS = 30


def recent_rule_nonconformity(record: InspectionRecord, ch: Characteristic) -> tuple[int, str] | None:
    """A rule nonconformity raised for this characteristic in the last 30 days (by inspection time)."""
    since = record.recorded_at - dt.timedelta(days=RULE_NC_WINDOW_DAYS)
    row = (
        Signal.objects.filter(
            organization_id=ch.organization_id,
            characteristic=ch,
            kind=SignalKind.RULE,
            nonconformity_id__isnull=False,
            record__recorded_at__gte=since,
        )
        .order_by("-pk")
        .values_list("nonconformity_id", "nonconformity_reference")
        .first()
    )
    return (int(row[0]), str(row[1])) if row else None


def may_record(user: Any, organization: Any, plan: InspectionPlan) -> bool:
    """Whether the person's role may record inspections under the plan (its recorder roles)."""
    membership = membership_of(user, organization)
    return membership is not None and plan.may_record(membership.role)
