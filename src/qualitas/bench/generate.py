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
import sys
import time
import tracemalloc
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from qualitas.accounts.choices import Role
from qualitas.accounts.models import Membership, Organization, Site, User
from qualitas.bench.registry import Scale, load_all
from qualitas.core import audit
from qualitas.core.bulk import BulkAuditWriter
from qualitas.core.models import Sequence as Counter

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


@dataclass
class GenerationContext:
    organization: Organization
    scale: Scale
    seed: int
    until: dt.date
    admin: User
    people: list[User]
    roles: dict[int, str]
    show_progress: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    _events: list[tuple[dt.datetime, int, dict[str, Any]]] = field(default_factory=list)

    @property
    def start(self) -> dt.datetime:
        first = self.until - dt.timedelta(days=365 * self.scale.years)
        return dt.datetime.combine(first, dt.time(7, 0), tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.until, dt.time(17, 0), tzinfo=dt.UTC)

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")

    def with_role(self, *roles: str) -> list[User]:
        return [p for p in self.people if self.roles[p.pk] in roles]

    def owner_picker(self, rng: random.Random, people: Sequence[User] | None = None) -> Any:
        """Owners as in a real plant: a few people own many records, most own a handful."""
        pool = list(people or self.people)
        weights = [1.0 / (i + 1) ** 0.8 for i in range(len(pool))]
        rng.shuffle(pool)
        return lambda: rng.choices(pool, weights)[0]

    def event(
        self,
        when: dt.datetime,
        *,
        actor: Any,
        action: str,
        obj: models.Model,
        changes: dict[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        """Queue the audit event that writing ``obj`` through its service would have produced.
        ``changes`` must hold JSON values already (``audit.snapshot``/``audit.to_jsonable`` output)."""
        self._events.append(
            (
                when,
                len(self._events),
                {"actor": actor, "action": action, "obj": obj, "changes": changes, "reason": reason},
            )
        )

    def progress(self, desc: str, total: int) -> tqdm:
        return tqdm(
            total=total,
            desc=desc,
            unit="rec",
            file=sys.stderr,
            disable=not self.show_progress,
            mininterval=0.5,
            leave=False,
        )

    def bulk_insert(
        self, model: type[models.Model], objs: list[Any], *, desc: str = "", batch_size: int = 1000
    ) -> None:
        """Insert ``objs`` as they are (timestamps included) and set their primary keys."""
        with self.progress(desc or str(model._meta.verbose_name_plural), len(objs)) as bar:
            for i in range(0, len(objs), batch_size):
                chunk = objs[i : i + batch_size]
                insert_rows(model, chunk)
                bar.update(len(chunk))

    def set_counters(self, prefix: str, per_year: dict[int, int]) -> None:
        """Leave numbering where the generated references stop (the next service call goes on from there)."""
        Counter.objects.bulk_create(
            [
                Counter(organization=self.organization, key=f"{prefix}-{year}", value=n)
                for year, n in sorted(per_year.items())
            ]
        )

    def write_events(self) -> int:
        self._events.sort(key=lambda e: (e[0], e[1]))
        with (
            self.progress("audit events", len(self._events)) as bar,
            BulkAuditWriter(self.organization) as trail,
        ):
            for i, (when, _n, kwargs) in enumerate(self._events, 1):
                trail.add(created_at=when, changes_are_json=True, **kwargs)
                if i % 5000 == 0:
                    bar.update(5000)
            bar.update(len(self._events) % 5000)
        written = len(self._events)
        self._events = []
        return written


_PLAIN = {
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BooleanField",
    "FloatField",
    "ForeignKey",
    "OneToOneField",
}


def _adapter(field: Any, connection: Any) -> Any:
    """None when the value goes to the driver as it is, else the conversion ``get_db_prep_save`` does."""
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    ops = connection.ops
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: None if value is None else ops.adapt_json_value(value, field.encoder)
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], objs: Sequence[Any]) -> None:
    """One multi-row ``INSERT … RETURNING`` with values adapted by the fields (what ``bulk_create``
    sends, without its per-object machinery); keeps the given ``created_at``/``updated_at``."""
    if not objs:
        return
    connection = connections[model._default_manager.db]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    params = [
        adapt(getattr(obj, attname)) if adapt else getattr(obj, attname)
        for obj in objs
        for attname, adapt in adapters
    ]
    pk = connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(objs))} RETURNING {pk}", params
        )
        ids = cursor.fetchall()
    for obj, (pk_value,) in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = connection.alias


@contextmanager
def historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk inserts keep the given created_at/updated_at (history) instead of "now"."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


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
    users, roles = [], {}
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
