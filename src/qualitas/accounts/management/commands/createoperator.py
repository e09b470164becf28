from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qualitas.accounts.management.commands.createadmin import add_account_arguments, checked_password
from qualitas.accounts.models import User


class Command(BaseCommand):
    help = (
        "Create an installation operator: the only kind of account that may open /admin/ (read-only). "
        "An operator belongs to no organization and holds no role in one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_account_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        password = checked_password(username, options["email"], options["password"])
        User.objects.create_user(
            username=username, email=options["email"], password=password, is_staff=True, is_superuser=True
        )
        self.stdout.write(self.style.SUCCESS(f"Created operator {username}."))
