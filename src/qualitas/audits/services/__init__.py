"""All writes of the audit area, by topic. Records without a rule of their own (checklist templates,
a programme's edits) are written by core's generic writers."""

from qualitas.audits.services.audits import (
    create_audit,
    delete_audit,
    send_audit_plan,
    transition_audit,
    update_audit,
)
from qualitas.audits.services.checklist import (
    create_checklist_item,
    delete_checklist_item,
    generate_checklist,
    save_as_template,
    update_checklist_item,
)
from qualitas.audits.services.findings import (
    create_finding,
    delete_finding,
    raise_nonconformity,
    update_finding,
    verify_finding,
)
from qualitas.audits.services.programmes import (
    calendar_subscription,
    create_auditor,
    delete_auditor,
    delete_programme,
    update_auditor,
)

__all__ = [
    "calendar_subscription",
    "create_audit",
    "create_auditor",
    "create_checklist_item",
    "create_finding",
    "delete_audit",
    "delete_auditor",
    "delete_checklist_item",
    "delete_finding",
    "delete_programme",
    "generate_checklist",
    "raise_nonconformity",
    "save_as_template",
    "send_audit_plan",
    "transition_audit",
    "update_audit",
    "update_auditor",
    "update_checklist_item",
    "update_finding",
    "verify_finding",
]
