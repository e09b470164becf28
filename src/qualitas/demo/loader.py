"""The demo organization: a small precision-machining company, Northwind Precision Parts.

Loads once (idempotent: it does nothing when the demo organization exists). Every record is written
through services, as a person would, so the audit trail of the demo is as real as the product's.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from qualitas.accounts import services as accounts
from qualitas.accounts.choices import Role
from qualitas.accounts.models import Organization, User
from qualitas.core import audit
from qualitas.core.registry import registry

DEMO_SLUG = "northwind"
DEMO_PASSWORD = "demo-qualitas-2026"

PEOPLE = [
    # username, full name, role, job title, site code
    ("admin", "Alex Admin", Role.ADMIN, "IT and systems administrator", "HQ"),
    ("quality", "Maria Keller", Role.QUALITY_MANAGER, "Quality manager", "HQ"),
    ("director", "Thomas Berger", Role.PROCESS_OWNER, "Managing director", "HQ"),
    ("production", "Jan Novak", Role.PROCESS_OWNER, "Production manager", "PL1"),
    ("purchasing", "Lena Wolf", Role.PROCESS_OWNER, "Purchasing manager", "HQ"),
    ("auditor", "Sofia Rossi", Role.AUDITOR, "Internal auditor (QA engineer)", "HQ"),
    ("operator", "Peter Brandt", Role.MEMBER, "CNC operator", "PL1"),
    ("operator2", "Aylin Demir", Role.MEMBER, "Inspector", "PL1"),
    ("certifier", "Dr. Ruth Engel", Role.VIEWER, "External certification auditor", None),
]

SISTER_SLUG = "northwind-coatings"


def demo_exists() -> bool:
    return Organization.objects.filter(slug=DEMO_SLUG).exists()


@transaction.atomic
def load_demo(*, seed: int = 2026, stdout: Any = None) -> Organization:
    rng = random.Random(seed)
    with audit.context("cli"):
        admin = User.objects.create_superuser(
            username="admin", email="admin@northwind.example", password=DEMO_PASSWORD, full_name="Alex Admin"
        )
        org = accounts.create_organization(name="Northwind Precision Parts", slug=DEMO_SLUG, actor=admin)
        hq = accounts.create_site(
            org,
            actor=admin,
            name="Headquarters and machining hall",
            code="HQ",
            address="Industriestrasse 12, 70565 Stuttgart",
        )
        pl1 = accounts.create_site(
            org,
            actor=admin,
            name="Plant 1 – turning and grinding",
            code="PL1",
            address="Am Hafen 4, 70327 Stuttgart",
        )
        sites = {"HQ": hq, "PL1": pl1}
        people: dict[str, User] = {"admin": admin}
        for username, name, role, title, site in PEOPLE[1:]:
            m = accounts.add_member(
                org,
                actor=admin,
                username=username,
                email=f"{username}@northwind.example",
                full_name=name,
                role=role,
                password=DEMO_PASSWORD,
                site=sites.get(site or ""),
                job_title=title,
            )
            people[username] = m.user
        # A sister company on the same installation, to show the organization switcher and tenancy.
        sister = accounts.create_organization(name="Northwind Coatings", slug=SISTER_SLUG, actor=admin)
        accounts.add_member(sister, actor=admin, username="quality", role=Role.QUALITY_MANAGER)
        for user in people.values():
            user._qualitas_memberships = None  # type: ignore[attr-defined]
        for _order, name, loader in sorted(registry.demo_loaders, key=lambda item: item[0]):
            if stdout is not None:
                stdout.write(f"  loading {name}…")
            loader(org, people, rng)
    return org


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
