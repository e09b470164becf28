"""All writes of the assessment area: assessments, assessors, ratings, consensus, improvement plan."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitas.accounts.choices import Role
from qualitas.assessment import queries, rules
from qualitas.assessment.choices import AssessmentStatus
from qualitas.assessment.models import (
    Assessment,
    Assessor,
    Criterion,
    Element,
    ElementResult,
    Rating,
    is_safe_link,
)
from qualitas.assessment.workflow import ASSESSMENT_WORKFLOW
from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)


def _member(organization: Any, user: Any, field: str, *, may_be_viewer: bool = True) -> None:
    if user is None:
        raise ValidationError({field: "Choose a member of this organization."})
    ensure_member(organization, user, field)
    if (
        not may_be_viewer
        and user.memberships.filter(organization=organization, is_active=True, role=Role.VIEWER).exists()
    ):
        raise ValidationError({field: "A read-only viewer cannot rate; give them another role first."})


# --- assessments ---------------------------------------------------------------------------------


@transaction.atomic
def create_assessment(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Assessment:
    ensure_allowed(actor, organization, "add", Assessment)
    data = dict(data)
    data.setdefault("maturity_model", queries.default_model())
    data.setdefault("facilitator", actor)
    if data["maturity_model"] is None:
        raise ValidationError(
            {"maturity_model": "No maturity model is loaded (run qualitas load_maturity_models)."}
        )
    _member(organization, data.get("facilitator"), "facilitator")
    return create_numbered(
        Assessment, organization=organization, actor=actor, data=data, prefix="SA", reason=reason
    )


def update_assessment(
    assessment: Assessment,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Assessment:
    if "facilitator" in data:
        _member(assessment.organization, data["facilitator"], "facilitator")

    def scope_kept(fresh: Assessment, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.status == AssessmentStatus.COMPLETED:
            raise ValidationError("A completed assessment is closed; reopen it to change it.")
        if fresh.status != AssessmentStatus.DRAFT:
            for name in ("mode", "maturity_model"):
                if name in data and data[name] != getattr(fresh, name):
                    raise ValidationError({name: "The scope cannot change once rating has started."})
        return data

    return update_record(
        assessment,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        prepare=scope_kept,
    )


def delete_assessment(assessment: Assessment, *, actor: Any, reason: str = "") -> None:
    def draft_only(fresh: Assessment) -> None:
        if fresh.status != AssessmentStatus.DRAFT:
            raise ValidationError("Only a draft assessment can be deleted.")

    delete_record(assessment, actor=actor, reason=reason, check=draft_only)


@transaction.atomic
def transition_assessment(
    assessment: Assessment,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Assessment:
    with workflow_step(
        assessment, ASSESSMENT_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        if note:
            assessment.summary = note
        assessment.completed_at = timezone.now() if assessment.status == AssessmentStatus.COMPLETED else None
    return assessment


def _ensure_runs(assessment: Assessment, actor: Any) -> None:
    """The assessment, locked and read again, may be changed by the actor."""
    audit.lock(assessment)
    ensure_allowed(actor, assessment.organization, "change", assessment)


# --- assessors -----------------------------------------------------------------------------------


@transaction.atomic
def add_assessor(assessment: Assessment, *, actor: Any, user: Any, perspective: str = "") -> Assessor:
    _ensure_runs(assessment, actor)
    if assessment.status not in (AssessmentStatus.DRAFT, AssessmentStatus.RATING):
        raise ValidationError({"user": "Assessors can be invited only before consensus opens."})
    _member(assessment.organization, user, "user", may_be_viewer=False)
    if Assessor.objects.filter(assessment=assessment, user=user).exists():
        raise ValidationError({"user": f"{user} is already an assessor."})
    assessor = Assessor(
        organization=assessment.organization,
        assessment=assessment,
        user=user,
        perspective=perspective[:120],
        created_by=actor,
    )
    with audit.tracking(assessor, actor=actor, action="assessor.create"):
        assessor.save()
    return assessor


@transaction.atomic
def remove_assessor(assessor: Assessor, *, actor: Any, reason: str = "") -> None:
    _ensure_runs(assessor.assessment, actor)
    if Rating.objects.filter(assessment=assessor.assessment_id, assessor=assessor.user_id).exists():
        raise ValidationError("This assessor has already rated; their ratings stay part of the record.")
    before = audit.snapshot(assessor)
    audit.record(
        assessor,
        actor=actor,
        action="assessor.delete",
        changes={k: [v, None] for k, v in before.items()},
        reason=reason,
    )
    assessor.delete()


# --- ratings -------------------------------------------------------------------------------------


def _criteria_level(element: Element, met: list[int]) -> tuple[int, list[int]]:
    """Apply the no-gaps rule to the criteria ids marked as met; unknown ids are refused."""
    criteria = list(Criterion.objects.filter(level__element=element).select_related("level"))
    known = {c.pk for c in criteria}
    unknown = [c for c in met if c not in known]
    if unknown:
        raise ValidationError(
            {"met_criteria": f"Criteria {unknown} do not belong to element {element.number}."}
        )
    chosen = set(met)
    by_level: dict[int, list[bool]] = {}
    for c in sorted(criteria, key=lambda c: (c.level.number, c.position)):
        by_level.setdefault(c.level.number, []).append(c.pk in chosen)
    return rules.element_level(by_level), sorted(chosen)


@transaction.atomic
def save_rating(
    assessment: Assessment,
    *,
    actor: Any,
    element: Element,
    level: int | None = None,
    met_criteria: list[int] | None = None,
    comment: str = "",
    evidence: str = "",
    expected_version: int | None = None,
) -> Rating:
    """An assessor's own rating of one element. With ``met_criteria`` the level follows the no-gaps
    rule (detailed rating); otherwise ``level`` is the direct rating (quick rating)."""
    if actor is None or not Assessor.objects.filter(assessment=assessment, user=actor).exists():
        raise NotAllowed("Only an invited assessor can rate this assessment.")
    audit.lock(assessment)
    ensure_allowed(actor, assessment.organization, "view", assessment)
    if assessment.status != AssessmentStatus.RATING:
        raise ValidationError({"level": "Ratings can be given only while the assessment is in rating."})
    if (
        element.maturity_model_id != assessment.maturity_model_id
        or not queries.elements_in_scope(assessment).filter(pk=element.pk).exists()
    ):
        raise ValidationError({"element": "This element is not part of the assessment's scope."})
    if met_criteria is not None and len(met_criteria) > 0:
        level, met_criteria = _criteria_level(element, [int(c) for c in met_criteria])
    elif level is None:
        raise ValidationError({"level": "Give a level from 1 to 5, or mark the criteria that are met."})
    else:
        met_criteria = []
    bad = [line.strip() for line in evidence.splitlines() if line.strip() and not is_safe_link(line.strip())]
    if bad:
        raise ValidationError(
            {"evidence": f"Evidence links must start with https://, http:// or / ({bad[0][:60]})."}
        )
    rating = Rating.objects.filter(assessment=assessment, assessor=actor, element=element).first()
    is_new = rating is None
    if rating is None:
        rating = Rating(
            organization=assessment.organization,
            assessment=assessment,
            assessor=actor,
            element=element,
            created_by=actor,
        )
    with audit.tracking(
        rating,
        actor=actor,
        action="rating.create" if is_new else "rating.update",
        expected_version=expected_version,
    ):
        rating.level = int(level)
        rating.met_criteria = list(met_criteria)
        rating.comment = comment.strip()
        rating.evidence = evidence.strip()
        rating.full_clean()
        rating.save()
    return rating


def update_rating(
    rating: Rating, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Rating:
    if rating.assessor_id != getattr(actor, "pk", None):
        raise NotAllowed("You can change only your own ratings.")
    return save_rating(
        rating.assessment,
        actor=actor,
        element=rating.element,
        level=data.get("level", rating.level),
        met_criteria=data.get("met_criteria", rating.met_criteria or None),
        comment=data.get("comment", rating.comment),
        evidence=data.get("evidence", rating.evidence),
        expected_version=expected_version,
    )


def create_rating(*, organization: Any, actor: Any, data: dict[str, Any]) -> Rating:
    assessment = data["assessment"]
    assert_same_organization(organization, {"assessment": assessment})
    return save_rating(
        assessment,
        actor=actor,
        element=data["element"],
        level=data.get("level"),
        met_criteria=data.get("met_criteria"),
        comment=data.get("comment", ""),
        evidence=data.get("evidence", ""),
    )


@transaction.atomic
def submit_ratings(assessment: Assessment, *, actor: Any) -> Assessor:
    assessor = Assessor.objects.filter(assessment=assessment, user=actor).first()
    if assessor is None:
        raise NotAllowed("Only an invited assessor can submit ratings.")
    missing = [
        e.number
        for e in queries.elements_in_scope(assessment)
        if not Rating.objects.filter(assessment=assessment, assessor=actor, element=e).exists()
    ]
    if missing:
        raise ValidationError(f"Rate every element before submitting (missing: {', '.join(missing[:8])}).")
    with audit.tracking(assessor, actor=actor, action="assessor.submit"):
        assessor.submitted_at = timezone.now()
        assessor.save()
    return assessor


# --- consensus and improvement plan --------------------------------------------------------------


@transaction.atomic
def record_consensus(
    assessment: Assessment,
    *,
    actor: Any,
    element: Element,
    level: int,
    reasoning: str = "",
    target_level: int | None = None,
    expected_version: int | None = None,
) -> ElementResult:
    _ensure_runs(assessment, actor)
    if assessment.status != AssessmentStatus.CONSENSUS:
        raise ValidationError({"level": "Open consensus before recording consensus levels."})
    if not queries.elements_in_scope(assessment).filter(pk=element.pk).exists():
        raise ValidationError({"element": "This element is not part of the assessment's scope."})
    levels = list(
        Rating.objects.filter(assessment=assessment, element=element).values_list("level", flat=True)
    )
    if rules.spread(levels).range >= 1 and not reasoning.strip():
        raise ValidationError({"reasoning": "The assessors disagree here: say why this level was agreed."})
    if target_level is not None and int(target_level) < int(level):
        raise ValidationError({"target_level": "The target cannot be below the current level."})
    result = ElementResult.objects.filter(assessment=assessment, element=element).first()
    is_new = result is None
    if result is None:
        result = ElementResult(
            organization=assessment.organization, assessment=assessment, element=element, created_by=actor
        )
    with audit.tracking(
        result,
        actor=actor,
        action="elementresult.create" if is_new else "elementresult.update",
        expected_version=expected_version,
    ):
        result.level = int(level)
        result.reasoning = reasoning.strip()
        result.target_level = int(target_level) if target_level is not None else result.target_level
        result.full_clean()
        result.save()
    return result


def update_result(
    result: ElementResult,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ElementResult:
    if "is_priority" in data and set(data) <= {"is_priority"}:
        return set_priority(result, actor=actor, is_priority=bool(data["is_priority"]))
    level = data.get("level", result.level)
    if level is None:
        raise ValidationError({"level": _("Give the consensus level.")})
    return record_consensus(
        result.assessment,
        actor=actor,
        element=result.element,
        level=level,
        reasoning=data.get("reasoning", result.reasoning),
        target_level=data.get("target_level", result.target_level),
        expected_version=expected_version,
    )


@transaction.atomic
def set_priority(result: ElementResult, *, actor: Any, is_priority: bool) -> ElementResult:
    _ensure_runs(result.assessment, actor)
    with audit.tracking(result, actor=actor, action="elementresult.priority"):
        result.is_priority = is_priority
        result.save()
    return result


@transaction.atomic
def plan_improvement(result: ElementResult, *, actor: Any, data: dict[str, Any]) -> Any:
    """Turn a chosen gap into an improvement action about this element result."""
    from qualitas.actions import services as actions

    _ensure_runs(result.assessment, actor)
    if result.assessment.status not in (AssessmentStatus.CONSENSUS, AssessmentStatus.COMPLETED):
        raise ValidationError(
            {"title": "Plan improvements once consensus is open or the assessment is complete."}
        )
    if not audit.lock(result).is_priority:
        set_priority(result, actor=actor, is_priority=True)
    return actions.create_action(
        organization=result.organization, actor=actor, subject=result, data={**data, "kind": "improvement"}
    )


@transaction.atomic
def save_ratings(
    assessment: Assessment, *, actor: Any, entries: list[dict[str, Any]], submit: bool = False
) -> list[Rating]:
    """Several elements at once from the rating page: all saved, or none when any is wrong."""
    saved, errors = [], {}
    for entry in entries:
        element = entry["element"]
        try:
            saved.append(
                save_rating(
                    assessment,
                    actor=actor,
                    element=element,
                    level=entry.get("level"),
                    met_criteria=entry.get("met_criteria"),
                    comment=entry.get("comment", ""),
                    evidence=entry.get("evidence", ""),
                )
            )
        except ValidationError as exc:
            errors[element.number] = "; ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    if submit:
        submit_ratings(assessment, actor=actor)
    return saved


@transaction.atomic
def record_consensus_many(assessment: Assessment, *, actor: Any, entries: list[dict[str, Any]]) -> list[Any]:
    saved, errors = [], {}
    for entry in entries:
        element = entry["element"]
        try:
            saved.append(
                record_consensus(
                    assessment,
                    actor=actor,
                    element=element,
                    level=entry["level"],
                    reasoning=entry.get("reasoning", ""),
                    target_level=entry.get("target_level"),
                )
            )
        except ValidationError as exc:
            errors[element.number] = "; ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    return saved
