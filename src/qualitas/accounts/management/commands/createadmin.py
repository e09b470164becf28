import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qualitas.accounts import services
from qualitas.accounts.models import User
from qualitas.core import audit


def checked_password(username: str, email: str, given: str | None) -> str:
    """The password from the option, QUALITAS_ADMIN_PASSWORD or a prompt, held to the installation's
    password validators (AUTH_PASSWORD_VALIDATORS); a refusal is one line and exit code 2."""
    password = given or os.environ.get("QUALITAS_ADMIN_PASSWORD")
    if not password:
        import getpass

        password = getpass.getpass("Password: ")
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages), returncode=2) from None
    if User.objects.filter(username=username).exists():
        raise CommandError(f"a user named {username!r} exists already", returncode=2)
    return password


def add_account_arguments(parser: CommandParser) -> None:
    parser.add_argument("--username", required=True)
    parser.add_argument("--email", default="")
    parser.add_argument(
        "--password", default=None, help="Or set QUALITAS_ADMIN_PASSWORD; prompted when neither is given."
    )


class Command(BaseCommand):
    help = (
        "Create an organization administrator: a person with the administrator role in the organization "
        "named by --organization (created here), or who creates their organization at first login. "
        "No access to /admin/: that is for installation operators (createoperator)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_account_arguments(parser)
        parser.add_argument(
            "--organization", default="", help="Create this organization with the user as admin."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        password = checked_password(username, options["email"], options["password"])
        with audit.context("cli"), transaction.atomic():
            user = User.objects.create_user(username=username, email=options["email"], password=password)
            if options["organization"]:
                try:
                    org = services.create_organization(name=options["organization"], actor=user)
                except ValidationError as exc:
                    raise CommandError("; ".join(exc.messages), returncode=2) from None
                self.stdout.write(f"Created organization {org.name} ({org.slug}).")
        self.stdout.write(self.style.SUCCESS(f"Created administrator {username}."))
