"""What the improvement area contributes to readiness, ISO 9004 indicators, the management review,
search, the home page, navigation, the demo and the workflows (``register()``, from
apps.ImprovementConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qualitas.improvement import analysis
from qualitas.improvement.choices import OPEN_NC_STATES, NCStatus, OpportunityStatus
from qualitas.improvement.models import ImprovementOpportunity, Lesson, Nonconformity


def _items(qs: Any) -> list[tuple[str, str]]:
    return [(str(o), o.get_absolute_url()) for o in qs[:10]]


def nonconforming_output(org: Any) -> dict[str, Any]:
    qs = Nonconformity.objects.filter(organization=org).exclude(disposition="")
    return {
        "count": qs.count(),
        "url": reverse("improvement:nonconformity_list"),
        "items": _items(qs.select_related(None).order_by("-detected_on")),
        "detail": f"{qs.filter(disposition_authorised_by__isnull=False).count()} dispositions authorised",
    }


def corrective_action(org: Any) -> dict[str, Any]:
    qs = Nonconformity.objects.filter(organization=org, status=NCStatus.CLOSED, verdict="effective")
    return {
        "count": qs.count(),
        "url": reverse("improvement:nonconformity_list") + "?status=closed",
        "items": _items(qs.order_by("-closed_at")),
    }


def continual_improvement(org: Any) -> dict[str, Any]:
    qs = ImprovementOpportunity.objects.filter(organization=org).exclude(
        status__in=(OpportunityStatus.PROPOSED, OpportunityStatus.REJECTED)
    )
    return {"count": qs.count(), "url": reverse("improvement:opportunity_list"), "items": _items(qs)}


def lessons(org: Any) -> dict[str, Any]:
    qs = Lesson.objects.filter(organization=org, published_at__isnull=False)
    return {"count": qs.count(), "url": reverse("improvement:lesson_list"), "items": _items(qs)}


def _share(n: int, d: int) -> float | None:
    return n / d if d else None


def _level(share: float | None) -> int | None:
    if share is None:
        return None
    return 1 + sum(share >= t for t in (0.4, 0.6, 0.8, 0.95))


def indicator_on_time(org: Any) -> dict[str, Any]:
    f = analysis.capa_on_time(org)
    on_time = _share(f["on_time"], f["done_with_due"])
    effective = _share(f["nc_effective"], f["nc_closed"])
    value = (
        None
        if on_time is None and effective is None
        else min(x for x in (on_time, effective) if x is not None)
    )
    return {
        "value": value,
        "display": "—" if value is None else f"{value:.0%}",
        "suggested_level": _level(value),
        "detail": (
            f"{f['on_time']} of {f['done_with_due']} dated corrective actions done on time; "
            f"{f['nc_effective']} of {f['nc_closed']} closed nonconformities verified effective "
            "and not recurred"
        ),
        "url": reverse("improvement:analysis"),
    }


def indicator_overdue(org: Any) -> dict[str, Any]:
    f = analysis.capa_on_time(org)
    share = _share(f["overdue"], f["open"])
    return {
        "value": share,
        "display": "—" if share is None else f"{share:.0%}",
        "suggested_level": None if share is None else _level(1 - share),
        "detail": f"{f['overdue']} of {f['open']} open corrective actions are overdue",
        "url": reverse("actions:action_list") + "?overdue=on",
    }


def indicator_lessons(org: Any) -> dict[str, Any]:
    year = analysis.lessons_published(org, timezone.localdate() - dt.timedelta(days=365))
    closed = Nonconformity.objects.filter(
        organization=org,
        status=NCStatus.CLOSED,
        closed_at__date__gte=timezone.localdate() - dt.timedelta(days=365),
    ).count()
    share = _share(year, closed)
    return {
        "value": float(year),
        "display": f"{year} in 12 months",
        "suggested_level": None if share is None else _level(min(share * 2, 1.0)),
        "detail": f"{year} lessons published for {closed} nonconformities closed in the last 12 months",
        "url": reverse("improvement:lesson_list"),
    }


def review_nonconformities(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    qs = Nonconformity.objects.filter(organization=org)
    period = qs.filter(detected_on__gte=start, detected_on__lte=end)
    row = period.aggregate(
        opened=Count("pk"),
        critical=Count("pk", filter=Q(severity="critical")),
        recurrences=Count("pk", filter=Q(recurrence_of__isnull=False)),
    )
    closed = qs.filter(status=NCStatus.CLOSED, closed_at__date__gte=start, closed_at__date__lte=end)
    cl = closed.aggregate(n=Count("pk"), effective=Count("pk", filter=Q(verdict="effective")))
    now_open = analysis.summary(qs)
    causes = analysis.pareto(period, "cause_category__name")[:8]
    return {
        "summary": (
            f"{row['opened']} nonconformities reported in the period ({row['critical']} critical), "
            f"{cl['n']} closed, {now_open['open']} open today of which {now_open['overdue']} overdue."
        ),
        "figures": [
            ("Reported", row["opened"]),
            ("Closed", cl["n"]),
            ("Verified effective", cl["effective"]),
            ("Open now", now_open["open"]),
            ("Overdue now", now_open["overdue"]),
            ("Recurrences", row["recurrences"]),
            (
                "Mean days to close",
                now_open["mean_days_to_close"] if now_open["mean_days_to_close"] is not None else "—",
            ),
        ],
        "items": _items(qs.filter(status__in=OPEN_NC_STATES, severity="critical").order_by("detected_on")),
        "chart": {"type": "bar", "labels": [c for c, _ in causes], "series": [[v for _, v in causes]]}
        if causes
        else None,
    }


def review_opportunities(org: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    qs = ImprovementOpportunity.objects.filter(organization=org)
    row = qs.aggregate(
        raised=Count("pk", filter=Q(created_at__date__gte=start, created_at__date__lte=end)),
        running=Count("pk", filter=Q(status__in=("plan", "do", "check", "act"))),
        done=Count("pk", filter=Q(status="done", updated_at__date__gte=start, updated_at__date__lte=end)),
        waiting=Count("pk", filter=Q(status="proposed")),
    )
    return {
        "summary": (
            f"{row['raised']} ideas raised in the period, {row['running']} PDCA projects running, "
            f"{row['done']} finished, {row['waiting']} waiting for a decision."
        ),
        "figures": [
            ("Raised", row["raised"]),
            ("Running", row["running"]),
            ("Finished", row["done"]),
            ("Waiting", row["waiting"]),
        ],
        "items": _items(qs.filter(status="proposed")),
        "chart": None,
    }


def search(org: Any, user: Any, q: str, limit: int) -> list[tuple[str, str, str]]:
    from qualitas.core.models import active_memberships

    if not any(m.organization_id == org.pk for m in active_memberships(user)):
        return []
    out: list[tuple[str, str, str]] = []
    lessons_qs = Lesson.objects.filter(organization=org).filter(
        Q(title__icontains=q) | Q(summary__icontains=q) | Q(tags__icontains=q)
    )[:limit]
    out += [
        (f"Lesson: {lesson.title}", lesson.get_absolute_url(), lesson.summary[:160]) for lesson in lessons_qs
    ]
    ncs = Nonconformity.objects.filter(organization=org).filter(
        Q(title__icontains=q) | Q(reference__icontains=q) | Q(product__icontains=q)
    )[: max(limit - len(out), 0)]
    out += [(str(nc), nc.get_absolute_url(), nc.description[:160]) for nc in ncs]
    return out[:limit]


def tile(org: Any, user: Any) -> dict[str, Any]:
    f = analysis.summary(Nonconformity.objects.filter(organization=org))
    return {"template": "improvement/partials/_tile.html", "figures": f}


def register() -> None:
    from qualitas.core.registry import (
        DashboardTile,
        EvidenceSource,
        Indicator,
        NavEntry,
        ReviewInput,
        SearchSource,
        registry,
    )
    from qualitas.improvement import demo, services
    from qualitas.improvement.workflow import NC_WORKFLOW, OPPORTUNITY_WORKFLOW

    registry.add_nav(
        NavEntry("Improve", "Nonconformities", "improvement:nonconformity_list", order=10),
        NavEntry("Improve", "Report a problem", "improvement:report", order=11),
        NavEntry("Improve", "NC analysis", "improvement:analysis", order=20),
        NavEntry("Improve", "Improvement ideas", "improvement:opportunity_list", order=30),
        NavEntry("Improve", "Lessons learned", "improvement:lesson_list", order=40),
    )
    registry.dashboard_tiles.append(
        DashboardTile("improvement", "Nonconformities", tile, order=20, shared=True)
    )
    registry.search_sources.append(SearchSource("improvement", "Nonconformities and lessons", search))
    for source in (
        EvidenceSource(
            "improvement.nonconforming_output",
            "Nonconforming outputs with disposition",
            ("8.7", "8.7.1", "8.7.2"),
            nonconforming_output,
        ),
        EvidenceSource(
            "improvement.corrective_action",
            "Nonconformities closed with verified effectiveness",
            ("10.2", "10.2.1", "10.2.2"),
            corrective_action,
        ),
        EvidenceSource(
            "improvement.continual_improvement",
            "Improvement projects (PDCA)",
            ("10.3", "10.1"),
            continual_improvement,
        ),
        EvidenceSource("improvement.lessons", "Lessons learned knowledge base", ("7.1.6",), lessons),
    ):
        registry.evidence_sources[source.key] = source
    for ind in (
        Indicator(
            "improvement.capa_on_time",
            "Corrective actions closed on time and verified effective",
            ("11.2",),
            indicator_on_time,
        ),
        Indicator(
            "improvement.capa_overdue",
            "Share of open corrective actions that are overdue",
            ("11.2",),
            indicator_overdue,
        ),
        Indicator("improvement.lessons", "Lessons learned published", ("11.3",), indicator_lessons),
    ):
        registry.indicators[ind.key] = ind
    for review_input in (
        ReviewInput(
            "improvement.nonconformities",
            "Nonconformities and corrective actions",
            "9.3.2 c) 4)",
            review_nonconformities,
            order=40,
        ),
        ReviewInput(
            "improvement.opportunities",
            "Opportunities for improvement",
            "9.3.2 f)",
            review_opportunities,
            order=90,
        ),
    ):
        registry.review_inputs[review_input.key] = review_input
    registry.demo_loaders.append((30, "improvement", demo.load))
    registry.add_workflow(Nonconformity, NC_WORKFLOW, services.transition_nonconformity)
    registry.add_workflow(ImprovementOpportunity, OPPORTUNITY_WORKFLOW, services.transition_opportunity)
    register_background()


def digest_job(organization: Any, today: dt.date) -> str:
    """Each person's overdue and due-soon actions, once a day (a second run the same day sends nothing)."""
    from qualitas.core.background.notices import notify
    from qualitas.improvement.notifications import digest_text, overdue_by_person

    sent = 0
    for user, actions in overdue_by_person(organization):
        subject, intro, items = digest_text(organization, user, actions)
        body = "\n".join([intro, ""] + [f"- {title} — {detail}" for title, detail, _link in items])
        told = notify(
            organization,
            user,
            "improvement.digest",
            key=f"improvement.digest:{today.isoformat()}",
            title=subject,
            body=body,
            url=reverse("core:home"),
        )
        sent += told is not None
    return f"{sent} digest(s)"


def register_background() -> None:
    from django.utils.translation import gettext_lazy as _

    from qualitas.core.registry import NoticeKind, ScheduledJob, registry

    registry.notice_kinds.setdefault(
        "improvement.digest",
        NoticeKind(
            "improvement.digest",
            cast(
                str,
                _("Daily list of my overdue actions"),
            ),
        ),
    )
    registry.schedules.setdefault(
        "improvement.digest",
        ScheduledJob("improvement.digest", cast(str, _("Overdue actions digest")), digest_job),
    )
