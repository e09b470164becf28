"""Benchmark of the SPC rule engine and the readings bulk path.

    uv run python -m qualitas.production.bench [--readings 1000000] [--import-readings 200000]

Runs against a throw-away SQLite database in a temporary directory (never your data), prints:
the time to evaluate every Western Electric and Nelson rule over one characteristic's readings,
and the import rate of the bulk service (readings per second, audit event included).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def bench_rules(n: int) -> float:
    import numpy as np

    from qualitas.production import spc

    rng = np.random.default_rng(42)
    x = 10 + rng.standard_normal(n) * 0.01
    x[n // 2 :] += np.linspace(0, 0.03, n - n // 2)  # a slow drift so the rules have work to do
    spc.evaluate(x[:1000], 10.0, 0.01, list(spc.RULES))  # warm up
    start = time.perf_counter()
    result = spc.evaluate(x, 10.0, 0.01, list(spc.RULES))
    elapsed = time.perf_counter() - start
    flagged = sum(len(v) for v in result.values())
    print(f"rules: {len(spc.RULES)} rules over {n:,} readings in {elapsed * 1000:.1f} ms ({flagged:,} flags)")
    return elapsed


def bench_import(n: int) -> float:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from qualitas.accounts import services as accounts
    from qualitas.core import audit
    from qualitas.core.models import AuditEvent
    from qualitas.production import services
    from qualitas.production.models import Reading

    user = get_user_model().objects.create_user("bench", password="x")
    with audit.context("cli"):
        org = accounts.create_organization(name="Bench", actor=user)
        user._qualitas_memberships = None  # type: ignore[attr-defined]  # the cached list is stale now
        product = services.create_product(
            organization=org, actor=user, data={"part_number": "B-1", "name": "Shaft"}
        )
        ch = services.create_characteristic(
            organization=org,
            actor=user,
            data={
                "product": product,
                "name": "Diameter",
                "nominal": 10.0,
                "lsl": 9.9,
                "usl": 10.1,
                "unit": "mm",
                "subgroup_size": 5,
                "chart_type": "xbar_r",
                "signal_action": "none",
            },
        )
        lot = services.create_lot(organization=org, actor=user, data={"product": product, "number": "L-1"})
        import random

        rnd = random.Random(1)
        rows = [
            {"characteristic": ch, "lot": lot, "value": round(10 + rnd.gauss(0, 0.01), 4)} for _ in range(n)
        ]
        events_before = AuditEvent.objects.filter(organization=org).count()
        start = time.perf_counter()
        services.import_readings(organization=org, actor=user, rows=rows)
        elapsed = time.perf_counter() - start
    stored = Reading.objects.filter(organization=org).count()
    events = AuditEvent.objects.filter(organization=org).count() - events_before
    print(
        f"import: {stored:,} readings in {elapsed:.2f} s = {stored / elapsed:,.0f} readings/s "
        f"({events} audit event for the batch)"
    )
    return stored / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--import-readings", type=int, default=200_000)
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="qualitas-bench-")
    os.environ["QUALITAS_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("QUALITAS_SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("QUALITAS_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitas.settings")
    import django

    django.setup()
    rules_s = bench_rules(args.readings)
    rate = bench_import(args.import_readings)
    ok = rules_s < 1.0 and rate > 50_000
    print("targets: rules < 1 s, import > 50,000 readings/s:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
