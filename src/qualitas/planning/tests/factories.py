import datetime as dt
import itertools
from typing import Any

from qualitas.core.services import create_record
from qualitas.core.testing.factories import factory
from qualitas.planning import services
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

_seq = itertools.count(1)


@factory(Process)
def make_process(org: Any, actor: Any, **overrides: Any) -> Process:
    n = next(_seq)
    data = {"code": f"P-{n:03d}", "name": f"Process {n}", "process_type": "core", "owner": actor, **overrides}
    return services.create_process(organization=org, actor=actor, data=data)


@factory(ProcessInteraction)
def make_interaction(org: Any, actor: Any, **overrides: Any) -> ProcessInteraction:
    source = overrides.pop("source", None) or make_process(org, actor)
    target = overrides.pop("target", None) or make_process(org, actor)
    return services.add_interaction(source, actor=actor, target=target, description="work orders")


@factory(ContextIssue)
def make_context_issue(org: Any, actor: Any, **overrides: Any) -> ContextIssue:
    data = {
        "title": f"Skilled labour shortage {next(_seq)}",
        "issue_type": "external",
        "category": "social",
        **overrides,
    }
    return create_record(ContextIssue, organization=org, actor=actor, data=data)


@factory(InterestedParty)
def make_party(org: Any, actor: Any, **overrides: Any) -> InterestedParty:
    data = {
        "name": f"Customer group {next(_seq)}",
        "category": "customer",
        "needs": "Parts on time",
        **overrides,
    }
    return create_record(InterestedParty, organization=org, actor=actor, data=data)


@factory(Identity)
def make_identity(org: Any, actor: Any, **overrides: Any) -> Identity:
    return services.save_identity(
        org, actor=actor, data={"mission": "Precision parts, on time.", **overrides}
    )


@factory(PlanningSettings)
def make_settings(org: Any, actor: Any, **overrides: Any) -> PlanningSettings:
    return services.update_settings(org, actor=actor, data={"matrix_size": 5, **overrides})


@factory(QualityPolicy)
def make_policy(org: Any, actor: Any, **overrides: Any) -> QualityPolicy:
    data = {"title": "Quality policy", "text": "We meet requirements and keep improving.", **overrides}
    return services.create_policy(organization=org, actor=actor, data=data)


@factory(PolicyCommunication)
def make_communication(org: Any, actor: Any, **overrides: Any) -> PolicyCommunication:
    policy = make_policy(org, actor)
    services.transition_policy(policy, "approve", actor=actor)
    data = {"date": dt.date(2026, 3, 1), "channel": "Staff meeting", "audience": "All staff", **overrides}
    return services.add_communication(policy, actor=actor, data=data)


@factory(Risk)
def make_risk(org: Any, actor: Any, **overrides: Any) -> Risk:
    data = {
        "kind": "risk",
        "title": "Subcontractor closes",
        "likelihood": 3,
        "impact": 4,
        "owner": actor,
        "source": "other",
        **overrides,
    }
    return services.create_risk(organization=org, actor=actor, data=data)


@factory(Objective)
def make_objective(org: Any, actor: Any, **overrides: Any) -> Objective:
    data = {
        "title": "On-time delivery 95 %",
        "target": "95 % or more every month",
        "owner": actor,
        **overrides,
    }
    return services.create_objective(organization=org, actor=actor, data=data)


@factory(Kpi)
def make_kpi(org: Any, actor: Any, **overrides: Any) -> Kpi:
    data = {
        "code": f"K{next(_seq)}",
        "name": "On-time delivery",
        "unit": "%",
        "direction": "higher",
        "target": 95,
        "warning": 93,
        "alarm": 90,
        "owner": actor,
        **overrides,
    }
    return services.create_kpi(organization=org, actor=actor, data=data)


@factory(Measurement)
def make_measurement(org: Any, actor: Any, **overrides: Any) -> Measurement:
    kpi = overrides.pop("kpi", None) or make_kpi(org, actor)
    return services.record_measurement(
        kpi,
        actor=actor,
        period=overrides.get("period", dt.date(2026, 1, 1)),
        value=overrides.get("value", 96.0),
    )
