from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django's admin, opened to installation operators only and read-only (``accounts.admin``)."""

    default = False
    default_site = "qualitas.accounts.admin_site.OperatorAdminSite"


class AccountsConfig(AppConfig):
    default = True
    name = "qualitas.accounts"
    label = "accounts"
    verbose_name = "Organizations and people"

    def ready(self) -> None:
        from qualitas.accounts import security
        from qualitas.core.registry import NavEntry, registry

        security.connect()

        registry.add_nav(
            NavEntry("System", "People and roles", "accounts:member_list", order=10),
            NavEntry("System", "API tokens", "accounts:token_list", order=20),
        )
