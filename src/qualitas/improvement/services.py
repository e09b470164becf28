"""All writes of the improvement area."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from qualitas.accounts.choices import Role
from qualitas.actions.choices import ActionKind, Priority
from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    add_attachment,
    assert_same_organization,
    create_numbered,
    create_record,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)
from qualitas.improvement import queries
from qualitas.improvement.choices import (
    DEFAULT_CAUSE_CATEGORIES,
    Disposition,
    NCStatus,
    Severity,
    Source,
    Verdict,
)
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementOpportunity,
    ImprovementSettings,
    IshikawaCause,
    Lesson,
    Nonconformity,
    NonconformityLink,
    NotificationPreference,
    WhyStep,
)
from qualitas.improvement.workflow import NC_WORKFLOW, OPPORTUNITY_WORKFLOW

NC_FIELDS = (
    "title",
    "description",
    "source",
    "severity",
    "process",
    "site",
    "product",
    "lot",
    "quantity",
    "detected_on",
    "detected_by",
    "owner",
    "due_date",
    "containment",
    "cost",
)


def _check_codes(organization: Any, data: dict[str, Any], current: Nonconformity | None = None) -> None:
    """``source`` and ``severity`` must be codes of the organization's lists; a retired code is only
    accepted where the record already holds it."""
    found = queries.settings_for(organization)
    for kind in ("source", "severity"):
        if kind not in data:
            continue
        code = data[kind]
        entry = next((e for e in found.entries(kind) if e["code"] == code), None)
        if entry is None:
            raise ValidationError({kind: f"“{code}” is not a {kind} of this organization."})
        if entry.get("retired") and (current is None or getattr(current, kind) != code):
            raise ValidationError({kind: f"“{entry['label']}” is retired: choose another {kind}."})


# --- nonconformities -----------------------------------------------------------------------------


@transaction.atomic
def open_nonconformity(
    *, organization: Any, actor: Any, data: dict[str, Any], related: Sequence[models.Model] = ()
) -> Nonconformity:
    """Report a nonconformity. Other areas (inspection, internal audit) call this with ``related``
    records (a reading, a finding) that are linked to it. ``actor`` may be None from a job."""
    ensure_allowed(actor, organization, "add", Nonconformity)
    unknown = set(data) - set(NC_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown field(s): {', '.join(sorted(unknown))}."})
    data = {k: v for k, v in data.items() if v is not None or k in ("quantity", "cost", "process")}
    data.setdefault("detected_on", timezone.localdate())
    if data.get("detected_by") is None and actor is not None:
        data["detected_by"] = actor
    assert_same_organization(organization, {"related": list(related)})
    _check_codes(organization, data)
    for name in ("description", "product", "lot", "containment"):
        if data.get(name) is None:
            data.pop(name, None)
    nc = create_numbered(
        Nonconformity,
        organization=organization,
        actor=actor,
        data=data,
        prefix="NC",
        members=("detected_by", "owner"),
    )
    for record in related:
        link_record(nc, record, actor=actor)
    if nc.owner_id and nc.owner_id != getattr(actor, "pk", None):
        from qualitas.improvement import notifications

        notifications.notify_assignment_after_commit(nc, nc.owner)
    return nc


@transaction.atomic
def link_record(nc: Nonconformity, record: models.Model, *, actor: Any) -> NonconformityLink:
    """Link any record of the same organization to a nonconformity (refuses other organizations)."""
    ensure_allowed(actor, nc.organization, "add", NonconformityLink)
    org_id = getattr(record, "organization_id", None)
    if not isinstance(record, models.Model) or record.pk is None or org_id is None:
        raise ValidationError({"related": "Only saved records of this organization can be linked."})
    if org_id != nc.organization_id:
        raise ValidationError({"related": "This record belongs to another organization."})
    ct = ContentType.objects.get_for_model(record)
    existing = NonconformityLink.objects.filter(
        nonconformity=nc, content_type=ct, object_id=record.pk
    ).first()
    if existing is not None:
        return existing
    link = NonconformityLink(
        organization=nc.organization, created_by=actor, nonconformity=nc, content_type=ct, object_id=record.pk
    )
    with audit.tracking(link, actor=actor, action="nonconformitylink.create"):
        link.save()
    audit.record(
        nc,
        actor=actor,
        action="nonconformity.link",
        changes={"linked": [None, f"{ct.app_label}.{ct.model}:{record.pk} {record}"[:300]]},
    )
    return link


def _today() -> dt.date:
    return timezone.localdate()


def update_nonconformity(
    nc: Nonconformity,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Nonconformity:
    for name in ("detected_by", "owner"):
        ensure_member(nc.organization, data.get(name), name)
    previous_owner: list[int | None] = []

    def checked(fresh: Nonconformity, data: dict[str, Any]) -> dict[str, Any]:
        _check_codes(fresh.organization, data, fresh)
        previous_owner.append(fresh.owner_id)
        if data.get("detected_on") is None:
            data = {**data, "detected_on": fresh.detected_on}
        return data

    nc = update_record(
        nc, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=checked
    )
    if nc.owner_id and nc.owner_id != previous_owner[0] and nc.owner_id != getattr(actor, "pk", None):
        from qualitas.improvement import notifications

        notifications.notify_assignment_after_commit(nc, nc.owner)
    return nc


def delete_nonconformity(nc: Nonconformity, *, actor: Any, reason: str = "") -> None:
    if nc.recurrences.exists() or nc.lessons.exists():
        raise ValidationError("Linked recurrences or lessons refer to this nonconformity: cancel it instead.")
    delete_record(nc, actor=actor, reason=reason)


@transaction.atomic
def report_nonconformity(
    *, organization: Any, actor: Any, data: dict[str, Any], photo: Any = None
) -> Nonconformity:
    """The operator's quick report: a few fields and an optional photo, in one transaction."""
    nc = open_nonconformity(organization=organization, actor=actor, data={**data, "source": Source.PROCESS})
    if photo:
        add_attachment(nc, actor=actor, upload=photo, description="Photo taken when reported")
    return nc


