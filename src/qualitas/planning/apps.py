from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "qualitas.planning"
    label = "planning"
    verbose_name = "Planning and performance"

    def ready(self) -> None:
        from qualitas.planning import registrations

        registrations.register()
