"""The roles a membership holds are the permission mechanism's, defined in core."""

from qualitas.core.roles import ALL_ROLES, CONTRIBUTORS, EVERYONE_BUT_VIEWER, WRITERS, Role

__all__ = ["ALL_ROLES", "CONTRIBUTORS", "EVERYONE_BUT_VIEWER", "WRITERS", "Role"]
