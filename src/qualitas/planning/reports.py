"""The planning figures other areas read: evidence for the readiness view and the evidence pack,
ISO 9004 indicators and management-review inputs (registered in registrations.py). All figures come
from aggregate queries; none loops over measurements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qualitas.planning import queries
from qualitas.planning.choices import Effectiveness, KpiStatus, ObjectiveStatus, PolicyStatus, RiskStatus
from qualitas.planning.models import (
    ContextIssue,
    InterestedParty,
    Kpi,
    Measurement,
    Objective,
    PolicyCommunication,
    Process,
    ProcessInteraction,
    QualityPolicy,
    Risk,
)


def _items(qs: Any) -> list[tuple[str, str]]:
    return [(str(o), o.get_absolute_url()) for o in qs[:10]]


def _evidence(qs: Any, url_name: str, note: str, *, count: int | None = None) -> dict[str, Any]:
    """An evidence source's summary: how many records (``count``, else all of ``qs``), the register,
    its first ten records and a note."""
    return {
        "count": qs.count() if count is None else count,
        "url": reverse(url_name),
        "items": _items(qs),
        "note": note,
    }


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


# --- evidence sources (readiness, evidence pack) --------------------------------------------------


def evidence_context(org: Any) -> dict[str, Any]:
    qs = ContextIssue.objects.filter(organization=org, is_active=True)
    climate = qs.filter(climate_relevant=True).count()
    return _evidence(
        qs,
        "planning:contextissue_list",
        f"climate change judged relevant in {climate} issue(s)"
        if climate
        else "no issue marks climate change as relevant",
    )


def evidence_parties(org: Any) -> dict[str, Any]:
    qs = InterestedParty.objects.filter(organization=org, is_active=True)
    with_req = qs.exclude(requirements="").count()
    return _evidence(qs, "planning:interestedparty_list", f"{with_req} with requirements taken on")


def evidence_processes(org: Any) -> dict[str, Any]:
    qs = Process.objects.filter(organization=org, is_active=True).select_related("owner")
    links = ProcessInteraction.objects.filter(organization=org).count()
    no_owner = qs.filter(owner__isnull=True).count()
    note = f"{links} interactions mapped" + (f"; {no_owner} without owner" if no_owner else "")
    return _evidence(qs, "planning:process_map", note)


def evidence_policy(org: Any) -> dict[str, Any]:
    current = QualityPolicy.objects.filter(organization=org, status=PolicyStatus.APPROVED).first()
    comms = PolicyCommunication.objects.filter(organization=org, policy=current).count() if current else 0
    return {
        "count": 1 if current else 0,
        "url": reverse("planning:identity"),
        "items": [(str(current), current.get_absolute_url())] if current else [],
        "note": f"communicated {comms} time(s)" if current else "no approved policy",
    }


def evidence_risks(org: Any) -> dict[str, Any]:
    qs = Risk.objects.filter(organization=org).exclude(status=RiskStatus.CLOSED)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("pk")))
    note = f"{by_kind.get('risk', 0)} risks, {by_kind.get('opportunity', 0)} opportunities"
    return _evidence(qs.order_by("-level"), "planning:risk_list", note)


def evidence_objectives(org: Any) -> dict[str, Any]:
    qs = Objective.objects.filter(organization=org).exclude(status=ObjectiveStatus.CANCELLED)
    measured = qs.filter(kpis__isnull=False).distinct().count()
    return _evidence(qs, "planning:objective_list", f"{measured} measured by KPIs")


def evidence_kpis(org: Any) -> dict[str, Any]:
    qs = Kpi.objects.filter(organization=org, is_active=True)
    values = Measurement.objects.filter(organization=org).count()
    measured = qs.filter(measurements__isnull=False).distinct().count()
    return _evidence(qs, "planning:dashboard", f"{values} values recorded", count=measured)


def pack_policy(org: Any) -> list[tuple[str, str, str | None]]:
    return [
        (str(p), p.get_absolute_url(), None)
        for p in QualityPolicy.objects.filter(organization=org).exclude(status=PolicyStatus.DRAFT)
    ]


# --- ISO 9004 indicators --------------------------------------------------------------------------


def _level(share: float) -> int:
    return 1 + min(4, int(share * 5))


def indicator_kpis_on_target(org: Any) -> dict[str, Any]:
    kpis = queries.kpi_rows(Kpi.objects.filter(organization=org, is_active=True), history=0)
    measured = [k for k in kpis if k.status != KpiStatus.NO_DATA]
    on = sum(1 for k in measured if k.status == KpiStatus.ON_TARGET)
    if not measured:
        return {
            "value": None,
            "display": "—",
            "suggested_level": None,
            "detail": "No KPI has a value yet.",
            "url": reverse("planning:dashboard"),
        }
    share = on / len(measured)
    return {
        "value": share,
        "display": _pct(on, len(measured)),
        "suggested_level": _level(share),
        "detail": f"{on} of {len(measured)} measured KPIs meet their target.",
        "url": reverse("planning:dashboard"),
    }


def indicator_risk_reviews(org: Any) -> dict[str, Any]:
    qs = Risk.objects.filter(organization=org).exclude(status=RiskStatus.CLOSED)
    total = qs.count()
    if not total:
        return {
            "value": None,
            "display": "—",
            "suggested_level": None,
            "detail": "No open risks or opportunities.",
            "url": reverse("planning:risk_list"),
        }
    overdue = queries.reviews_overdue(qs).count() + qs.filter(review_date__isnull=True).count()
    share = (total - overdue) / total
    return {
        "value": share,
        "display": _pct(total - overdue, total),
        "suggested_level": _level(share),
        "detail": f"{overdue} of {total} open risks and opportunities have no review date or an overdue one.",
        "url": reverse("planning:risk_list") + "?review_overdue=on",
    }


def indicator_objectives_measured(org: Any) -> dict[str, Any]:
    qs = Objective.objects.filter(organization=org, status=ObjectiveStatus.ACTIVE)
    total = qs.count()
    if not total:
        return {
            "value": None,
            "display": "—",
            "suggested_level": None,
            "detail": "No active objectives.",
            "url": reverse("planning:objective_list"),
        }
    measured = qs.filter(kpis__isnull=False).distinct().count()
    share = measured / total
    return {
        "value": share,
        "display": _pct(measured, total),
        "suggested_level": _level(share),
        "detail": f"{measured} of {total} active objectives are measured by at least one KPI.",
        "url": reverse("planning:objective_list"),
    }


def indicator_identity(org: Any) -> dict[str, Any]:
    from qualitas.planning.models import Identity

    identity = Identity.objects.filter(organization=org).first()
    parts = [
        bool(identity and getattr(identity, f).strip()) for f in ("mission", "vision", "values", "culture")
    ]
    policy = QualityPolicy.objects.filter(organization=org, status=PolicyStatus.APPROVED).exists()
    done = sum(parts) + int(policy)
    return {
        "value": done / 5,
        "display": f"{done} of 5",
        "suggested_level": _level(done / 5) if done else 1,
        "detail": "Mission, vision, values, culture and an approved quality policy written down.",
        "url": reverse("planning:identity"),
    }


# --- management review inputs (ISO 9001 9.3.2) -----------------------------------------------------


def _between(start: dt.date, end: dt.date) -> Q:
    return Q(created_at__date__gte=start, created_at__date__lte=end)


def review_context_changes(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    issues = ContextIssue.objects.filter(organization=org)
    parties = InterestedParty.objects.filter(organization=org)
    new_issues = issues.filter(_between(start, end))
    changed = issues.filter(updated_at__date__gte=start, updated_at__date__lte=end).exclude(
        _between(start, end)
    )
    new_parties = parties.filter(_between(start, end))
    today = timezone.localdate()
    due = (
        issues.filter(is_active=True, review_date__lt=today).count()
        + parties.filter(is_active=True, review_date__lt=today).count()
    )
    return {
        "summary": (
            f"{new_issues.count()} new and {changed.count()} revised context issues, "
            f"{new_parties.count()} new interested parties in the period."
        ),
        "figures": [
            ("Active context issues", issues.filter(is_active=True).count()),
            ("Climate-relevant issues", issues.filter(is_active=True, climate_relevant=True).count()),
            ("Interested parties", parties.filter(is_active=True).count()),
            ("Reviews overdue", due),
        ],
        "items": _items(new_issues) + _items(new_parties) + _items(changed),
        "chart": None,
    }


def review_objectives(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    qs = Objective.objects.filter(organization=org)
    counts = dict(qs.values_list("status").annotate(n=Count("pk")))
    overdue = qs.filter(status=ObjectiveStatus.ACTIVE, due_date__lt=timezone.localdate()).count()
    return {
        "summary": (
            f"{counts.get('achieved', 0)} objectives achieved, {counts.get('active', 0)} active "
            f"({overdue} past due), {counts.get('missed', 0)} missed."
        ),
        "figures": [(str(label), counts.get(value, 0)) for value, label in ObjectiveStatus.choices],
        "items": _items(qs.filter(status=ObjectiveStatus.ACTIVE).order_by("due_date")),
        "chart": None,
    }


def review_kpis(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    kpis = queries.kpi_rows(Kpi.objects.filter(organization=org, is_active=True), history=0)
    counts = {s: sum(1 for k in kpis if k.status == s) for s in KpiStatus.values}
    in_period = Measurement.objects.filter(organization=org, period__gte=start, period__lte=end)
    off = in_period.filter(status=KpiStatus.OFF_TARGET).values("kpi").distinct().count()
    bad = [k for k in kpis if k.status in (KpiStatus.OFF_TARGET, KpiStatus.AT_RISK)]
    return {
        "summary": (
            f"{counts['on_target']} of {len(kpis)} KPIs on target now; {off} KPIs were off target at "
            "least once in the period."
        ),
        "figures": [(str(label), counts[value]) for value, label in KpiStatus.choices]
        + [("Values recorded in the period", in_period.count())],
        "items": [(f"{k} — {k.status.replace('_', ' ')}", k.get_absolute_url()) for k in bad[:10]],
        "chart": {
            "type": "bar",
            "labels": [str(lbl) for _v, lbl in KpiStatus.choices],
            "series": [{"name": "KPIs", "values": [counts[v] for v in KpiStatus.values]}],
        },
    }


def review_risk_actions(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    qs = Risk.objects.filter(organization=org).exclude(status=RiskStatus.CLOSED)
    eff = dict(qs.values_list("effectiveness").annotate(n=Count("pk")))
    reviewed = qs.filter(last_reviewed__gte=start, last_reviewed__lte=end).count()
    by_level = queries.risks_by_level(Risk.objects.filter(organization=org))
    return {
        "summary": (
            f"{reviewed} of {qs.count()} open risks and opportunities were reviewed in the period; "
            f"treatment judged effective for {eff.get('effective', 0)}, not effective for "
            f"{eff.get('not_effective', 0)}."
        ),
        "figures": [(str(label), eff.get(value, 0)) for value, label in Effectiveness.choices]
        + [(f"Open risks: {lvl}", n) for lvl, n in by_level.get("risk", {}).items()],
        "items": _items(qs.filter(effectiveness=Effectiveness.NOT_EFFECTIVE)),
        "chart": None,
    }
