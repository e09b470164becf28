"""The test world: organization A with one person per role, organization B with an outsider who has
full rights there (and none in A)."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from rest_framework.test import APIClient

from qualitas.accounts import services as accounts
from qualitas.accounts.choices import Role
from qualitas.accounts.models import Membership, User
from qualitas.core import audit
from qualitas.core.models import AuditEvent

PASSWORD = "correct-horse-battery-9"


class QualitasTestCase(TestCase):
    org_a: Any
    org_b: Any
    admin: User
    manager: User
    auditor: User
    owner: User
    member: User
    viewer: User
    outsider: User

    @classmethod
    def setUpTestData(cls) -> None:
        with audit.context("cli"):
            cls.admin = User.objects.create_user("admin_a", password=PASSWORD, full_name="Ada Admin")
            cls.org_a = accounts.create_organization(name="Organization A", slug="org-a", actor=cls.admin)
            people = {}
            for username, role in [
                ("manager", Role.QUALITY_MANAGER),
                ("auditor", Role.AUDITOR),
                ("owner", Role.PROCESS_OWNER),
                ("member", Role.MEMBER),
                ("viewer", Role.VIEWER),
            ]:
                people[username] = accounts.add_member(
                    cls.org_a,
                    actor=cls.admin,
                    username=username,
                    full_name=username.title(),
                    role=role,
                    password=PASSWORD,
                ).user
            cls.manager = people["manager"]
            cls.auditor = people["auditor"]
            cls.owner = people["owner"]
            cls.member = people["member"]
            cls.viewer = people["viewer"]
            cls.outsider = User.objects.create_user("outsider", password=PASSWORD, full_name="Otto Outsider")
            cls.org_b = accounts.create_organization(name="Organization B", slug="org-b", actor=cls.outsider)
        for user in (cls.admin, cls.manager, cls.auditor, cls.owner, cls.member, cls.viewer, cls.outsider):
            user._qualitas_memberships = None  # type: ignore[attr-defined]

    def user_for(self, role: str) -> User:
        people: dict[str, User] = {
            Role.ADMIN: self.admin,
            Role.QUALITY_MANAGER: self.manager,
            Role.AUDITOR: self.auditor,
            Role.PROCESS_OWNER: self.owner,
            Role.MEMBER: self.member,
            Role.VIEWER: self.viewer,
        }
        return people[role]

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def api_client(self, user: User, org: Any = None) -> APIClient:
        """An API client authenticated by a real token of the user's membership in ``org``."""
        org = org or (self.org_b if user == self.outsider else self.org_a)
        membership = Membership.objects.get(user=user, organization=org)
        with audit.context("cli"):
            _token, key = accounts.create_token(membership, actor=None, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    def last_event(self, org: Any = None) -> AuditEvent:
        return AuditEvent.objects.filter(organization=org or self.org_a).order_by("-seq").first()  # type: ignore[return-value]

    def events_for(self, obj: Any) -> list[AuditEvent]:
        return list(audit.history_for(obj))
