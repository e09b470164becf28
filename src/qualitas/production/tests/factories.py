from __future__ import annotations

import itertools
from typing import Any

from qualitas.core.testing.factories import factory
from qualitas.production import services
from qualitas.production.models import Characteristic, InspectionPlan, InspectionRecord, Lot, Product, Reading

_seq = itertools.count(1)


@factory(Product)
def make_product(org: Any, actor: Any, **overrides: Any) -> Product:
    n = next(_seq)
    data = {
        "part_number": f"SH-{n:04d}",
        "revision": "B",
        "name": "Drive shaft",
        "customer": "Acme",
        **overrides,
    }
    return services.create_product(organization=org, actor=actor, data=data)


@factory(Characteristic)
def make_characteristic(org: Any, actor: Any, **overrides: Any) -> Characteristic:
    product = overrides.pop("product", None) or make_product(org, actor)
    data = {
        "product": product,
        "name": f"Diameter {next(_seq)}",
        "nominal": 10.0,
        "lsl": 9.95,
        "usl": 10.05,
        "unit": "mm",
        "criticality": "critical",
        "subgroup_size": 5,
        "chart_type": "xbar_r",
        "equipment": "Micrometer M-7",
        **overrides,
    }
    return services.create_characteristic(organization=org, actor=actor, data=data)


@factory(InspectionPlan)
def make_plan(org: Any, actor: Any, **overrides: Any) -> InspectionPlan:
    ch = overrides.pop("characteristic", None) or make_characteristic(org, actor)
    data = {
        "product": ch.product,
        "name": f"Final check {next(_seq)}",
        "stage": "final",
        "items": [{"characteristic": ch, "sample_size": 5, "frequency": "per_lot"}],
        **overrides,
    }
    return services.create_plan(organization=org, actor=actor, data=data)


@factory(Lot)
def make_lot(org: Any, actor: Any, **overrides: Any) -> Lot:
    product = overrides.pop("product", None) or make_product(org, actor)
    data = {"product": product, "number": f"L{next(_seq):05d}", "quantity": 100, **overrides}
    return services.create_lot(organization=org, actor=actor, data=data)


@factory(InspectionRecord)
def make_record(org: Any, actor: Any, **overrides: Any) -> InspectionRecord:
    ch = overrides.pop("characteristic", None) or make_characteristic(org, actor)
    lot = overrides.pop("lot", None) or make_lot(org, actor, product=ch.product)
    values = overrides.pop("values", [10.0, 10.01, 9.99, 10.0, 10.02])
    rows = [{"characteristic": ch, "lot": lot, "value": v} for v in values]
    return services.import_readings(organization=org, actor=actor, rows=rows, **overrides).records[0]


@factory(Reading)
def make_reading(org: Any, actor: Any) -> Reading:
    record = make_record(org, actor)
    return Reading.objects.filter(record=record).first()  # type: ignore[return-value]
