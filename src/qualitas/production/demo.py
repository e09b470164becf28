"""Demo: a machining line with three products, a year of daily subgroups of five, one drifting
bearing diameter (fires the trend and zone rules in the last months), one capable length (Cpk about
1.8), weekly lots, a few readings outside specification that raised nonconformities, signed releases.
Everything goes through the bulk readings path, so it loads in a few seconds. The content is in
``production/data/demo.toml``; this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np
from django.utils import timezone

from qualitas.core.datafiles import load as load_data
from qualitas.core.services import create_record
from qualitas.production import services
from qualitas.production.choices import LotStatus
from qualitas.production.models import Product

WEEKS = 52
BASELINE_WEEKS = 16


def _values(gen: dict[str, Any], day: int, n: int, rs: np.random.Generator) -> list[float]:
    mean, sd = gen["mean"], gen["sd"]
    if gen["kind"] == "drift":
        # Flat for eight months, then a slow wear trend of about +0.012 mm over the last four.
        shift = max(0, day - 240) * 0.0001
        return np.round(mean + shift + rs.normal(0, sd, n), 4).tolist()
    return np.round(rs.normal(mean, sd, n), 4).tolist()


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    demo = load_data("production", "demo")
    rs = np.random.default_rng(rng.randrange(1 << 30))
    quality, production, operator = people["quality"], people["production"], people["operator"]
    products = {
        k: create_record(Product, organization=org, actor=quality, data={**v, "owner": production})
        for k, v in demo["products"].items()
    }
    chars = []
    for row in demo["characteristics"]:
        data = {k: v for k, v in row.items() if k not in ("product", "generator")}
        ch = services.create_characteristic(
            organization=org, actor=quality, data={"product": products[row["product"]], **data}
        )
        chars.append((ch, row["generator"]))
    plans = {}
    for key, product in products.items():
        items = [
            {
                "characteristic": ch,
                "sample_size": ch.subgroup_size if ch.is_numeric else 50,
                "frequency": "per_lot",
                "aql": "" if ch.is_numeric else "AQL 2.5, level II",
            }
            for ch, _ in chars
            if ch.product_id == product.pk
        ]
        plans[key] = services.create_plan(
            organization=org,
            actor=quality,
            data={
                "product": product,
                "name": "Final inspection",
                "stage": "final",
                "items": items,
                "instructions": "Measure five consecutive parts per shift start; record on the station page.",
            },
        )
    services.create_plan(
        organization=org,
        actor=quality,
        data={
            "product": products["shaft"],
            "name": "Bar stock receiving",
            "stage": "receiving",
            "recorder_roles": ["quality_manager", "process_owner", "member"],
        },
    )
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=WEEKS)
    bar_lots = [
        services.create_lot(
            organization=org,
            actor=operator,
            data={
                "product": products["shaft"],
                "number": f"BAR-{start.year}-{i:02d}",
                "quantity": 400,
                "note": "42CrMo4 bar stock, heat certificate on file",
            },
        )
        for i in range(1, 5)
    ]
    lots_by_week: list[dict[str, Any]] = []
    for week in range(WEEKS):
        monday = start + dt.timedelta(weeks=week)
        lots = {}
        for key, product in products.items():
            data = {"product": product, "number": f"{product.part_number[:2]}-{monday:%y%W}", "quantity": 350}
            if key == "shaft":
                data["parents"] = [bar_lots[min(week // 13, 3)]]
            lots[key] = services.create_lot(organization=org, actor=operator, data=data)
        lots_by_week.append(lots)
        rows: list[dict[str, Any]] = []
        for idx, (ch, gen) in enumerate(chars):
            lot = lots[next(k for k, p in products.items() if p.pk == ch.product_id)]
            for day in range(5):
                day_no = week * 7 + day
                if ch.is_numeric:
                    n = ch.subgroup_size
                    for v in _values(gen, day_no, n, rs):
                        rows.append({"characteristic": ch, "lot": lot, "value": v})
                else:
                    rows.append(
                        {
                            "characteristic": ch,
                            "lot": lot,
                            "defects": int(rs.binomial(gen["sample_size"], gen["rate"])),
                            "sample_size": gen["sample_size"],
                        }
                    )
            for defect in demo["out_of_spec"]:
                if defect["week"] == week and defect["characteristic"] == idx:
                    rows[-1]["value"] = defect["value"]
        recorded = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=4), dt.time(14, 30)))
        services.import_readings(
            organization=org, actor=operator, rows=rows, source="import", recorded_at=recorded, equipment=""
        )
        if week + 1 == BASELINE_WEEKS:
            for ch, _ in chars:
                services.lock_limits(ch, actor=quality)
    # Decide and release: lots older than two weeks; the latest ones stay in process or on hold.
    to_release = []
    for week, lots in enumerate(lots_by_week[: WEEKS - 2]):
        for lot in lots.values():
            lot.refresh_from_db()
            if services.uncovered_out_of_spec(lot):
                services.record_disposition(
                    lot,
                    actor=quality,
                    decision="sort",
                    note="Lot sorted 100 %; nonconforming parts scrapped and logged.",
                )
            if lot.status == LotStatus.ON_HOLD and week >= WEEKS - 8:
                continue  # recent holds still wait for their investigation
            to_release.append(lot)
    # One password entry, one signature record per lot (the checking of a password is slow on purpose).
    services.release_lots(
        to_release, actor=quality, password=_demo_password(), note="Final inspection complete."
    )


def _demo_password() -> str:
    from qualitas.demo.loader import DEMO_PASSWORD

    return DEMO_PASSWORD
