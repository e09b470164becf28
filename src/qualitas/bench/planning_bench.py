"""Does the performance dashboard stay flat as KPI series grow? (issue 7)

    uv run python -m qualitas.bench.planning_bench [--kpis 40] [--per-kpi 5000] [--repeat 20]

Builds a throwaway SQLite database in a temporary directory, one organization with ``--kpis`` KPIs,
renders ``/planning/`` (the performance dashboard) as a quality manager with 2 values per KPI and again
with ``--per-kpi`` values per KPI (40 × 5,000 = 200,000 by default), and prints p50/p95/max
milliseconds and the query count of each. Exits 1 when the query count differs between the two.

The KPIs are created through ``planning.services.create_kpi``. The values take a fast path that
still keeps the audit trail whole: ``bulk_create`` of the rows plus one ``measurement.create``
event per row through ``core.bulk.BulkAuditWriter`` in the same transaction (the service
``record_measurements`` writes the same event one row at a time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from typing import Any


def _setup(tmp: str) -> None:
    os.environ["QUALITAS_DATABASE_URL"] = f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}"
    os.environ["QUALITAS_DATA_DIR"] = tmp
    os.environ["QUALITAS_SECRET_KEY"] = "planning-bench-throwaway-key-not-a-secret"
    os.environ["QUALITAS_DEBUG"] = "1"
    os.environ["QUALITAS_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitas.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _world(n_kpis: int) -> tuple[Any, Any, list[Any]]:
    from qualitas.accounts import services as accounts
    from qualitas.accounts.choices import Role
    from qualitas.accounts.models import User
    from qualitas.core import audit
    from qualitas.planning import services

    with audit.context("cli"):
        admin = User.objects.create_user("bench_admin", full_name="Bench Admin")
        org = accounts.create_organization(name="Bench planning", slug="bench-planning", actor=admin)
        manager = accounts.add_member(
            org, actor=admin, username="bench_quality", full_name="Quinn Quality", role=Role.QUALITY_MANAGER
        ).user
        process = services.create_process(
            organization=org,
            actor=manager,
            data={"code": "COR-01", "name": "Order handling", "owner": manager},
        )
        objective = services.create_objective(
            organization=org,
            actor=manager,
            data={
                "title": "Deliver on time",
                "target": "95 % every week",
                "owner": manager,
                "process": process,
            },
        )
        kpis = []
        for i in range(n_kpis):
            kpis.append(
                services.create_kpi(
                    organization=org,
                    actor=manager,
                    data={
                        "code": f"K{i + 1:03d}",
                        "name": f"Indicator {i + 1}",
                        "unit": "%",
                        "direction": "higher" if i % 2 else "lower",
                        "target": 50.0,
                        "frequency": "weekly",
                        "owner": manager,
                        "process": process if i % 3 else None,
                        "objective": objective if i % 4 == 0 else None,
                    },
                )
            )
    return org, manager, kpis


def _add_measurements(org: Any, actor: Any, kpis: list[Any], start: int, stop: int) -> int:
    """Weekly values ``start``..``stop``-1 for every KPI: bulk rows plus one audit event per row."""
    from django.db import transaction

    from qualitas.core import audit
    from qualitas.core.bulk import BulkAuditWriter
    from qualitas.planning.choices import MeasurementSource
    from qualitas.planning.models import Measurement

    first = dt.date(1930, 1, 6)  # a Monday, so every period is a week start
    written = 0
    with audit.context("cli"), transaction.atomic(), BulkAuditWriter(org, batch_size=2000) as trail:
        for kpi in kpis:
            rows = []
            for n in range(start, stop):
                value = 50.0 + 30.0 * ((n * 37 + kpi.pk * 11) % 100) / 100.0 - 15.0
                rows.append(
                    Measurement(
                        organization=org,
                        created_by=actor,
                        kpi=kpi,
                        period=first + dt.timedelta(weeks=n),
                        value=value,
                        source=MeasurementSource.IMPORT,
                        status=kpi.status_of(value),
                    )
                )
            for m in Measurement.objects.bulk_create(rows, batch_size=1000):
                trail.add(
                    actor=actor,
                    action="measurement.create",
                    obj=m,
                    changes={
                        "kpi": [None, kpi.pk],
                        "period": [None, m.period.isoformat()],
                        "value": [None, m.value],
                        "source": [None, m.source],
                    },
                    changes_are_json=True,
                )
            written += len(rows)
    return written


def _measure(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return times, queries


def _line(label: str, times: list[float], queries: int) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{label:<28} p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {ordered[-1]:7.1f} ms  queries {queries}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, default=40)
    parser.add_argument("--per-kpi", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="qualitas-planning-bench-") as tmp:
        t0 = time.perf_counter()
        _setup(tmp)
        from django.test import Client
        from django.urls import reverse

        from qualitas.core.audit import verify_chain

        org, manager, kpis = _world(args.kpis)
        client = Client()
        client.force_login(manager)
        url = reverse("planning:dashboard")
        print(f"setup and migrate: {time.perf_counter() - t0:.1f} s")

        _add_measurements(org, manager, kpis, 0, 2)
        small = _measure(client, url, args.repeat)
        print(_line(f"{args.kpis} KPIs x 2 values", *small))

        t1 = time.perf_counter()
        written = _add_measurements(org, manager, kpis, 2, args.per_kpi)
        print(f"loaded {written:,} more values with their audit events in {time.perf_counter() - t1:.1f} s")
        large = _measure(client, url, args.repeat)
        print(_line(f"{args.kpis} KPIs x {args.per_kpi:,} values", *large))

        chain = verify_chain(org)
        print(f"audit chain: {chain}")
        from django.db import connections

        connections.close_all()
    if small[1] != large[1]:
        print(f"FAIL: the dashboard's query count grew from {small[1]} to {large[1]}", file=sys.stderr)
        return 1
    print(f"OK: {small[1]} queries with either series length")
    return 0


if __name__ == "__main__":
    sys.exit(main())
