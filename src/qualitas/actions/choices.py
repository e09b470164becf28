from django.db import models

from qualitas.core.tones import declare_tones


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class ActionKind(models.TextChoices):
    TASK = "task", "Task"
    CORRECTION = "correction", "Correction"
    CORRECTIVE = "corrective", "Corrective action"
    PREVENTIVE = "preventive", "Preventive action"
    IMPROVEMENT = "improvement", "Improvement"


# How these statuses look on badges (core.tones).
declare_tones(ActionStatus, {"open": "info", "in_progress": "info", "done": "ok", "cancelled": "muted"})
declare_tones(Priority, {"urgent": "bad", "high": "warn"})
