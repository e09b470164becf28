from django.db import models

from qualitas.core.tones import declare_tones

ISO9001 = "iso9001-2015"
ISO9004 = "iso9004-2018"
LEGACY_1994 = "iso9001-1994"


class StandardKind(models.TextChoices):
    REQUIREMENTS = "requirements", "Requirements (certifiable)"
    GUIDANCE = "guidance", "Guidance"
    LEGACY = "legacy", "Legacy (withdrawn)"


class ScopeProfile(models.TextChoices):
    FULL = "full", "ISO 9001:2015 — full scope (design and development in scope)"
    PRODUCTION = "production", "ISO 9001:2015 — production scope (8.3 not applicable)"
    CUSTOM = "custom", "ISO 9001:2015 — custom applicability"


class RequirementStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    VERIFIED = "verified", "Verified by audit"


DONE_STATES = (RequirementStatus.IMPLEMENTED, RequirementStatus.VERIFIED)

# Readiness weight of each status (documented in docs/modules/standards.md).
STATUS_WEIGHT = {
    RequirementStatus.NOT_STARTED: 0.0,
    RequirementStatus.IN_PROGRESS: 0.5,
    RequirementStatus.IMPLEMENTED: 1.0,
    RequirementStatus.VERIFIED: 1.0,
}

GROUP_TITLES = {
    "4": "Context",
    "5": "Leadership",
    "6": "Planning",
    "7": "Support",
    "8": "Operation",
    "9": "Performance evaluation",
    "10": "Improvement",
}

GAP_LABELS_ORDER = [
    "implemented_without_evidence",
    "overdue",
    "missing_di",
    "no_owner",
    "no_evidence",
    "no_status",
]


class PackJobStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Building"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


PACK_JOB_FINISHED = (PackJobStatus.DONE, PackJobStatus.FAILED)


# How these statuses look on badges (core.tones).
declare_tones(
    RequirementStatus, {"in_progress": "info", "implemented": "ok", "verified": "ok", "not_started": "bad"}
)
declare_tones(PackJobStatus, {"done": "ok"})
