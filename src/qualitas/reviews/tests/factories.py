import datetime as dt
from typing import Any

from qualitas.core.testing.factories import factory
from qualitas.reviews import services
from qualitas.reviews.models import ManagementReview, ReviewOutput


@factory(ManagementReview)
def make_review(org: Any, actor: Any, **overrides: Any) -> ManagementReview:
    data = {
        "title": "Annual management review",
        "planned_date": dt.date(2026, 6, 15),
        "chair": actor,
        **overrides,
    }
    return services.create_review(organization=org, actor=actor, data=data)


@factory(ReviewOutput)
def make_output(
    org: Any, actor: Any, review: ManagementReview | None = None, **overrides: Any
) -> ReviewOutput:
    review = review or make_review(org, actor)
    data = {
        "review": review,
        "kind": "resources",
        "decision": "Buy a second CMM",
        "owner": actor,
        "due_date": dt.date(2026, 9, 30),
        **overrides,
    }
    return services.create_output(organization=org, actor=actor, data=data)
