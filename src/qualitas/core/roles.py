"""Roles: what a person may do in one organization. The permission mechanism (``permissions``,
``workflow``, every model's ``role_policy``) is written in these; ``accounts.Membership`` stores one
per person and organization."""

from django.db import models


class Role(models.TextChoices):
    """Roles a person holds in one organization, from most to least powerful."""

    ADMIN = "admin", "Administrator"
    QUALITY_MANAGER = "quality_manager", "Quality manager"
    AUDITOR = "auditor", "Internal auditor"
    PROCESS_OWNER = "process_owner", "Process owner"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Read-only viewer"


# Role sets that role policies and workflows are written in.
ALL_ROLES = frozenset(Role.values)
WRITERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})
CONTRIBUTORS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR, Role.PROCESS_OWNER})
EVERYONE_BUT_VIEWER = ALL_ROLES - {Role.VIEWER}
