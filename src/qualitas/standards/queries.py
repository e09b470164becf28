"""Read side of the standards area: the catalog and each organization's requirements.

Other areas use ``clauses()`` and ``applicable_clauses()``; they never import the models directly.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from qualitas.standards.choices import ISO9001, LEGACY_1994
from qualitas.standards.models import Clause, Requirement, ScopeStatement, Standard


def clauses(standard_code: str = ISO9001) -> QuerySet[Clause]:
    """Every clause of one standard, in reading order (4, 4.1, ..., 4.4.2, 5, ...)."""
    return Clause.objects.filter(standard__code=standard_code).select_related("parent").order_by("sort_key")


def standard(code: str = ISO9001) -> Standard | None:
    return Standard.objects.filter(code=code).first()


def auditable_clauses(standard_code: str = ISO9001) -> QuerySet[Clause]:
    """The clauses auditors cite and readiness counts: those without subclauses."""
    return clauses(standard_code).filter(is_auditable=True)


def not_applicable_clause_ids(organization: Any) -> QuerySet[Requirement, dict[str, Any]]:
    return Requirement.objects.filter(organization=organization, applicable=False).values("clause_id")


def applicable_clauses(organization: Any, *, include_parents: bool = False) -> QuerySet[Clause]:
    """ISO 9001 clauses that apply to the organization (all of them until something is declared N/A).

    By default only the clauses auditors cite (no subclauses); ``include_parents=True`` also gives the
    headings (8.5, 8.5 …) whose subclauses are at least partly applicable.
    """
    na = Requirement.objects.filter(organization=organization, applicable=False, clause=OuterRef("pk"))
    leaves = auditable_clauses().exclude(Exists(na))
    if not include_parents:
        return leaves
    applicable_leaf_numbers = list(leaves.values_list("number", flat=True))
    numbers = set(applicable_leaf_numbers)
    for n in applicable_leaf_numbers:
        while "." in n:
            n = n.rsplit(".", 1)[0]
            numbers.add(n)
    return clauses().filter(number__in=numbers)


def leaf_numbers_under(number: str, standard_code: str = ISO9001) -> list[str]:
    """The auditable clause itself, or the auditable clauses below a heading ("8.3" -> 8.3.1 … 8.3.6)."""
    return list(
        auditable_clauses(standard_code)
        .filter(Q(number=number) | Q(number__startswith=f"{number}."))
        .values_list("number", flat=True)
    )


def scope_of(organization: Any) -> ScopeStatement | None:
    return ScopeStatement.objects.filter(organization=organization).first()


def requirements(organization: Any) -> QuerySet[Requirement]:
    return Requirement.objects.filter(organization=organization).select_related("clause", "owner")


def legacy_elements() -> QuerySet[Clause]:
    return clauses(LEGACY_1994).filter(level__gte=2)


def crosswalk(element: Clause) -> list[Clause]:
    """Where a 1994 element lands in the target standard (a navigation aid, not an equivalence)."""
    target = element.standard.crosswalk_target or ISO9001
    numbers = list(element.maps_to or [])
    found = {c.number: c for c in clauses(target).filter(number__in=numbers)}
    return [found[n] for n in numbers if n in found]


def pack_job(organization_id: int, job_id: int) -> Any:
    """One evidence pack job of one organization (None when absent), for the worker's task."""
    from qualitas.standards.models import PackJob

    return (
        PackJob.objects.filter(organization_id=organization_id, pk=job_id)
        .select_related("organization", "created_by")
        .first()
    )
