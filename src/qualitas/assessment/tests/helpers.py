"""Run an assessment to completion with given consensus levels (tests only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qualitas.assessment import queries, services
from qualitas.assessment.tests.factories import make_assessment


def completed(
    org: Any,
    actor: Any,
    levels: dict[str, int],
    *,
    date: dt.date,
    targets: dict[str, int] | None = None,
    mode: str = "small",
) -> Any:
    a = make_assessment(org, actor, date=date, mode=mode)
    services.add_assessor(a, actor=actor, user=actor)
    services.transition_assessment(a, "start_rating", actor=actor)
    elements = list(queries.elements_in_scope(a))
    for e in elements:
        services.save_rating(a, actor=actor, element=e, level=levels.get(e.number, 2))
    services.transition_assessment(a, "open_consensus", actor=actor)
    for e in elements:
        level = levels.get(e.number, 2)
        services.record_consensus(
            a, actor=actor, element=e, level=level, target_level=(targets or {}).get(e.number, level)
        )
    services.transition_assessment(a, "complete", actor=actor)
    return a