@transaction.atomic
def transition_nonconformity(
    nc: Nonconformity,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Nonconformity:
    """One step of the corrective-action loop, with its gates (see workflow.NC_WORKFLOW)."""
    with workflow_step(nc, NC_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version):
        if name in ("contain", "analyse") and note.strip():
            nc.containment = note.strip()
        if name in ("close", "not_effective"):
            _check_verifier(nc, actor)
        # ``at`` back-dates the verdict when a paper log is entered (demo, imports); pages and API never
        # send it.
        now = at or timezone.now()
        if name == "close":
            nc.verdict, nc.verdict_note = Verdict.EFFECTIVE, note.strip()
            nc.verified_by, nc.verified_at, nc.closed_at = actor, now, now
            nc.effectiveness_questioned = False
        elif name == "not_effective":
            nc.verdict, nc.verdict_note = Verdict.NOT_EFFECTIVE, (note.strip() or reason)
            nc.verified_by, nc.verified_at = actor, now
        elif name == "cancel":
            nc.cancel_reason = reason
            nc.closed_at = now
    return nc


def _check_verifier(nc: Nonconformity, actor: Any) -> None:
    if actor is None:
        raise TransitionError("The effectiveness verdict needs a person.")
    if queries.settings_for(nc.organization).independent_verification:
        owners = queries.action_owner_ids(nc)
        if actor.pk in owners:
            raise TransitionError(
                "The effectiveness verdict must come from someone who owns none of the actions."
            )


@transaction.atomic
def set_root_cause(
    nc: Nonconformity, *, actor: Any, cause_category: CauseCategory, root_cause: str = ""
) -> Nonconformity:
    """Record the root-cause category and statement, then look for a recurrence."""
    assert_same_organization(nc.organization, {"cause_category": cause_category})
    with audit.tracking(nc, actor=actor, action="nonconformity.root_cause"):
        ensure_allowed(actor, nc.organization, "change", nc)
        if nc.status not in (
            NCStatus.REPORTED,
            NCStatus.CONTAINMENT,
            NCStatus.ANALYSIS,
            NCStatus.ACTION_PLAN,
        ):
            raise ValidationError({"cause_category": "The root cause can only change before implementation."})
        nc.cause_category = cause_category
        nc.root_cause = root_cause.strip()
        nc.save()
    check_recurrence(nc, actor=actor)
    return nc


def _quality_manager(organization: Any) -> Any:
    from qualitas.accounts.models import Membership

    for role in (Role.QUALITY_MANAGER, Role.ADMIN):
        m = (
            Membership.objects.filter(organization=organization, role=role, is_active=True)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if m is not None:
            return m.user
    return None


@transaction.atomic
def check_recurrence(nc: Nonconformity, *, actor: Any) -> Nonconformity | None:
    """Flag ``nc`` as a recurrence of a nonconformity with the same root-cause category, process and
    product closed within the organization's window; question that one's effectiveness."""
    if nc.cause_category_id is None or nc.recurrence_of_id is not None:
        return None
    window = queries.settings_for(nc.organization).recurrence_window_days
    earliest = nc.detected_on - dt.timedelta(days=window)
    prior = (
        Nonconformity.objects.filter(
            organization=nc.organization,
            status=NCStatus.CLOSED,
            cause_category_id=nc.cause_category_id,
            process_id=nc.process_id,
            product=nc.product,
            closed_at__date__gte=earliest,
            closed_at__date__lte=nc.detected_on,
        )
        .exclude(pk=nc.pk)
        .order_by("-closed_at")
        .first()
    )
    if prior is None:
        return None
    with audit.tracking(
        nc,
        actor=actor,
        action="nonconformity.recurrence_flagged",
        reason=f"Same cause, process and product as {prior.reference}",
    ):
        nc.recurrence_of = prior
        nc.save()
    with audit.tracking(
        prior,
        actor=actor,
        action="nonconformity.effectiveness_questioned",
        reason=f"Recurred as {nc.reference}",
    ):
        prior.effectiveness_questioned = True
        prior.save()
    qm = _quality_manager(nc.organization)
    if qm is not None:
        add_nc_action(
            prior,
            actor=actor,
            data={
                "title": f"Review effectiveness of {prior.reference}: it recurred as {nc.reference}",
                "kind": ActionKind.CORRECTIVE,
                "owner": qm,
                "priority": Priority.HIGH,
                "due_date": _today() + dt.timedelta(days=14),
                "description": (
                    "The same root-cause category, process and product came back within the "
                    "recurrence window. Check why the corrective action did not hold."
                ),
            },
        )
    return prior


@transaction.atomic
def add_nc_action(nc: Nonconformity, *, actor: Any, data: dict[str, Any]) -> Any:
    """Plan an action (correction, corrective, preventive, improvement) about a nonconformity."""
    from qualitas.actions.services import create_action

    action = create_action(organization=nc.organization, actor=actor, data=data, subject=nc)
    audit.record(
        nc, actor=actor, action="nonconformity.action_added", changes={"action": [None, str(action)]}
    )
    if action.owner_id != getattr(actor, "pk", None):
        from qualitas.improvement import notifications

        notifications.notify_assignment_after_commit(action, action.owner)
    return action


# --- 5 Whys and Ishikawa -------------------------------------------------------------------------


def _ensure_analysable(nc: Nonconformity, actor: Any) -> None:
    """The nonconformity, locked and read again, may still have its analysis changed."""
    audit.lock(nc)
    ensure_allowed(actor, nc.organization, "change", nc)
    if nc.status in (NCStatus.CLOSED, NCStatus.CANCELLED):
        raise ValidationError("This nonconformity is finished: its analysis can no longer change.")


@transaction.atomic
def add_why(nc: Nonconformity, *, actor: Any, why: str, because: str) -> WhyStep:
    _ensure_analysable(nc, actor)
    last = (
        WhyStep.objects.filter(nonconformity=nc)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    step = WhyStep(
        organization=nc.organization,
        created_by=actor,
        nonconformity=nc,
        position=(last or 0) + 1,
        why=why.strip(),
        because=because.strip(),
    )
    step.full_clean()
    with audit.tracking(step, actor=actor, action="whystep.create"):
        step.save()
    return step


@transaction.atomic
def delete_why(step: WhyStep, *, actor: Any, reason: str = "") -> None:
    _ensure_analysable(step.nonconformity, actor)
    delete_record(step, actor=actor, reason=reason)


@transaction.atomic
def add_cause(
    nc: Nonconformity, *, actor: Any, category: str, text: str, is_root: bool = False
) -> IshikawaCause:
    _ensure_analysable(nc, actor)
    cause = IshikawaCause(
        organization=nc.organization,
        created_by=actor,
        nonconformity=nc,
        category=category,
        text=text.strip(),
        is_root=False,
    )
    cause.full_clean()
    with audit.tracking(cause, actor=actor, action="ishikawacause.create"):
        cause.save()
    if is_root:
        mark_root_cause(cause, actor=actor)
    return cause


@transaction.atomic
def mark_root_cause(cause: IshikawaCause, *, actor: Any) -> IshikawaCause:
    """Make this cause the root; the previous root (if any) is unmarked, both audited."""
    _ensure_analysable(cause.nonconformity, actor)
    for other in IshikawaCause.objects.filter(nonconformity_id=cause.nonconformity_id, is_root=True).exclude(
        pk=cause.pk
    ):
        with audit.tracking(other, actor=actor, action="ishikawacause.unmark_root"):
            other.is_root = False
            other.save()
    with audit.tracking(cause, actor=actor, action="ishikawacause.mark_root"):
        cause.is_root = True
        cause.save()
    return cause


@transaction.atomic
def delete_cause(cause: IshikawaCause, *, actor: Any, reason: str = "") -> None:
    _ensure_analysable(cause.nonconformity, actor)
    delete_record(cause, actor=actor, reason=reason)


# --- nonconforming output (8.7) ------------------------------------------------------------------


@transaction.atomic
def set_disposition(
    nc: Nonconformity, *, actor: Any, disposition: str, concession_reference: str = "", reason: str = ""
) -> Nonconformity:
    """Propose what happens to the nonconforming output; any change withdraws a past authorisation."""
    if disposition not in Disposition.values or not disposition:
        raise ValidationError({"disposition": "Choose a disposition."})
    if disposition == Disposition.CONCESSION and not concession_reference.strip():
        raise ValidationError(
            {"concession_reference": "A concession needs its reference (customer or internal)."}
        )
    with audit.tracking(nc, actor=actor, action="nonconformity.disposition", reason=reason):
        ensure_allowed(actor, nc.organization, "change", nc)
        nc.disposition = disposition
        nc.concession_reference = concession_reference.strip()
        nc.disposition_authorised_by = None
        nc.disposition_authorised_at = None
        nc.save()
    return nc


@transaction.atomic
def authorise_disposition(nc: Nonconformity, *, actor: Any, reason: str = "") -> Nonconformity:
    """The authority deciding the action on the nonconforming output signs it off (role-gated)."""
    with audit.tracking(nc, actor=actor, action="nonconformity.disposition_authorised", reason=reason):
        ensure_allowed(actor, nc.organization, "authorise", nc)
        if not nc.disposition:
            raise ValidationError({"disposition": "Propose a disposition before authorising it."})
        if nc.disposition_authorised_by_id is not None:
            raise ValidationError({"disposition": "This disposition is already authorised."})
        nc.disposition_authorised_by = actor
        nc.disposition_authorised_at = timezone.now()
        nc.save()
    return nc


# --- lessons learned -----------------------------------------------------------------------------


@transaction.atomic
def publish_lesson(
    *, organization: Any, actor: Any, data: dict[str, Any], nonconformity: Any = None
) -> Lesson:
    """Publish a lesson to the knowledge base, usually from a closed nonconformity."""
    data = dict(data)
    nonconformity = nonconformity or data.pop("nonconformity", None)
    if nonconformity is not None:
        data["nonconformity"] = nonconformity
    data["tags"] = ", ".join(t.strip() for t in str(data.get("tags", "")).split(",") if t.strip())
    data["published_at"] = timezone.now()
    return create_record(Lesson, organization=organization, actor=actor, data=data)


def update_lesson(
    lesson: Lesson, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Lesson:
    if "tags" in data:
        data = {**data, "tags": ", ".join(t.strip() for t in str(data["tags"]).split(",") if t.strip())}
    return update_record(lesson, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_lesson(lesson: Lesson, *, actor: Any, reason: str = "") -> None:
    delete_record(lesson, actor=actor, reason=reason)


# --- improvement opportunities (10.3) ------------------------------------------------------------


def raise_opportunity(*, organization: Any, actor: Any, data: dict[str, Any]) -> ImprovementOpportunity:
    return create_numbered(
        ImprovementOpportunity,
        organization=organization,
        actor=actor,
        data={**data, "raised_by": actor},
        prefix="OFI",
        members=("owner",),
    )


def update_opportunity(
    opp: ImprovementOpportunity,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ImprovementOpportunity:
    ensure_member(opp.organization, data.get("owner"), "owner")
    return update_record(opp, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_opportunity(opp: ImprovementOpportunity, *, actor: Any, reason: str = "") -> None:
    delete_record(opp, actor=actor, reason=reason)


@transaction.atomic
def transition_opportunity(
    opp: ImprovementOpportunity,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> ImprovementOpportunity:
    with workflow_step(
        opp, OPPORTUNITY_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        field = {"do": "plan_notes", "check": "do_notes", "act": "check_notes", "finish": "act_notes"}.get(
            name
        )
        if field and note.strip():
            setattr(opp, field, note.strip())
        if name in ("accept", "reject"):
            opp.decided_at = timezone.now()
    return opp


def add_opportunity_action(opp: ImprovementOpportunity, *, actor: Any, data: dict[str, Any]) -> Any:
    from qualitas.actions.services import create_action

    return create_action(organization=opp.organization, actor=actor, data=data, subject=opp)


# --- settings, taxonomy, preferences -------------------------------------------------------------


@transaction.atomic
def save_settings(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ImprovementSettings:
    current = ImprovementSettings.objects.filter(organization=organization).first()
    for kind, field in (("source", "sources"), ("severity", "severities")):
        if field in data:
            data = {**data, field: _clean_entries(organization, kind, field, data[field])}
    if current is None:
        return create_record(ImprovementSettings, organization=organization, actor=actor, data=data)
    return update_record(current, actor=actor, data=data, expected_version=expected_version, reason=reason)


CODE_RE = re.compile(r"^[a-z0-9_]{1,30}$")


def _clean_entries(organization: Any, kind: str, field: str, entries: Any) -> list[dict[str, Any]]:
    """Check a new list of sources or severities: codes unique and well-formed, labels given, the
    built-in codes (other areas send them) present and active, and no code in use removed."""
    if not isinstance(entries, list):
        raise ValidationError({field: "Give a list of entries."})
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in entries:
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        label = str(entry.get("label", "")).strip() if isinstance(entry, dict) else ""
        if not CODE_RE.match(code):
            raise ValidationError({field: f"“{code}”: a code is 1 to 30 lower-case letters, digits or _."})
        if code in seen:
            raise ValidationError({field: f"The code “{code}” appears twice."})
        if not label or len(label) > 100:
            raise ValidationError({field: f"The code “{code}” needs a label of at most 100 characters."})
        seen.add(code)
        clean.append({"code": code, "label": label, "retired": bool(entry.get("retired"))})
    builtin = Source.values if kind == "source" else Severity.values
    for code in builtin:
        if code not in seen or any(e["code"] == code and e["retired"] for e in clean):
            raise ValidationError(
                {field: f"“{code}” is built in (other areas send it): rename it, but keep it active."}
            )
    in_use = (
        Nonconformity.objects.filter(organization=organization)
        .exclude(**{f"{kind}__in": seen})
        .values_list(kind, flat=True)
        .first()
    )
    if in_use is not None:
        raise ValidationError(
            {field: f"Nonconformities use “{in_use}”: it cannot be removed, mark it retired instead."}
        )
    return clean


@transaction.atomic
def seed_cause_categories(organization: Any, *, actor: Any) -> int:
    """Create the default root-cause categories the organization does not have yet."""
    have = set(CauseCategory.objects.filter(organization=organization).values_list("name", flat=True))
    made = 0
    for name, description in DEFAULT_CAUSE_CATEGORIES:
        if name not in have:
            create_record(
                CauseCategory,
                organization=organization,
                actor=actor,
                data={"name": name, "description": description},
            )
            made += 1
    return made


def create_cause_category(*, organization: Any, actor: Any, data: dict[str, Any]) -> CauseCategory:
    return create_record(CauseCategory, organization=organization, actor=actor, data=data)


def update_cause_category(
    cat: CauseCategory,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> CauseCategory:
    return update_record(cat, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_cause_category(cat: CauseCategory, *, actor: Any, reason: str = "") -> None:
    if Nonconformity.objects.filter(organization=cat.organization, cause_category=cat).exists():
        raise ValidationError("Nonconformities use this category: make it inactive instead.")
    delete_record(cat, actor=actor, reason=reason)


@transaction.atomic
def save_preferences(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> NotificationPreference:
    """The person's own notification choices (each person has one row per organization)."""
    current = NotificationPreference.objects.filter(organization=organization, user=actor).first()
    if current is None:
        return create_record(
            NotificationPreference, organization=organization, actor=actor, data={**data, "user": actor}
        )
    return update_record(current, actor=actor, data=data, expected_version=expected_version, reason=reason)
