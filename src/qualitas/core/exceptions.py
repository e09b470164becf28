from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


class ConflictError(Exception):
    """Someone else saved the record after the editor read it."""

    def __init__(self, current: Any) -> None:
        self.current = current
        super().__init__(
            f"{current} was changed by someone else since you opened it (now version {current.version}). "
            "Reload to see their change, then apply yours again."
        )


class NotAllowed(PermissionDenied):
    """The actor's role does not allow this action on a record they can see."""


class TransitionError(Exception):
    """A workflow transition that the record's state, the actor's role or missing input forbids."""
