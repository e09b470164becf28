"""What the production area contributes to readiness, ISO 9004 indicators, management review,
navigation and the demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from qualitas.core.registry import EvidenceSource, Indicator, NavEntry, ReviewInput, registry


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _characteristics(org: Any) -> dict[str, Any]:
    from qualitas.production.models import Characteristic

    qs = Characteristic.objects.filter(organization=org).select_related("product").order_by("product", "name")
    return {
        "count": qs.count(),
        "url": _url("production:characteristic_list"),
        "items": [(str(c), c.get_absolute_url()) for c in qs[:10]],
    }


def _control(org: Any) -> dict[str, Any]:
    from qualitas.production.models import Characteristic

    qs = Characteristic.objects.filter(organization=org, limits_locked_at__isnull=False).select_related(
        "product"
    )
    return {
        "count": qs.count(),
        "url": _url("production:analysis"),
        "items": [
            (f"{c} — limits locked {c.limits_locked_at:%Y-%m-%d}", c.get_absolute_url()) for c in qs[:10]
        ],
    }


def _traceability(org: Any) -> dict[str, Any]:
    from qualitas.production.models import Lot

    qs = Lot.objects.filter(organization=org).annotate(n=Count("parents")).filter(n__gt=0).order_by("-pk")
    return {
        "count": qs.count(),
        "url": _url("production:lot_list"),
        "items": [
            (f"{lot.number} — made from {lot.n} lot(s)", _url("production:lot_genealogy", lot.pk))
            for lot in qs[:10]
        ],
    }


def _releases(org: Any) -> dict[str, Any]:
    from qualitas.production.models import LotRelease

    qs = LotRelease.objects.filter(organization=org).select_related("lot").order_by("-signed_at")
    return {
        "count": qs.count(),
        "url": _url("production:lot_list") + "?status=released",
        "items": [
            (
                f"{r.lot.number} released by {r.signer_name} on {r.signed_at:%Y-%m-%d}",
                r.lot.get_absolute_url(),
            )
            for r in qs[:10]
        ],
    }


def _nonconforming(org: Any) -> dict[str, Any]:
    from qualitas.production.models import LotDisposition, Signal

    qs = Signal.objects.filter(organization=org).select_related("lot").order_by("-created_at")
    disp = LotDisposition.objects.filter(organization=org).count()
    return {
        "count": qs.count() + disp,
        "url": _url("production:lot_list") + "?status=on_hold",
        "items": [(s.detail[:120], s.lot.get_absolute_url()) for s in qs[:10]],
    }


def _records(org: Any) -> dict[str, Any]:
    from qualitas.production.models import InspectionRecord

    qs = InspectionRecord.objects.filter(organization=org).select_related("lot").order_by("-recorded_at")
    return {
        "count": qs.count(),
        "url": _url("production:lot_list"),
        "items": [(str(r), r.get_absolute_url()) for r in qs[:10]],
    }


def _equipment(org: Any) -> dict[str, Any]:
    from qualitas.production.models import InspectionRecord

    rows = (
        InspectionRecord.objects.filter(organization=org)
        .exclude(equipment="")
        .values("equipment")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    items = [(f"{r['equipment']}: {r['n']} inspection(s)", _url("production:lot_list")) for r in rows[:10]]
    return {"count": len(rows), "url": _url("production:lot_list"), "items": items}


def _critical_capable(org: Any) -> dict[str, Any]:
    from qualitas.production import queries

    rows = [r for r in queries.capability_summary(org, critical_only=True) if r["cpk"] is not None]
    if not rows:
        return {
            "value": None,
            "display": "no data yet",
            "suggested_level": None,
            "detail": "No critical measured characteristic with readings.",
            "url": _url("production:analysis"),
        }
    share = sum(1 for r in rows if r["cpk"] >= 1.33) / len(rows)
    level = 1 if share < 0.25 else 2 if share < 0.5 else 3 if share < 0.75 else 4 if share < 0.95 else 5
    return {
        "value": share,
        "display": f"{share:.0%}",
        "suggested_level": level,
        "detail": f"{sum(1 for r in rows if r['cpk'] >= 1.33)} of {len(rows)} critical characteristics have "
        "Cpk ≥ 1.33.",
        "url": _url("production:analysis"),
    }


def _yield_trend(org: Any) -> dict[str, Any]:
    from django.utils import timezone

    from qualitas.production.models import InspectionRecord

    today = timezone.localdate()
    half = today - dt.timedelta(days=182)
    year = today - dt.timedelta(days=365)
    qs = InspectionRecord.objects.filter(organization=org, recorded_at__date__gte=year)
    agg = qs.aggregate(
        old=Count("pk", filter=Q(recorded_at__date__lt=half)),
        old_pass=Count("pk", filter=Q(recorded_at__date__lt=half, verdict="pass")),
        new=Count("pk", filter=Q(recorded_at__date__gte=half)),
        new_pass=Count("pk", filter=Q(recorded_at__date__gte=half, verdict="pass")),
    )
    if not agg["old"] or not agg["new"]:
        return {
            "value": None,
            "display": "no data yet",
            "suggested_level": None,
            "detail": "Needs a year of inspection records.",
            "url": _url("production:analysis"),
        }
    before, after = agg["old_pass"] / agg["old"], agg["new_pass"] / agg["new"]
    delta = after - before
    level = 2 if delta < -0.01 else 3 if delta < 0.005 else 4
    return {
        "value": after,
        "display": f"{after:.1%} ({delta:+.1%})",
        "suggested_level": level,
        "detail": f"First-pass yield {before:.1%} in the first half-year, {after:.1%} in the last.",
        "url": _url("production:analysis"),
    }


def _review_performance(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    from qualitas.production import queries

    fpy = queries.first_pass_yield(org, start, end)
    total = sum(r["total"] for r in fpy)
    passed = sum(r["passed"] for r in fpy)
    counts = queries.lot_counts(org)
    summary = (
        f"{total} inspections, {passed / total:.1%} passed first time; {counts['released']} lots released, "
        f"{counts['on_hold']} on hold, {counts['rejected']} rejected."
        if total
        else "No inspection recorded."
    )
    return {
        "summary": summary,
        "figures": [
            ("First-pass yield", f"{passed / total:.1%}" if total else "—"),
            ("Lots on hold", counts["on_hold"]),
            ("Lots rejected", counts["rejected"]),
        ],
        "items": [
            (f"{r['product']} · {r['stage']}: {r['passed']}/{r['total']}", _url("production:analysis"))
            for r in fpy[:10]
        ],
        "chart": {
            "type": "bar",
            "labels": [f"{r['product']} {r['stage']}" for r in fpy[:10]],
            "series": [round(100 * (r["fpy"] or 0), 1) for r in fpy[:10]],
        }
        if fpy
        else None,
    }


def _review_monitoring(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    from qualitas.production import queries

    summary_rows = queries.capability_summary(org)
    capable = [r for r in summary_rows if r["cpk"] is not None and r["cpk"] >= 1.33]
    flagged = [r for r in summary_rows if r["signals"]]
    pareto = queries.defect_pareto(org, start, end, limit=8)
    return {
        "summary": f"{len(capable)} of {len(summary_rows)} measured characteristics capable (Cpk ≥ 1.33); "
        f"{len(flagged)} with control-chart signals.",
        "figures": [
            ("Capable characteristics", f"{len(capable)}/{len(summary_rows)}"),
            ("Characteristics with signals", len(flagged)),
        ],
        "items": [
            (
                f"{r['characteristic']}: Cpk {r['cpk']:.2f}"
                if r["cpk"] is not None
                else str(r["characteristic"]),
                r["characteristic"].get_absolute_url(),
            )
            for r in summary_rows[:10]
        ],
        "chart": {"type": "bar", "labels": [p[0] for p in pareto], "series": [p[1] for p in pareto]}
        if pareto
        else None,
    }


def register() -> None:
    from qualitas.production import demo

    registry.add_nav(
        NavEntry("Operate", "Lots and inspection", "production:lot_list", order=40),
        NavEntry("Operate", "Inspection plans", "production:plan_list", order=41),
        NavEntry("Operate", "Products", "production:product_list", order=42),
        NavEntry("Operate", "SPC and capability", "production:analysis", order=43),
    )
    sources = [
        EvidenceSource(
            "production.characteristics",
            "Product characteristics with specifications and methods",
            ("8.5.1",),
            _characteristics,
        ),
        EvidenceSource(
            "production.control",
            "Control charts with locked limits (process monitoring)",
            ("8.5.1", "9.1.1"),
            _control,
        ),
        EvidenceSource(
            "production.traceability",
            "Lot genealogy (input lots of each output lot)",
            ("8.5.2",),
            _traceability,
        ),
        EvidenceSource(
            "production.releases", "Lot releases signed by an authorised person", ("8.6",), _releases
        ),
        EvidenceSource(
            "production.nonconforming",
            "Signals on nonconforming product and dispositions",
            ("8.7",),
            _nonconforming,
        ),
        EvidenceSource("production.records", "Inspection and test records", ("8.6", "9.1.1"), _records),
        EvidenceSource(
            "production.equipment", "Measuring equipment named on inspection records", ("7.1.5",), _equipment
        ),
    ]
    for s in sources:
        registry.evidence_sources[s.key] = s
    for ind in (
        Indicator(
            "production.critical_capable",
            "Share of critical characteristics with Cpk ≥ 1.33",
            ("8.4",),
            _critical_capable,
        ),
        Indicator(
            "production.yield_trend", "First-pass yield and its trend over the year", ("10.3",), _yield_trend
        ),
    ):
        registry.indicators[ind.key] = ind
    for ri in (
        ReviewInput(
            "production.performance",
            "Process performance and conformity of products",
            "9.3.2 c) 3)",
            _review_performance,
            order=40,
        ),
        ReviewInput(
            "production.monitoring",
            "Monitoring and measurement results",
            "9.3.2 c) 5)",
            _review_monitoring,
            order=50,
        ),
    ):
        registry.review_inputs[ri.key] = ri
    registry.demo_loaders.append((40, "production", demo.load))
