from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qualitas.core"
    label = "core"
    verbose_name = "Qualitas core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from qualitas.core.registry import NavEntry, registry

        post_migrate.connect(_restore_search_triggers, sender=self)

        registry.add_nav(
            NavEntry("Home", "My tasks", "core:home", order=0),
            NavEntry("System", "Audit trail", "core:audit_trail", order=50),
        )


def _restore_search_triggers(using: str = "default", **kwargs: object) -> None:
    """A SQLite table rebuild (some migrations) drops the triggers that keep search indexes in sync."""
    from django.db import connections

    from qualitas.core.search import ensure_sqlite_triggers

    ensure_sqlite_triggers(connections[using])
