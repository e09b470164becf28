from django.db import models


class Role(models.TextChoices):
    """Roles a person holds in one organization, from most to least powerful."""

    ADMIN = "admin", "Administrator"
    QUALITY_MANAGER = "quality_manager", "Quality manager"
    AUDITOR = "auditor", "Internal auditor"
    PROCESS_OWNER = "process_owner", "Process owner"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Read-only viewer"


ALL_ROLES = frozenset(Role.values)
WRITERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})
CONTRIBUTORS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR, Role.PROCESS_OWNER})
EVERYONE_BUT_VIEWER = ALL_ROLES - {Role.VIEWER}
