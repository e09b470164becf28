"""All writes of the improvement area, by topic. Other areas open nonconformities through
``open_nonconformity`` (and link their records with ``link_record``)."""

from qualitas.improvement.services.analysis import (
    add_cause,
    add_why,
    delete_cause,
    delete_why,
    mark_root_cause,
)
from qualitas.improvement.services.knowledge import (
    add_opportunity_action,
    publish_lesson,
    raise_opportunity,
    transition_opportunity,
    update_lesson,
    update_opportunity,
)
from qualitas.improvement.services.nonconformities import (
    NC_FIELDS,
    add_nc_action,
    authorise_disposition,
    check_recurrence,
    delete_nonconformity,
    link_record,
    open_nonconformity,
    report_nonconformity,
    set_disposition,
    set_root_cause,
    transition_nonconformity,
    update_nonconformity,
)
from qualitas.improvement.services.settings import (
    delete_cause_category,
    save_preferences,
    save_settings,
    seed_cause_categories,
)

__all__ = [
    "NC_FIELDS",
    "add_cause",
    "add_nc_action",
    "add_opportunity_action",
    "add_why",
    "authorise_disposition",
    "check_recurrence",
    "delete_cause",
    "delete_cause_category",
    "delete_nonconformity",
    "delete_why",
    "link_record",
    "mark_root_cause",
    "open_nonconformity",
    "publish_lesson",
    "raise_opportunity",
    "report_nonconformity",
    "save_preferences",
    "save_settings",
    "seed_cause_categories",
    "set_disposition",
    "set_root_cause",
    "transition_nonconformity",
    "transition_opportunity",
    "update_lesson",
    "update_nonconformity",
    "update_opportunity",
]
