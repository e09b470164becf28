"""The assessment area's own evidence-based indicator: are improvement plans carried out?"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from qualitas.assessment import rules


def plan_completion(organization: Any) -> dict[str, Any]:
    """Of the improvement actions planned from completed self-assessments that are due by now (or
    already done), the share that is done. Not-yet-due actions of a fresh plan do not count."""
    from qualitas.assessment.choices import AssessmentStatus
    from qualitas.assessment.models import Assessment, ElementResult
    from qualitas.assessment.queries import actions_for_results

    completed = Assessment.objects.filter(organization=organization, status=AssessmentStatus.COMPLETED)
    last = completed.order_by("-date", "-pk").first()
    if last is None:
        return {
            "value": None,
            "display": "no completed assessment yet",
            "suggested_level": None,
            "detail": "",
            "url": "",
        }
    url = reverse("assessment:assessment_results", args=[last.pk])
    ids = list(ElementResult.objects.filter(assessment__in=completed).values_list("pk", flat=True))
    planned = [a for group in actions_for_results(organization, ids).values() for a in group]
    today = timezone.localdate()
    due = [
        a
        for a in planned
        if a.status == "done" or (a.status != "cancelled" and a.due_date and a.due_date < today)
    ]
    if not planned:
        return {
            "value": None,
            "display": "no improvement plan yet",
            "suggested_level": 2,
            "detail": "No improvement action has been planned from a self-assessment.",
            "url": url,
        }
    if not due:
        return {
            "value": None,
            "display": "nothing due yet",
            "suggested_level": None,
            "detail": f"{len(planned)} planned actions, none due yet.",
            "url": url,
        }
    done = sum(1 for a in due if a.status == "done")
    share = done / len(due)
    return {
        "value": share,
        "display": f"{share:.0%}",
        "suggested_level": rules.level_for_share(share),
        "detail": f"{done} of {len(due)} improvement actions due from self-assessments are done.",
        "url": url,
    }
