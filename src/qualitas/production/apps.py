from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "qualitas.production"
    label = "production"
    verbose_name = "Production"

    def ready(self) -> None:
        from qualitas.production import registrations

        registrations.register()
        from qualitas.core.registry import registry
        from qualitas.production import services
        from qualitas.production.models import Lot
        from qualitas.production.workflow import LOT_WORKFLOW

        registry.add_workflow(Lot, LOT_WORKFLOW, services.transition_lot)
