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
        from qualitas.documents import services
        from qualitas.documents.models import Revision
        from qualitas.documents.workflow import REVISION_WORKFLOW

        _registry.add_workflow(Revision, REVISION_WORKFLOW, services.transition_revision)
