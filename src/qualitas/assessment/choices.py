from django.db import models

from qualitas.core.tones import declare_tones


class AssessmentMode(models.TextChoices):
    QUICK = "quick", "Quick (one key question per clause)"
    DETAILED = "detailed", "Detailed (every element)"
    SMALL = "small", "Small organization (essential elements)"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RATING = "rating", "Rating"
    CONSENSUS = "consensus", "Consensus"
    COMPLETED = "completed", "Completed"


# Until the facilitator opens consensus, each assessor sees only their own ratings.
HIDDEN_STATES = (AssessmentStatus.DRAFT, AssessmentStatus.RATING)


class ElementKind(models.TextChoices):
    KEY = "key", "Key question (one per clause)"
    ELEMENT = "element", "Element (one per subclause)"


LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]


# How these statuses look on badges (core.tones).
declare_tones(AssessmentStatus, {"draft": "muted", "completed": "ok"})
