"""One way to turn a refusal into words and a status code.

A service refuses with ``ValidationError`` (bad input, 400), ``TransitionError`` (the record's
state does not allow the step, 409), ``ConflictError`` (someone else saved first, 409) or
``NotAllowed`` (the role does not allow it, 403). Pages (``core.views``), imports
(``core.tabular``) and the API (``core/api/errors.py``, its own body) describe them alike.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from qualitas.core.exceptions import ConflictError, NotAllowed, TransitionError

#: What a service may raise to refuse; every base view catches exactly these.
REFUSALS = (ValidationError, TransitionError, ConflictError, NotAllowed)


def error_messages(exc: Exception) -> dict[str, list[str]]:
    """``{field: [message, ...]}``; messages that belong to no field are under ``"__all__"``."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return {"__all__": [str(m) for m in exc.messages]}
    return {"__all__": [str(exc)]}


def field_label(field: str, form: Any = None) -> str:
    if form is not None and field in getattr(form, "fields", {}):
        return str(form.fields[field].label or field).strip()
    return field.replace("_", " ")


def error_list(exc: Exception, form: Any = None) -> list[str]:
    """Each message, prefixed by its field's label when it belongs to one."""
    return [
        e if field in ("__all__", "") else f"{field_label(field, form)}: {e}"
        for field, errors in error_messages(exc).items()
        for e in errors
    ]


def error_text(exc: Exception, form: Any = None) -> str:
    """The refusal as one line: ``"reason: needs a reason; The record is on legal hold."``."""
    return "; ".join(error_list(exc, form))


def status_for(exc: Exception) -> int:
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, (ConflictError, TransitionError)):
        return 409
    return 400
