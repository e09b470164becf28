import itertools
from typing import Any

from qualitas.core import audit
from qualitas.core.testing.factories import factory
from qualitas.standards import queries, services
from qualitas.standards.choices import LEGACY_1994
from qualitas.standards.models import EvidenceLink, LegacyProcedure, PackJob, Requirement, ScopeStatement

_seq = itertools.count(1)


@factory(Requirement)
def make_requirement(org: Any, actor: Any, **overrides: Any) -> Requirement:
    """The requirement on the next ISO 9001 clause the organization does not track yet."""
    used = Requirement.objects.filter(organization=org).values("clause_id")
    clause = queries.auditable_clauses().exclude(pk__in=used).first()
    if clause is None:  # every clause is tracked already (callers that only need some requirement)
        return Requirement.objects.filter(organization=org).order_by("-pk").first()  # type: ignore[return-value]
    with audit.context("cli"):
        req = services.requirement_for(org, clause, actor=actor)
        if overrides:
            req = services.update_requirement(req, actor=actor, data=overrides)
    return req


@factory(LegacyProcedure)
def make_legacy_procedure(org: Any, actor: Any, **overrides: Any) -> LegacyProcedure:
    n = next(_seq)
    data = {
        "reference": f"QP-4.9-{n:02d}",
        "title": "Process control in turning",
        "element": queries.clauses(LEGACY_1994).get(number="4.9"),
        **overrides,
    }
    return services.create_legacy_procedure(organization=org, actor=actor, data=data)


@factory(EvidenceLink)
def make_evidence_link(org: Any, actor: Any, **overrides: Any) -> EvidenceLink:
    req = make_requirement(org, actor)
    proc = make_legacy_procedure(org, actor)
    with audit.context("cli"):
        return services.link_evidence(req, proc, actor=actor, note=overrides.get("note", ""))


@factory(ScopeStatement)
def make_scope(org: Any, actor: Any, **overrides: Any) -> ScopeStatement:
    existing = queries.scope_of(org)
    if existing is not None:
        return existing
    data = {
        "profile": "custom",
        "statement": "Machining of parts to customer drawings.",
        "sites": "Plant 1",
        "products_services": "Turned parts",
        **overrides,
    }
    with audit.context("cli"):
        scope, _warnings = services.save_scope(org, actor=actor, data=data)
    return scope


@factory(PackJob)
def make_pack_job(org: Any, actor: Any, **overrides: Any) -> PackJob:
    """A queued evidence pack (not built: the progress polls build it)."""
    with audit.context("cli"):
        return services.start_pack_job(org, actor=actor)
