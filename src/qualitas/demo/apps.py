from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organization and ``qualitas demo`` (each area contributes its loader)."""

    name = "qualitas.demo"
    label = "demo"
    verbose_name = "Demo organization"
