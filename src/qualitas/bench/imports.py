"""Import benchmarks: the whole path of a CSV/XLSX upload, measured as rows per second.

Each operation builds a file in memory (cached between repeats: building an XLSX costs more than
reading it), then times what the import page does with it: parse and check the file, resolve the
names, and let the service write the rows and their audit events in one transaction. The
transaction is rolled back at the end, so a run leaves the organization as it was (the audit chain
head and any record created for the benchmark roll back with it).

- ``import_readings_csv`` / ``import_readings_xlsx``: 50,000 readings of one characteristic on one lot
  (``production.imports.parse_readings`` + ``production.services.import_readings``). An existing
  numeric characteristic with an open lot of its product is used; an organization without one gets
  a product, characteristic and lot made through the services inside the rolled-back transaction.
- ``import_measurements_csv``: 20,000 KPI values (``planning.imports.import_measurements``), for 20
  weekly KPIs made through ``planning.services.create_kpi`` inside the rolled-back transaction
  (1,000 weeks each, so no period is taken already).

The budget (docs/performance.md) is 50,000 rows/s for each.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from qualitas.bench.registry import BenchRegistry, OperationTarget

READINGS = 50_000
MEASUREMENTS = 20_000
KPIS = 20


@contextmanager
def rolled_back() -> Iterator[None]:
    """One transaction that is always rolled back (the benchmark leaves no trace)."""
    from django.db import transaction

    from qualitas.core import audit

    with transaction.atomic(), audit.context("cli"):
        try:
            yield
        finally:
            transaction.set_rollback(True)


def _actor(org: Any) -> Any:
    from qualitas.bench.run import bench_user

    return bench_user(org)


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def table_bytes(fmt: str, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> bytes:
    """``rows`` under ``header`` as CSV (UTF-8, comma) or XLSX bytes."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("data")
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


# --- readings ------------------------------------------------------------------------------------


def readings_target(org: Any, actor: Any) -> tuple[Any, Any, Any]:
    """(product, characteristic, lot) to import readings into: an existing numeric characteristic with
    specification limits and an open lot of its product, else new ones made through the services."""
    from qualitas.production import services
    from qualitas.production.choices import CharacteristicKind, LotStatus
    from qualitas.production.models import Characteristic, Lot

    open_lots = Lot.objects.filter(organization=org).exclude(
        status__in=[LotStatus.RELEASED, LotStatus.REJECTED]
    )
    for ch in (
        Characteristic.objects.filter(
            organization=org, kind=CharacteristicKind.NUMERIC, lsl__isnull=False, usl__isnull=False
        )
        .select_related("product")
        .order_by("pk")
    ):
        lot = open_lots.filter(product_id=ch.product_id).order_by("pk").first()
        if lot is not None:
            return ch.product, ch, lot
    product = services.create_product(
        organization=org, actor=actor, data={"part_number": "BENCH-IMPORT", "name": "Bench shaft"}
    )
    ch = services.create_characteristic(
        organization=org,
        actor=actor,
        data={
            "product": product,
            "name": "Bench diameter",
            "nominal": 10.0,
            "lsl": 9.9,
            "usl": 10.1,
            "unit": "mm",
            "subgroup_size": 5,
            "chart_type": "xbar_r",
            "signal_action": "none",
        },
    )
    lot = services.create_lot(organization=org, actor=actor, data={"product": product, "number": "BENCH-L1"})
    return product, ch, lot


def readings_rows(
    name: str, lot: str, lsl: float, usl: float, nominal: float | None, n: int
) -> list[tuple[Any, ...]]:
    """``n`` readings well inside the specification (so no out-of-spec signal is raised)."""
    centre = nominal if nominal is not None and lsl < nominal < usl else (lsl + usl) / 2
    sd = (usl - lsl) / 40
    rnd = random.Random(11)
    return [(name, lot, round(centre + rnd.gauss(0, sd), 4)) for _ in range(n)]


@functools.lru_cache(maxsize=4)
def readings_file(
    fmt: str, name: str, lot: str, lsl: float, usl: float, nominal: float | None, n: int
) -> bytes:
    return table_bytes(
        fmt, ("characteristic", "lot", "value"), readings_rows(name, lot, lsl, usl, nominal, n)
    )


