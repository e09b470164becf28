"""Factories through services; catalog data comes from the data migration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qualitas.accounts import services as accounts
from qualitas.accounts.choices import Role
from qualitas.assessment import queries, services
from qualitas.assessment.models import Assessment, Assessor, ElementResult, Rating
from qualitas.core.testing.factories import factory


@factory(Assessment)
def make_assessment(org: Any, actor: Any, **overrides: Any) -> Assessment:
    data = {
        "title": "Maturity self-assessment",
        "scope": "The whole organization",
        "date": dt.date(2026, 3, 1),
        "facilitator": actor,
        "mode": "small",
        **overrides,
    }
    return services.create_assessment(organization=org, actor=actor, data=data)


@factory(Assessor)
def make_assessor(org: Any, actor: Any) -> Assessor:
    return services.add_assessor(make_assessment(org, actor), actor=actor, user=actor, perspective="Quality")


def rating_assessment(org: Any, actor: Any, **overrides: Any) -> Assessment:
    """An assessment in rating with ``actor`` as its only assessor."""
    a = make_assessment(org, actor, **overrides)
    services.add_assessor(a, actor=actor, user=actor)
    services.transition_assessment(a, "start_rating", actor=actor)
    return a


@factory(Rating)
def make_rating(org: Any, actor: Any) -> Rating:
    a = rating_assessment(org, actor)
    return services.save_rating(a, actor=actor, element=queries.elements_in_scope(a).first(), level=3)


@factory(ElementResult)
def make_result(org: Any, actor: Any) -> ElementResult:
    rating = make_rating(org, actor)
    a = rating.assessment
    services.transition_assessment(a, "open_consensus", actor=actor)
    return services.record_consensus(a, actor=actor, element=rating.element, level=3, target_level=4)


def add_person(org: Any, admin: Any, username: str, role: str = Role.MEMBER) -> Any:
    return accounts.add_member(
        org,
        actor=admin,
        username=username,
        full_name=username.title(),
        role=role,
        password="correct-horse-battery-9",
    ).user
