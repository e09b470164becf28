from django.apps import AppConfig


class AccountsConfig(AppConfig):
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