def import_readings_file(org: Any, fmt: str, n: int = READINGS) -> tuple[int, str]:
    from qualitas.production import imports, services

    with rolled_back():
        actor = _actor(org)
        product, ch, lot = readings_target(org, actor)
        data = readings_file(fmt, ch.name, lot.number, float(ch.lsl), float(ch.usl), ch.nominal, n)
        rows = imports.parse_readings(org, product, _upload(f"readings.{fmt}", data))
        result = services.import_readings(organization=org, actor=actor, rows=rows)
    if result.readings != n:
        raise RuntimeError(f"imported {result.readings} readings, expected {n}")
    return result.readings, "readings"


# --- KPI measurements ----------------------------------------------------------------------------


def bench_kpis(org: Any, actor: Any, count: int = KPIS) -> list[Any]:
    """``count`` weekly KPIs made through the service (codes that the organization does not use)."""
    from qualitas.planning import services
    from qualitas.planning.models import Kpi

    taken = {c.lower() for c in Kpi.objects.filter(organization=org).values_list("code", flat=True)}
    kpis: list[Any] = []
    i = 0
    while len(kpis) < count:
        i += 1
        code = f"BENCH-{i:03d}"
        if code.lower() in taken:
            continue
        kpis.append(
            services.create_kpi(
                organization=org,
                actor=actor,
                data={
                    "code": code,
                    "name": f"Bench indicator {i}",
                    "unit": "%",
                    "direction": "higher",
                    "target": 95,
                    "warning": 93,
                    "alarm": 90,
                    "frequency": "weekly",
                    "owner": actor,
                },
            )
        )
    return kpis


def measurements_rows(codes: tuple[str, ...], n: int) -> list[tuple[Any, ...]]:
    per_kpi = -(-n // len(codes))
    first = dt.date(2000, 1, 3)  # a Monday: each row is the first day of its week
    rnd = random.Random(12)
    rows = []
    for week in range(per_kpi):
        period = (first + dt.timedelta(weeks=week)).isoformat()
        for code in codes:
            rows.append((code, period, round(rnd.uniform(88, 99), 2), ""))
    return rows[:n]


@functools.lru_cache(maxsize=4)
def measurements_file(fmt: str, codes: tuple[str, ...], n: int) -> bytes:
    return table_bytes(fmt, ("kpi", "period", "value", "note"), measurements_rows(codes, n))


def import_measurements_file(org: Any, fmt: str = "csv", n: int = MEASUREMENTS) -> tuple[int, str]:
    from qualitas.planning.imports import import_measurements

    with rolled_back():
        actor = _actor(org)
        codes = tuple(k.code for k in bench_kpis(org, actor))
        data = measurements_file(fmt, codes, n)
        done = import_measurements(org, _upload(f"measurements.{fmt}", data), actor=actor)
    if done != n:
        raise RuntimeError(f"imported {done} KPI values, expected {n}")
    return done, "values"


def _op(fn: Callable[..., tuple[int, str]], *args: Any) -> Callable[[Any], tuple[int, str]]:
    return lambda org: fn(org, *args)


def register(reg: BenchRegistry) -> None:
    from django.apps import apps

    if apps.is_installed("qualitas.production"):
        reg.add(
            OperationTarget(
                "import_readings_csv",
                f"readings import, CSV ({READINGS:,} rows)",
                _op(import_readings_file, "csv"),
                repeat=3,
            ),
            OperationTarget(
                "import_readings_xlsx",
                f"readings import, XLSX ({READINGS:,} rows)",
                _op(import_readings_file, "xlsx"),
                repeat=3,
            ),
        )
    if apps.is_installed("qualitas.planning"):
        reg.add(
            OperationTarget(
                "import_measurements_csv",
                f"KPI values import, CSV ({MEASUREMENTS:,} rows)",
                _op(import_measurements_file, "csv"),
                # One run: the service writes a row and an audit event per value (~6,000 values/s).
                repeat=1,
            )
        )
