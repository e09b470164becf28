from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "qualitas.assessment"
    label = "assessment"
    verbose_name = "ISO 9004 self-assessment"

    def ready(self) -> None:
        from qualitas.assessment import dashboard, demo, indicators
        from qualitas.core.registry import DashboardTile, Indicator, NavEntry, registry

        registry.add_nav(
            NavEntry("Check", "ISO 9004 self-assessment", "assessment:assessment_list", order=80)
        )
        registry.indicators["assessment.plan_completion"] = Indicator(
            key="assessment.plan_completion",
            label="Improvement actions from self-assessments done (of those due)",
            elements=("10.6", "11.2"),
            compute=indicators.plan_completion,
        )
        registry.dashboard_tiles.append(
            DashboardTile(
                "assessment_ratings_owed",
                "Self-assessment ratings owed",
                dashboard.ratings_owed_tile,
                order=40,
            )
        )
        registry.demo_loaders.append((80, "assessment", demo.load))
        from qualitas.assessment import services
        from qualitas.assessment.models import Assessment
        from qualitas.assessment.workflow import ASSESSMENT_WORKFLOW

        registry.add_workflow(Assessment, ASSESSMENT_WORKFLOW, services.transition_assessment)
