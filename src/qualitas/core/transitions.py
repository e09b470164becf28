"""Calling a transition service the same way from a page and from the API.

Transition services have the signature ``transition_x(obj, name, *, actor, reason="", note="",
expected_version=None)``: the version the person read travels with the step, and the service
refuses a stale one with ``ConflictError`` (409) under its row lock.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualitas.core.exceptions import ConflictError


@functools.cache
def _takes_expected_version(service: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(service).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "expected_version" or p.kind is p.VAR_KEYWORD for p in params)


def run_transition(
    service: Callable[..., Any],
    obj: Any,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Any:
    """Take workflow step ``name`` on ``obj`` through ``service``.

    A service that does not take ``expected_version`` yet gets the version checked here, against
    the record as this request read it (the service's own check under its lock is the stronger one).
    """
    kwargs: dict[str, Any] = {"actor": actor, "reason": reason, "note": note}
    if expected_version is not None:
        if _takes_expected_version(service):
            kwargs["expected_version"] = expected_version
        elif getattr(obj, "version", expected_version) != expected_version:
            raise ConflictError(obj)
    return service(obj, name, **kwargs)


def parse_version(value: Any) -> int | None:
    """The ``version`` a form sent: ``None`` when absent; anything but a whole number is refused."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("The version must be a whole number.")}) from None
