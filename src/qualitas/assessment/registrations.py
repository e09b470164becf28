"""What the self-assessment contributes to other areas: its ISO 9004 indicator, the "ratings owed"
tile, navigation, the demo and the assessment workflow (``register()``, from
apps.AssessmentConfig.ready)."""

from __future__ import annotations

from typing import Any

from qualitas.assessment import queries


def ratings_owed_tile(organization: Any, user: Any) -> dict[str, Any]:
    """Assessments in rating where this person is an assessor and has not submitted yet."""
    owed = queries.ratings_owed(organization, user)
    return {
        "template": "assessment/partials/_ratings_owed.html" if owed else "assessment/partials/_empty.html",
        "owed": owed,
    }


def register() -> None:
    from qualitas.assessment import demo, indicators, services
    from qualitas.assessment.models import Assessment
    from qualitas.assessment.workflow import ASSESSMENT_WORKFLOW
    from qualitas.core.registry import DashboardTile, Indicator, NavEntry, registry

    registry.add_nav(NavEntry("Check", "ISO 9004 self-assessment", "assessment:assessment_list", order=80))
    registry.indicators["assessment.plan_completion"] = Indicator(
        key="assessment.plan_completion",
        label="Improvement actions from self-assessments done (of those due)",
        elements=("10.6", "11.2"),
        compute=indicators.plan_completion,
    )
    registry.dashboard_tiles.append(
        DashboardTile("assessment_ratings_owed", "Self-assessment ratings owed", ratings_owed_tile, order=40)
    )
    registry.demo_loaders.append((80, "assessment", demo.load))
    registry.add_workflow(Assessment, ASSESSMENT_WORKFLOW, services.transition_assessment)
