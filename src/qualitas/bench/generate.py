"""`qualitas bench generate`: a large, realistic organization written through bulk paths.

Records are inserted with ``bulk_create`` in batches; every record still gets the audit events that
writing it through its service would have produced (same actions, same field-level changes), and
all events are appended to the organization's hash chain in time order by ``core.bulk``. So
``qualitas audit verify`` passes on generated data, and the trail reads like years of real use.

Reproducible: the same ``--seed`` and ``--until`` give the same organization, rows and events
(each generator draws from its own ``random.Random`` derived from the seed and its key).
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time
import tracemalloc
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from qualitas.accounts.choices import Role
from qualitas.accounts.models import Membership, Organization, Site, User
from qualitas.bench.context import GenerationContext
from qualitas.bench.registry import Scale, load_all
from qualitas.core import audit

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elif",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Klara",
    "Luca",
    "Mila",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Samir",
    "Tina",
    "Umut",
    "Vera",
    "Wim",
    "Yara",
    "Zoe",
    "Akira",
    "Bea",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Goran",
    "Hanna",
    "Igor",
    "Julia",
    "Karim",
]
LAST_NAMES = [
    "Schmidt",
    "Novak",
    "Rossi",
    "Kowalski",
    "Dubois",
    "Jensen",
    "Garcia",
    "Yilmaz",
    "Horvat",
    "Berg",
    "Lindqvist",
    "Costa",
    "Meyer",
    "Nagy",
    "Popescu",
    "Silva",
    "Tanaka",
    "Weber",
    "Zimmermann",
    "Olsen",
]
JOB_TITLES = [
    "CNC operator",
    "Inspector",
    "Shift lead",
    "Process engineer",
    "Buyer",
    "Maintenance technician",
    "Quality engineer",
    "Logistics clerk",
    "Assembly worker",
    "Design engineer",
    "Lab technician",
]
# (role, share of the workforce)
ROLE_MIX = [
    (Role.QUALITY_MANAGER, 0.02),
    (Role.AUDITOR, 0.03),
    (Role.PROCESS_OWNER, 0.10),
    (Role.VIEWER, 0.05),
    (Role.MEMBER, 0.80),
]
BENCH_PASSWORD = "bench-qualitas-2026"


def create_organization(
    name: str, scale: Scale, seed: int, until: dt.date, show_progress: bool = True
) -> GenerationContext:
    """The organization, two sites and its people, with the events the account services write."""
    slug = slugify(name)[:60]
    if not slug:
        raise ValidationError({"org": "The organization name must contain letters or digits."})
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"org": f"An organization with the short name “{slug}” exists already."})
    rng = random.Random(f"{seed}:people")
    start = dt.datetime.combine(until - dt.timedelta(days=365 * scale.years), dt.time(7, 0), tzinfo=dt.UTC)
    org = Organization.objects.create(
        name=name, slug=slug, uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"qualitas-bench:{seed}:{slug}")
    )
    password = make_password(BENCH_PASSWORD)
    admin = User.objects.create(
        username=f"{slug}-admin",
        full_name=f"{name} Administrator",
        password=password,
        email=f"admin@{slug}.example",
    )
    sites = Site.objects.bulk_create(
        [
            Site(organization=org, name="Headquarters", code="HQ", address="1 Main Street"),
            Site(organization=org, name="Plant 2", code="P2", address="Industrial Park 7"),
        ]
    )
    users: list[User] = []
    roles: dict[int, str] = {}
    for i in range(scale.people):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        users.append(
            User(
                username=f"{slug}-{first.lower()}.{last.lower()}.{i}",
                full_name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}.{i}@{slug}.example",
                password=password,
            )
        )
    users = User.objects.bulk_create(users, batch_size=1000)
    cumulative, acc = [], 0.0
    for role, share in ROLE_MIX:
        acc += share
        cumulative.append((acc, role))
    memberships = [
        Membership(
            organization=org, user=admin, role=Role.ADMIN, site=sites[0], job_title="Systems administrator"
        )
    ]
    for i, user in enumerate(users):
        # The first people are managers and owners: they own most records (owner_picker's weights).
        position = (i + 0.5) / len(users)
        role = next((r for limit, r in cumulative if position <= limit), Role.MEMBER)
        roles[user.pk] = role
        memberships.append(
            Membership(
                organization=org,
                user=user,
                role=role,
                site=rng.choice(sites),
                job_title=rng.choice(JOB_TITLES),
            )
        )
    memberships = Membership.objects.bulk_create(memberships, batch_size=1000)
    roles[admin.pk] = Role.ADMIN
    ctx = GenerationContext(org, scale, seed, until, admin, users, roles, show_progress=show_progress)
    # The events the account services write (organization.create, site.create, membership.create).
    t = start - dt.timedelta(days=1)
    ctx.event(
        t,
        actor=admin,
        action="organization.create",
        obj=org,
        changes={"name": [None, name], "slug": [None, slug]},
    )
    for site in sites:
        t += dt.timedelta(minutes=1)
        ctx.event(
            t,
            actor=admin,
            action="site.create",
            obj=site,
            changes={"name": [None, site.name], "code": [None, site.code]},
        )
    for m in memberships:
        t += dt.timedelta(seconds=10)
        ctx.event(
            t,
            actor=admin,
            action="membership.create",
            obj=m,
            changes={"user": [None, m.user.username], "role": [None, m.role]},
        )
    ctx.counts["people"] = len(memberships)
    return ctx


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load. Without them SQLite picks indexes blindly
    (e.g. walks 100,000 actions in due-date order to find one person's open tasks: 190 ms instead of 7)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass
class GenerationReport:
    organization: str
    counts: dict[str, int]
    events: int
    seconds: float
    cpu_seconds: float
    peak_python_mib: float
    max_rss_mib: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values()) + self.events

    def lines(self) -> list[str]:
        out = [f"Organization {self.organization}:"]
        out += [f"  {key:<24} {n:>10,}" for key, n in self.counts.items()]
        out.append(f"  {'audit events':<24} {self.events:>10,}")
        out.append(
            f"{self.rows:,} rows in {self.seconds:.1f} s = {self.rows / max(self.seconds, 1e-9):,.0f} rows/s "
            f"(CPU {self.cpu_seconds:.1f} s = "
            f"{self.rows / max(self.cpu_seconds, 1e-9):,.0f} rows per CPU-second)"
        )
        heap = f"Python heap peak {self.peak_python_mib:.0f} MiB, " if self.peak_python_mib else ""
        out.append(f"Memory: {heap}max RSS {self.max_rss_mib:.0f} MiB")
        return out


def generate(
    name: str,
    scale: Scale,
    *,
    seed: int = 1,
    until: dt.date | None = None,
    only: Sequence[str] = (),
    show_progress: bool = True,
    trace_memory: bool = True,
) -> GenerationReport:
    """Write a whole organization in one transaction and return what was written."""
    registry = load_all()
    until = until or timezone.localdate()
    started, started_cpu = time.perf_counter(), time.process_time()
    if trace_memory:
        tracemalloc.start()
    try:
        with audit.context("cli", request_id=f"bench-{seed}"), transaction.atomic():
            ctx = create_organization(name, scale, seed, until, show_progress=show_progress)
            for generator in registry.generators:
                if only and generator.key not in only:
                    continue
                ctx.counts[generator.key] = generator.generate(ctx)
            events = ctx.write_events()
        analyze()
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
    finally:
        if trace_memory:
            tracemalloc.stop()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return GenerationReport(
        ctx.organization.slug, ctx.counts, events, seconds, cpu_seconds, peak / 2**20, rss
    )
