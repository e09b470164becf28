from django.db import models

from qualitas.core.tones import declare_tones


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PREPARED = "prepared", "Prepared"
    IN_PROGRESS = "in_progress", "In progress"
    REPORTED = "reported", "Reported"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (AuditStatus.PLANNED, AuditStatus.PREPARED, AuditStatus.IN_PROGRESS)
DONE_STATES = (AuditStatus.REPORTED, AuditStatus.CLOSED)


class Result(models.TextChoices):
    CONFORMING = "conforming", "Conforming"
    MINOR_NC = "minor_nc", "Minor nonconformity"
    MAJOR_NC = "major_nc", "Major nonconformity"
    OBSERVATION = "observation", "Observation"
    OFI = "ofi", "Opportunity for improvement"
    NOT_AUDITED = "not_audited", "Not audited"


NC_RESULTS = (Result.MINOR_NC, Result.MAJOR_NC)
FINDING_RESULTS = (Result.MINOR_NC, Result.MAJOR_NC, Result.OBSERVATION, Result.OFI)


class FindingKind(models.TextChoices):
    MINOR_NC = "minor_nc", "Minor nonconformity"
    MAJOR_NC = "major_nc", "Major nonconformity"
    OBSERVATION = "observation", "Observation"
    OFI = "ofi", "Opportunity for improvement"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    VERIFIED = "verified", "Closure verified"
    NOTED = "noted", "Noted"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# How these statuses look on badges (core.tones).
declare_tones(FindingStatus, {"open": "info", "verified": "ok"})
declare_tones(
    AuditStatus,
    {"in_progress": "info", "closed": "ok", "cancelled": "muted", "reported": "warn", "planned": "info"},
)
declare_tones(Priority, {"high": "warn"})
