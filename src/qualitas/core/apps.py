from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qualitas.core"
    label = "core"
    verbose_name = "Qualitas core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from qualitas.core.registry import NavEntry, registry

        post_migrate.connect(_after_migrate, sender=self)

        registry.add_nav(
            NavEntry("Home", "My tasks", "core:home", order=0),
            NavEntry("Home", "Notifications", "core:notices", order=5),
            NavEntry("System", "Audit trail", "core:audit_trail", order=50),
        )
        from qualitas.core.background import registrations

        registrations.register()


def _after_migrate(using: str = "default", plan: object = None, **kwargs: object) -> None:
    """After ``migrate`` on SQLite: restore the triggers a table rebuild drops (search indexes stay in
    sync), and refresh the planner's statistics when migrations ran. A new index without statistics
    can make SQLite walk it over a whole register (measured: the actions list went from 1 ms of SQL
    to 137 ms after an index was added to a 100,000-row table, until ``ANALYZE``)."""
    from django.db import connections

    from qualitas.core.search import ensure_sqlite_triggers

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    ensure_sqlite_triggers(connection)
    if plan:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
