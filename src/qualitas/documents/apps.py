from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "qualitas.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from qualitas.core.registry import registry as _registry
        from qualitas.documents.search import reindex_organization

        _registry.post_import_hooks.append(reindex_organization)
        from qualitas.documents import registrations

        registrations.register()
