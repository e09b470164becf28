"""All writes of the production area, by topic: the catalog (products, characteristics, plans),
lots, release, readings (the bulk path), signals and control limits.

Measurement data has its own bulk path (``readings.import_readings``): one audit event per
inspection record summarises its readings. Every other write goes through core's writers
(``create_record``/``update_record``/``workflow_step``) or ``audit.tracking``. What the writers
read before they write is in ``production.queries``.
"""

from qualitas.production.queries import readings_digest, release_problems, uncovered_out_of_spec
from qualitas.production.services.catalog import (
    LIMIT_FIELDS,
    create_characteristic,
    create_plan,
    create_product,
    set_plan_items,
    update_characteristic,
    update_plan,
    update_product,
)
from qualitas.production.services.limits import exclude_point, include_point, lock_limits
from qualitas.production.services.lots import (
    create_lot,
    delete_lot,
    record_disposition,
    transition_lot,
    update_lot,
)
from qualitas.production.services.readings import (
    ImportResult,
    check_rows,
    import_readings,
    record_inspection,
)
from qualitas.production.services.release import release_lot, release_lots

__all__ = [
    "LIMIT_FIELDS",
    "ImportResult",
    "check_rows",
    "create_characteristic",
    "create_lot",
    "create_plan",
    "create_product",
    "delete_lot",
    "exclude_point",
    "import_readings",
    "include_point",
    "lock_limits",
    "readings_digest",
    "record_disposition",
    "record_inspection",
    "release_lot",
    "release_lots",
    "release_problems",
    "set_plan_items",
    "transition_lot",
    "uncovered_out_of_spec",
    "update_characteristic",
    "update_lot",
    "update_plan",
    "update_product",
]
