"""One error body for every API failure:

{"status": 400, "code": "invalid", "detail": "Invalid input.", "fields": {"title": ["Required."]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from qualitas.core.exceptions import ConflictError, TransitionError


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) if isinstance(v, (dict, list)) else str(v) for v in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, ConflictError):
        return Response(
            {"status": 409, "code": "conflict", "detail": str(exc), "fields": {}},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, TransitionError):
        return Response(
            {"status": 409, "code": "transition_refused", "detail": str(exc), "fields": {}},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("No such record.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(data) if isinstance(data, dict) else {"non_field_errors": _flatten(data)}
        body = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "Invalid input.",
            "fields": fields,
        }
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = {"status": response.status_code, "code": code, "detail": str(detail), "fields": {}}
    response.data = body
    return response
