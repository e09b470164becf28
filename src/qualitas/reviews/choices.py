from django.db import models

from qualitas.core.tones import declare_tones


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    MINUTED = "minuted", "Minuted"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class OutputKind(models.TextChoices):
    IMPROVEMENT = "improvement", "Opportunity for improvement"
    QMS_CHANGE = "qms_change", "Change to the management system"
    RESOURCES = "resources", "Resource need"


# The inputs ISO 9001:2015 9.3.2 asks for (clause letters are facts; labels are our words).
EXPECTED_INPUTS: list[tuple[str, str]] = [
    ("9.3.2 a)", "Status of actions from previous reviews"),
    ("9.3.2 b)", "Changes in external and internal issues"),
    ("9.3.2 c) 1)", "Customer satisfaction and feedback from interested parties"),
    ("9.3.2 c) 2)", "Extent to which quality objectives are met"),
    ("9.3.2 c) 3)", "Process performance and conformity of products"),
    ("9.3.2 c) 4)", "Nonconformities and corrective actions"),
    ("9.3.2 c) 5)", "Monitoring and measurement results"),
    ("9.3.2 c) 6)", "Audit results"),
    ("9.3.2 c) 7)", "Performance of external providers"),
    ("9.3.2 d)", "Adequacy of resources"),
    ("9.3.2 e)", "Effectiveness of actions on risks and opportunities"),
    ("9.3.2 f)", "Opportunities for improvement"),
]


# How these statuses look on badges (core.tones).
declare_tones(
    ReviewStatus,
    {"in_progress": "info", "closed": "ok", "cancelled": "muted", "planned": "info", "minuted": "ok"},
)
