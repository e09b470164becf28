from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "qualitas.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from qualitas.documents import registrations

        registrations.register()
