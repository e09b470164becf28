from django.db import models


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
