from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qualitas.core"
    label = "core"
    verbose_name = "Qualitas core"

    def ready(self) -> None:
        from qualitas.core.registry import NavEntry, registry

        registry.add_nav(
            NavEntry("Home", "My tasks", "core:home", order=0),
            NavEntry("System", "Audit trail", "core:audit_trail", order=50),
        )
