from typing import Any

from qualitas.core.services import create_record
from qualitas.core.testing.factories import factory
from qualitas.improvement import services
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementOpportunity,
    IshikawaCause,
    Lesson,
    Nonconformity,
    WhyStep,
)


@factory(Nonconformity)
def make_nc(org: Any, actor: Any, **overrides: Any) -> Nonconformity:
    data = {"title": "Bore Ø12 H7 oversize", "source": "inspection", "severity": "major", **overrides}
    return services.open_nonconformity(organization=org, actor=actor, data=data)


@factory(CauseCategory)
def make_category(org: Any, actor: Any, **overrides: Any) -> CauseCategory:
    n = CauseCategory.objects.filter(organization=org).count() + 1
    return create_record(
        CauseCategory, organization=org, actor=actor, data={"name": f"Tool wear {n}", **overrides}
    )


@factory(WhyStep)
def make_why(org: Any, actor: Any) -> WhyStep:
    return services.add_why(
        make_nc(org, actor),
        actor=actor,
        why="Why was the bore oversize?",
        because="The boring bar insert was worn.",
    )


@factory(IshikawaCause)
def make_cause(org: Any, actor: Any) -> IshikawaCause:
    return services.add_cause(make_nc(org, actor), actor=actor, category="machine", text="Insert worn")


@factory(Lesson)
def make_lesson(org: Any, actor: Any, **overrides: Any) -> Lesson:
    data = {
        "title": "Change boring inserts by count, not by feel",
        "summary": "Tool life counters prevent drift.",
        "tags": "tool wear, boring",
        **overrides,
    }
    return services.publish_lesson(organization=org, actor=actor, data=data)


@factory(ImprovementOpportunity)
def make_opportunity(org: Any, actor: Any, **overrides: Any) -> ImprovementOpportunity:
    data = {"title": "Tool-life counters on all lathes", **overrides}
    return services.raise_opportunity(organization=org, actor=actor, data=data)
