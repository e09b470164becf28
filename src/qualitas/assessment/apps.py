from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "qualitas.assessment"
    label = "assessment"
    verbose_name = "ISO 9004 self-assessment"

    def ready(self) -> None:
        from qualitas.assessment import registrations

        registrations.register()
