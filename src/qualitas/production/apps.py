from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "qualitas.production"
    label = "production"
    verbose_name = "Production"

    def ready(self) -> None:
        from qualitas.production import registrations

        registrations.register()
