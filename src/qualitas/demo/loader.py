"""The demo organization: a small precision-machining company, Northwind Precision Parts.

Loads once (idempotent: it does nothing when the demo organization exists). Every record is written
through services, as a person would, so the audit trail of the demo is as real as the product's.

The content is data: the organization, its sites and people in ``demo/data/demo.toml``, each area's
records in ``<area>/data/`` (read with ``core.datafiles.load``). The area loaders registered in
``registry.demo_loaders`` turn those rows into records, in their order.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from qualitas.accounts import services as accounts
from qualitas.accounts.choices import Role
from qualitas.accounts.models import Organization, User
from qualitas.core import audit
from qualitas.core.datafiles import load as load_data
from qualitas.core.registry import registry

DEMO_SLUG = "northwind"
DEMO_PASSWORD = "demo-qualitas-2026"

SISTER_SLUG = "northwind-coatings"


def content() -> dict[str, Any]:
    """The demo organization, its sites and people (``demo/data/demo.toml``)."""
    return load_data("demo", "demo")


def people() -> list[dict[str, Any]]:
    """Who logs in to the demo: username, full name, role, job title and site code (optional)."""
    return list(content()["people"])


def demo_exists() -> bool:
    return Organization.objects.filter(slug=DEMO_SLUG).exists()


@transaction.atomic
def load_demo(*, seed: int = 2026, stdout: Any = None) -> Organization:
    rng = random.Random(seed)
    with audit.context("cli"):
        data = content()
        domain = data["organization"]["email_domain"]
        first, *others = data["people"]
        admin = User.objects.create_user(
            username=first["username"],
            email=f"{first['username']}@{domain}",
            password=DEMO_PASSWORD,
            full_name=first["full_name"],
        )
        org = accounts.create_organization(name=data["organization"]["name"], slug=DEMO_SLUG, actor=admin)
        sites = {
            row["code"]: accounts.create_site(
                org, actor=admin, name=row["name"], code=row["code"], address=row["address"]
            )
            for row in data["sites"]
        }
        users: dict[str, User] = {admin.username: admin}
        for row in others:
            m = accounts.add_member(
                org,
                actor=admin,
                username=row["username"],
                email=f"{row['username']}@{domain}",
                full_name=row["full_name"],
                role=Role(row["role"]),
                password=DEMO_PASSWORD,
                site=sites.get(row.get("site", "")),
                job_title=row["job_title"],
            )
            users[row["username"]] = m.user
        sister = accounts.create_organization(name=data["sister"]["name"], slug=SISTER_SLUG, actor=admin)
        for row in data["sister"]["members"]:
            accounts.add_member(sister, actor=admin, username=row["username"], role=Role(row["role"]))
        for user in users.values():
            user._qualitas_memberships = None  # type: ignore[attr-defined]
        for _order, name, loader in sorted(registry.demo_loaders, key=lambda item: item[0]):
            if stdout is not None:
                stdout.write(f"  loading {name}…")
            loader(org, users, rng)
    return org
