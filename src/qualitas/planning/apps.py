from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "qualitas.planning"
    label = "planning"
    verbose_name = "Planning and performance"

    def ready(self) -> None:
        from qualitas.planning import registrations

        registrations.register()
        from qualitas.core.registry import registry
        from qualitas.planning import services
        from qualitas.planning.models import QualityPolicy, Risk
        from qualitas.planning.workflow import POLICY_WORKFLOW, RISK_WORKFLOW

        registry.add_workflow(Risk, RISK_WORKFLOW, services.transition_risk)
        registry.add_workflow(QualityPolicy, POLICY_WORKFLOW, services.transition_policy)
