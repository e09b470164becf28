from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "qualitas.improvement"
    label = "improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from qualitas.improvement import registrations

        registrations.register()
