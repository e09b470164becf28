"""All writes of the planning area. Each function is one transaction with a role check and an audit
event; side effects (e-mail) run after commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from qualitas.actions import services as actions
from qualitas.actions.choices import ActionKind, Priority
from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    create_record,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)
from qualitas.planning import scoring
from qualitas.planning.choices import (
    OPPORTUNITY_TREATMENTS,
    RISK_TREATMENTS,
    Frequency,
    KpiStatus,
    MeasurementSource,
    PolicyStatus,
    RiskKind,
    RiskStatus,
)
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    Kpi,
    Measurement,
    Objective,
    PlanningSettings,
    PolicyCommunication,
    Process,
    ProcessInteraction,
    QualityPolicy,
    Risk,
)
from qualitas.planning.workflow import POLICY_WORKFLOW, RISK_WORKFLOW

log = logging.getLogger(__name__)


# --- settings ------------------------------------------------------------------------------------


def get_settings(organization: Any) -> PlanningSettings:
    """The organization's settings, or the defaults (unsaved) when none were stored yet."""
    found = PlanningSettings.objects.filter(organization=organization).first()
    return found or PlanningSettings(organization=organization)


@transaction.atomic
def update_settings(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> PlanningSettings:
    current = get_settings(organization)
    size = int(data.get("matrix_size", current.matrix_size))
    try:
        scoring.check_matrix_size(size)
    except ValueError as exc:
        raise ValidationError({"matrix_size": str(exc)}) from None
    too_high = (
        Risk.objects.filter(organization=organization).filter(likelihood__gt=size).count()
        + Risk.objects.filter(organization=organization, impact__gt=size).count()
    )
    if too_high:
        raise ValidationError(
            {"matrix_size": f"{too_high} rating(s) lie above {size}; re-rate those risks first."}
        )
    if current.pk is None:
        ensure_allowed(actor, organization, "add", PlanningSettings)
        current.created_by = actor
        current.matrix_size = size
        with audit.tracking(current, actor=actor, action="planningsettings.create", reason=reason):
            current.save()
    else:
        current = update_record(
            current, actor=actor, data={"matrix_size": size}, expected_version=expected_version, reason=reason
        )
    # Scores depend on the matrix size: recompute every risk (each change is audited).
    for risk in Risk.objects.filter(organization=organization).select_for_update():
        before = (risk.inherent_level, risk.residual_level, risk.level)
        _compute_levels(risk, size)
        if before != (risk.inherent_level, risk.residual_level, risk.level):
            with audit.tracking(
                risk, actor=actor, action="risk.rescore", reason=f"Matrix size now {size}×{size}"
            ):
                _compute_levels(risk, size)
                risk.save()
    return current


# --- processes -----------------------------------------------------------------------------------


def create_process(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Process:
    return create_record(
        Process, organization=organization, actor=actor, data=data, reason=reason, members=("owner",)
    )


def update_process(
    process: Process,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Process:
    ensure_member(process.organization, data.get("owner"), "owner")
    return update_record(process, actor=actor, data=data, expected_version=expected_version, reason=reason)


@transaction.atomic
def delete_process(process: Process, *, actor: Any, reason: str = "") -> None:
    """Delete a process and its arrows (each removal audited); refused while other records name it."""
    from django.db.models import ProtectedError, Q

    ensure_allowed(actor, process.organization, "delete", process)
    for link in ProcessInteraction.objects.filter(Q(source=process) | Q(target=process)).select_related(
        "source", "target"
    ):
        delete_record(link, actor=actor, reason=f"Process {process.code} deleted")
    try:
        delete_record(process, actor=actor, reason=reason)
    except ProtectedError:
        raise ValidationError("Other records name this process; deactivate it instead.") from None


@transaction.atomic
def add_interaction(
    source: Process, *, actor: Any, target: Process, description: str = ""
) -> ProcessInteraction:
    organization = source.organization
    ensure_allowed(actor, organization, "add", ProcessInteraction)
    assert_same_organization(organization, {"target": target})
    if target.pk == source.pk:
        raise ValidationError({"target": "A process cannot feed itself."})
    if ProcessInteraction.objects.filter(organization=organization, source=source, target=target).exists():
        raise ValidationError({"target": f"{source.code} already feeds {target.code}."})
    return create_record(
        ProcessInteraction,
        organization=organization,
        actor=actor,
        data={"source": source, "target": target, "description": description},
    )


def delete_interaction(interaction: ProcessInteraction, *, actor: Any, reason: str = "") -> None:
    delete_record(interaction, actor=actor, reason=reason)


# --- context, interested parties, identity, policy -----------------------------------------------


def create_context_issue(
    *, organization: Any, actor: Any, data: dict[str, Any], reason: str = ""
) -> ContextIssue:
    return create_record(ContextIssue, organization=organization, actor=actor, data=data, reason=reason)


def update_context_issue(
    issue: ContextIssue,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ContextIssue:
    return update_record(issue, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_context_issue(issue: ContextIssue, *, actor: Any, reason: str = "") -> None:
    if issue.risks.exists():
        raise ValidationError("Risks or opportunities come from this issue; mark it inactive instead.")
    delete_record(issue, actor=actor, reason=reason)


def create_party(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> InterestedParty:
    return create_record(InterestedParty, organization=organization, actor=actor, data=data, reason=reason)


def update_party(
    party: InterestedParty,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> InterestedParty:
    return update_record(party, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_party(party: InterestedParty, *, actor: Any, reason: str = "") -> None:
    if party.risks.exists():
        raise ValidationError("Risks or opportunities come from this party; mark it inactive instead.")
    delete_record(party, actor=actor, reason=reason)


def get_identity(organization: Any) -> Identity:
    return Identity.objects.filter(organization=organization).first() or Identity(organization=organization)


@transaction.atomic
def save_identity(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Identity:
    current = get_identity(organization)
    if current.pk is None:
        return create_record(Identity, organization=organization, actor=actor, data=data, reason=reason)
    return update_record(current, actor=actor, data=data, expected_version=expected_version, reason=reason)


def create_policy(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> QualityPolicy:
    data = {k: v for k, v in data.items() if k not in ("status", "approved_by", "approved_at")}
    return create_record(QualityPolicy, organization=organization, actor=actor, data=data, reason=reason)


def update_policy(
    policy: QualityPolicy,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> QualityPolicy:
    def draft_only(fresh: QualityPolicy, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.status != PolicyStatus.DRAFT:
            raise ValidationError(
                "Only a draft policy can be edited; start a new draft to change an approved one."
            )
        return data

    return update_record(
        policy,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        prepare=draft_only,
    )


def delete_policy(policy: QualityPolicy, *, actor: Any, reason: str = "") -> None:
    def draft_only(fresh: QualityPolicy) -> None:
        if fresh.status != PolicyStatus.DRAFT:
            raise ValidationError(
                "An approved or superseded policy is a retained record and cannot be deleted."
            )

    delete_record(policy, actor=actor, reason=reason, check=draft_only)


@transaction.atomic
def transition_policy(
    policy: QualityPolicy,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> QualityPolicy:
    with workflow_step(
        policy,
        POLICY_WORKFLOW,
        name,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        event_reason=reason or note,
    ):
        if name == "approve":
            # One approved policy at a time: approvals in the organization queue on its chain head
            # (taken here rather than at the first event), and the approved ones are locked as read.
            audit.lock_head(policy.organization)
            for previous in (
                QualityPolicy.objects.select_for_update()
                .filter(organization=policy.organization, status=PolicyStatus.APPROVED)
                .exclude(pk=policy.pk)
            ):
                with audit.tracking(
                    previous,
                    actor=actor,
                    action="qualitypolicy.supersede",
                    reason=f"Superseded by the policy approved on {timezone.localdate()}",
                ):
                    previous.status = PolicyStatus.SUPERSEDED
                    previous.save()
            policy.approved_by = actor
            policy.approved_at = timezone.now()
            policy.effective_from = policy.effective_from or timezone.localdate()
    return policy


@transaction.atomic
def add_communication(policy: QualityPolicy, *, actor: Any, data: dict[str, Any]) -> PolicyCommunication:
    audit.lock(policy)
    if policy.status != PolicyStatus.APPROVED:
        raise ValidationError("Only the approved policy is communicated.")
    return create_record(
        PolicyCommunication, organization=policy.organization, actor=actor, data={**data, "policy": policy}
    )


# --- risks and opportunities ---------------------------------------------------------------------


def _compute_levels(risk: Risk, size: int) -> None:
    risk.inherent_score, risk.inherent_level = scoring.level_of(risk.likelihood, risk.impact, size)
    if risk.residual_likelihood and risk.residual_impact:
        risk.residual_score, risk.residual_level = scoring.level_of(
            risk.residual_likelihood, risk.residual_impact, size
        )
    else:
        risk.residual_score, risk.residual_level = None, ""
    risk.level = risk.residual_level or risk.inherent_level


def check_risk(risk: Risk, size: int) -> None:
    errors: dict[str, str] = {}
    for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        value = getattr(risk, name)
        if value is not None and not 1 <= int(value) <= size:
            errors[name] = f"Rate from 1 to {size} (the organization's matrix is {size}×{size})."
    if (risk.residual_likelihood is None) != (risk.residual_impact is None):
        errors["residual_impact"] = "Give both residual likelihood and residual impact, or neither."
    allowed = RISK_TREATMENTS if risk.kind == RiskKind.RISK else OPPORTUNITY_TREATMENTS
    if risk.treatment and risk.treatment not in allowed:
        labels = ", ".join(str(t.label).lower() for t in allowed)
        errors["treatment"] = (
            f"For {'a risk' if risk.kind == RiskKind.RISK else 'an opportunity'} choose: {labels}."
        )
    if errors:
        raise ValidationError(errors)
    _compute_levels(risk, size)


def create_risk(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Risk:
    size = get_settings(organization).matrix_size
    return create_numbered(
        Risk,
        organization=organization,
        actor=actor,
        data=data,
        prefix="RO",
        reason=reason,
        members=("owner",),
        prepare=lambda risk: check_risk(risk, size),
    )


@transaction.atomic
def update_risk(
    risk: Risk, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Risk:
    organization = risk.organization
    assert_same_organization(organization, data)
    ensure_member(organization, data.get("owner"), "owner")
    size = get_settings(organization).matrix_size
    with audit.tracking(
        risk, actor=actor, action="risk.update", reason=reason, expected_version=expected_version
    ):
        ensure_allowed(actor, organization, "change", risk)
        for name, value in data.items():
            setattr(risk, name, value)
        check_risk(risk, size)
        risk.full_clean()
        risk.save()
    return risk


def delete_risk(risk: Risk, *, actor: Any, reason: str = "") -> None:
    delete_record(risk, actor=actor, reason=reason)


@transaction.atomic
def transition_risk(
    risk: Risk,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Risk:
    with workflow_step(
        risk,
        RISK_WORKFLOW,
        name,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        event_reason=reason or note,
    ):
        if risk.status == RiskStatus.ACCEPTED:
            risk.accepted_by = actor
            risk.accepted_at = timezone.now()
        elif name == "reopen":
            risk.accepted_by, risk.accepted_at = None, None
    return risk


@transaction.atomic
def record_risk_review(
    risk: Risk, *, actor: Any, next_review: dt.date | None, effectiveness: str = "", note: str = ""
) -> Risk:
    """A periodic review: the date is recorded, the next one set, the effectiveness of actions rated."""
    today = timezone.localdate()
    if next_review is not None and next_review <= today:
        raise ValidationError({"next_review": "The next review lies in the future."})
    with audit.tracking(risk, actor=actor, action="risk.review", reason=note):
        ensure_allowed(actor, risk.organization, "change", risk)
        risk.last_reviewed = today
        risk.review_date = next_review
        if effectiveness:
            risk.effectiveness = effectiveness
        if note:
            risk.effectiveness_note = note
        risk.full_clean()
        risk.save()
    return risk


def add_plan_action(subject: Risk | Objective, *, actor: Any, data: dict[str, Any]) -> Any:
    """A treatment action of a risk, or a step of an objective's plan: a core action about it."""
    kind = (
        ActionKind.PREVENTIVE
        if isinstance(subject, Risk) and subject.kind == RiskKind.RISK
        else ActionKind.IMPROVEMENT
    )
    return actions.create_action(
        organization=subject.organization, actor=actor, data={"kind": kind, **data}, subject=subject
    )


# --- objectives ----------------------------------------------------------------------------------


def create_objective(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Objective:
    return create_numbered(
        Objective,
        organization=organization,
        actor=actor,
        data=data,
        prefix="OBJ",
        reason=reason,
        members=("owner",),
    )


def update_objective(
    objective: Objective,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Objective:
    ensure_member(objective.organization, data.get("owner"), "owner")
    return update_record(objective, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_objective(objective: Objective, *, actor: Any, reason: str = "") -> None:
    delete_record(objective, actor=actor, reason=reason)


# --- KPIs and measurements -----------------------------------------------------------------------


def check_kpi(data: dict[str, Any], kpi: Kpi | None = None) -> None:
    def pick(name: str) -> Any:
        return data[name] if name in data else getattr(kpi, name, None)

    if pick("target") is None:
        return  # full_clean reports the missing target
    errors = scoring.check_thresholds(
        pick("direction") or "higher", float(pick("target")), pick("warning"), pick("alarm")
    )
    if errors:
        raise ValidationError(errors)


def create_kpi(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Kpi:
    check_kpi(data)
    return create_record(
        Kpi, organization=organization, actor=actor, data=data, reason=reason, members=("owner",)
    )


def update_kpi(
    kpi: Kpi, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Kpi:
    ensure_member(kpi.organization, data.get("owner"), "owner")

    def thresholds(fresh: Kpi, data: dict[str, Any]) -> dict[str, Any]:
        check_kpi(data, fresh)
        return data

    return update_record(
        kpi, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=thresholds
    )


def delete_kpi(kpi: Kpi, *, actor: Any, reason: str = "") -> None:
    """Only a KPI without values can be deleted: recorded values are retained evidence (9.1.1)."""
    if kpi.measurements.exists():
        raise ValidationError("This KPI has recorded values (retained evidence); deactivate it instead.")
    delete_record(kpi, actor=actor, reason=reason)


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period that contains ``day``."""
    if frequency == Frequency.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if frequency == Frequency.QUARTERLY:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if frequency == Frequency.YEARLY:
        return dt.date(day.year, 1, 1)
    return day.replace(day=1)


class MeasurementErrors(ValidationError):
    """Row-level errors of a batch: ``rows`` maps the row number (1-based) to its messages."""

    def __init__(self, rows: dict[int, list[str]]) -> None:
        self.rows = rows
        super().__init__({"rows": [f"Row {n}: {'; '.join(msgs)}" for n, msgs in sorted(rows.items())]})


# From this many rows on, a batch of measurements is written in bulk (imports).
BULK_MEASUREMENTS = 50
BULK_MEASUREMENTS_BATCH = 1000


def _measurement_changes(m: Measurement) -> dict[str, list[Any]]:
    return {
        "kpi": [None, m.kpi_id],
        "period": [None, m.period.isoformat()],
        "value": [None, m.value],
        "source": [None, m.source],
    }


@transaction.atomic
def record_measurements(
    organization: Any, *, actor: Any, rows: Iterable[dict[str, Any]], source: str = MeasurementSource.MANUAL
) -> list[Measurement]:
    """Record a batch of measurements, all or nothing.

    Each row is ``{"kpi": Kpi, "period": date, "value": float, "note": str}``. Any bad row (another
    organization's KPI, a period already recorded, the same period twice) fails the whole batch with
    the row numbers. Then the owner of each KPI whose newest value crossed a threshold is alerted.
    """
    ensure_allowed(actor, organization, "add", Measurement)
    rows = list(rows)
    errors: dict[int, list[str]] = {}
    seen: set[tuple[int, dt.date]] = set()
    prepared: list[Measurement] = []
    for n, row in enumerate(rows, start=1):
        kpi, value = row.get("kpi"), row.get("value")
        problems = []
        if not isinstance(kpi, Kpi) or kpi.organization_id != organization.pk:
            problems.append("unknown KPI")
        if not isinstance(row.get("period"), dt.date):
            problems.append("the period must be a date")
        try:
            value = float(value)  # type: ignore[arg-type]
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError
        except (TypeError, ValueError):
            problems.append("the value must be a number")
        if problems:
            errors[n] = problems
            continue
        period = period_start(row["period"], kpi.frequency)
        if (kpi.pk, period) in seen:
            errors[n] = [f"{kpi.code} {period.isoformat()} appears twice in this batch"]
            continue
        seen.add((kpi.pk, period))
        prepared.append(
            Measurement(
                organization=organization,
                created_by=actor,
                kpi=kpi,
                period=period,
                value=value,
                note=str(row.get("note") or "")[:300],
                source=source,
                status=kpi.status_of(value),
            )
        )
    if prepared and not errors:
        existing = set(
            Measurement.objects.filter(
                organization=organization,
                kpi_id__in={m.kpi_id for m in prepared},
                period__in={m.period for m in prepared},
            ).values_list("kpi_id", "period")
        )
        for n, m in enumerate(prepared, start=1):
            if (m.kpi_id, m.period) in existing:
                errors.setdefault(n, []).append(
                    f"{m.kpi.code} already has a value for {m.period.isoformat()}"
                )
    if errors:
        raise MeasurementErrors(errors)
    if not prepared:
        raise ValidationError({"rows": "There is nothing to record."})
    if len(prepared) < BULK_MEASUREMENTS:
        for m in prepared:
            m.save()
            audit.record(m, actor=actor, action="measurement.create", changes=_measurement_changes(m))
    else:
        # An import: one multi-row INSERT per batch and the same event per row, chained in bulk
        # (one lock of the chain head instead of one per row).
        from qualitas.core.bulk import BulkAuditWriter

        Measurement.objects.bulk_create(prepared, batch_size=BULK_MEASUREMENTS_BATCH)
        with BulkAuditWriter(organization) as trail:
            for m in prepared:
                trail.add(
                    actor=actor,
                    action="measurement.create",
                    obj=m,
                    changes=audit.to_jsonable(_measurement_changes(m)),
                    changes_are_json=True,
                )
    new_by_kpi: dict[int, set[int]] = {}
    for m in prepared:
        new_by_kpi.setdefault(m.kpi_id, set()).add(m.pk)
    for kpi in {m.kpi_id: m.kpi for m in prepared}.values():
        _alert_if_crossed(kpi, actor=actor, new=new_by_kpi[kpi.pk])
    return prepared


def record_measurement(
    kpi: Kpi,
    *,
    actor: Any,
    period: dt.date,
    value: float,
    note: str = "",
    source: str = MeasurementSource.MANUAL,
) -> Measurement:
    try:
        return record_measurements(
            kpi.organization,
            actor=actor,
            source=source,
            rows=[{"kpi": kpi, "period": period, "value": value, "note": note}],
        )[0]
    except MeasurementErrors as exc:
        raise ValidationError({"period": [m.split(": ", 1)[-1] for m in exc.message_dict["rows"]]}) from None


def delete_measurement(measurement: Measurement, *, actor: Any, reason: str = "") -> None:
    delete_record(measurement, actor=actor, reason=reason)


def _alert_if_crossed(kpi: Kpi, *, actor: Any, new: set[int]) -> None:
    """Alert the owner when the KPI's newest value is new and worse than the value before it.

    Back-filled history (older periods) never alerts: only the current picture matters."""
    latest = list(Measurement.objects.filter(organization=kpi.organization, kpi=kpi).order_by("-period")[:2])
    if not latest or latest[0].pk not in new:
        return
    current = kpi.status_of(latest[0].value)
    previous = kpi.status_of(latest[1].value) if len(latest) > 1 else None
    if not scoring.crossed(previous, current):
        return
    m = latest[0]
    off = current == KpiStatus.OFF_TARGET
    threshold = kpi.alarm if off else (kpi.warning if kpi.warning is not None else kpi.target)
    title = (
        f"{kpi.code} {'off target' if off else 'at risk'}: {m.value:g}{kpi.unit} for {m.period.isoformat()}"
    )[:200]
    description = (
        f"The {kpi.get_frequency_display().lower()} value of “{kpi.name}” crossed the "
        f"{'alarm' if off else 'warning'} threshold ({threshold:g}{kpi.unit}; target {kpi.target:g}"
        f"{kpi.unit}). Look into the cause and decide whether action is needed."
    )
    action = actions.create_action(
        organization=kpi.organization,
        actor=actor,
        subject=kpi,
        data={
            "title": title,
            "description": description,
            "owner": kpi.owner,
            "kind": ActionKind.TASK,
            "priority": Priority.URGENT if off else Priority.HIGH,
            "due_date": timezone.localdate() + dt.timedelta(days=7 if off else 14),
        },
    )
    email = kpi.owner.email
    if email:
        url = kpi.get_absolute_url()
        transaction.on_commit(lambda: _send_alert(email, title, description, url, action.reference))


def _send_alert(email: str, title: str, description: str, url: str, reference: str) -> None:
    try:
        send_mail(
            subject=f"[Qualitas] {title}",
            message=f"{description}\n\nKPI: {url}\nTask: {reference}\n",
            from_email=None,
            recipient_list=[email],
        )
    except Exception:
        log.exception("KPI alert e-mail to %s failed", email)


# --- adapters for the generic API viewsets (create_service(organization=, actor=, data=)) ----------


def create_interaction(*, organization: Any, actor: Any, data: dict[str, Any]) -> ProcessInteraction:
    source = data.get("source")
    assert_same_organization(organization, {"source": source})
    return add_interaction(
        source, actor=actor, target=data["target"], description=data.get("description", "")
    )


def create_communication(*, organization: Any, actor: Any, data: dict[str, Any]) -> PolicyCommunication:
    policy = data.pop("policy")
    assert_same_organization(organization, {"policy": policy})
    return add_communication(policy, actor=actor, data=data)


def update_communication(
    comm: PolicyCommunication,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> PolicyCommunication:
    data = {k: v for k, v in data.items() if k != "policy"}
    return update_record(comm, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_communication(comm: PolicyCommunication, *, actor: Any, reason: str = "") -> None:
    delete_record(comm, actor=actor, reason=reason)


def create_measurement(*, organization: Any, actor: Any, data: dict[str, Any]) -> Measurement:
    kpi = data["kpi"]
    assert_same_organization(organization, {"kpi": kpi})
    return record_measurement(
        kpi,
        actor=actor,
        period=data["period"],
        value=data["value"],
        note=data.get("note", ""),
        source=data.get("source", MeasurementSource.API),
    )


def update_measurement(
    m: Measurement, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Measurement:
    """Correct a value or its note (not its KPI or period); the status is recomputed."""
    data = {k: v for k, v in data.items() if k in ("value", "note")}
    if "value" in data:
        data["status"] = m.kpi.status_of(float(data["value"]))
    return update_record(m, actor=actor, data=data, expected_version=expected_version, reason=reason)


def create_identity(*, organization: Any, actor: Any, data: dict[str, Any]) -> Identity:
    return save_identity(organization, actor=actor, data=data)


def update_identity(
    identity: Identity,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Identity:
    return update_record(identity, actor=actor, data=data, expected_version=expected_version, reason=reason)


def create_settings(*, organization: Any, actor: Any, data: dict[str, Any]) -> PlanningSettings:
    return update_settings(organization, actor=actor, data=data)


def update_settings_record(
    current: PlanningSettings,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> PlanningSettings:
    return update_settings(
        current.organization, actor=actor, data=data, expected_version=expected_version, reason=reason
    )
