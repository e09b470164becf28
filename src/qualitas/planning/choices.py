from django.db import models


class ProcessType(models.TextChoices):
    MANAGEMENT = "management", "Management process"
    CORE = "core", "Core (operational) process"
    SUPPORT = "support", "Support process"
