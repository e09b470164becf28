"""Refusals on pages: on the form that was sent, or as one message (see ``core.errors``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from qualitas.core.errors import REFUSALS, error_messages, error_text, field_label, status_for

__all__ = [
    "REFUSALS",
    "apply_validation_error",
    "error_messages",
    "error_text",
    "form_errors_text",
    "say_error",
    "status_for",
]


def apply_validation_error(form: Any, exc: Exception) -> None:
    """Put a refusal on the form: field errors on their fields, the rest at the top."""
    for field, errors in error_messages(exc).items():
        target = field if field in form.fields else None
        for e in errors:
            form.add_error(target, e if target or field in ("__all__", "") else f"{field_label(field)}: {e}")


def form_errors_text(form: Any) -> str:
    """An invalid form's errors as one line (for a message after a redirect)."""
    return error_text(ValidationError({f: [str(e) for e in errs] for f, errs in form.errors.items()}), form)


def say_error(request: HttpRequest, exc: Exception) -> None:
    """The refusal as one error message on the next page."""
    messages.error(request, error_text(exc))
