import datetime as dt
import itertools
from typing import Any

from qualitas.audits import services
from qualitas.audits.models import Audit, Auditor, AuditProgramme, ChecklistItem, ChecklistTemplate, Finding
from qualitas.core.services import create_record
from qualitas.core.testing.factories import factory

_seq = itertools.count(1)


@factory(AuditProgramme)
def make_programme(org: Any, actor: Any, **overrides: Any) -> AuditProgramme:
    data = {
        "title": "Audit programme 2025–2027",
        "period_start": dt.date(2025, 1, 1),
        "period_end": dt.date(2027, 12, 31),
        **overrides,
    }
    return create_record(AuditProgramme, organization=org, actor=actor, data=data)


@factory(Auditor)
def make_auditor(org: Any, actor: Any, user: Any = None, **overrides: Any) -> Auditor:
    from qualitas.accounts import services as accounts
    from qualitas.accounts.choices import Role

    if user is None:
        from qualitas.core import audit

        n = next(_seq)
        with audit.context("cli"):
            user = accounts.add_member(
                org,
                actor=None,
                username=f"aud{n}-{org.slug}",
                full_name=f"Auditor {n}",
                role=Role.AUDITOR,
                password="x-unused-9",
            ).user
        user._qualitas_memberships = None
    data = {"user": user, "qualifications": "Internal auditor course (2 days)", **overrides}
    return services.create_auditor(organization=org, actor=actor, data=data)


@factory(Audit)
def make_audit(org: Any, actor: Any, **overrides: Any) -> Audit:
    data = {
        "title": "Purchasing process audit",
        "planned_start": dt.date(2026, 3, 10),
        "scope": "Purchasing",
        **overrides,
    }
    return services.create_audit(organization=org, actor=actor, data=data)


@factory(ChecklistItem)
def make_item(org: Any, actor: Any, audit: Audit | None = None, **overrides: Any) -> ChecklistItem:
    audit = audit or make_audit(org, actor)
    data = {"audit": audit, "question": "Are suppliers evaluated against defined criteria?", **overrides}
    return services.create_checklist_item(organization=org, actor=actor, data=data)


@factory(ChecklistTemplate)
def make_template(org: Any, actor: Any, **overrides: Any) -> ChecklistTemplate:
    data = {
        "name": f"Purchasing checklist {next(_seq)}",
        "questions": [{"clause": "8.4", "question": "How are suppliers approved?"}],
        **overrides,
    }
    return create_record(ChecklistTemplate, organization=org, actor=actor, data=data)


@factory(Finding)
def make_finding(org: Any, actor: Any, audit: Audit | None = None, **overrides: Any) -> Finding:
    audit = audit or make_audit(org, actor)
    data = {"audit": audit, "kind": "observation", "statement": "Supplier list not dated.", **overrides}
    return services.create_finding(organization=org, actor=actor, data=data)
