"""Login protection: the client address the lockout counts, and the audit events of logins.

django-axes counts failed logins per account and per address and refuses further attempts for the
cool-off time (settings ``AXES_*``, docs/adr/0013-login-protection.md). Successful logins through the
login pages and password changes are recorded by the views; failed logins and lockouts come from the
authentication signals, which fire for every form that checks a password through ``authenticate``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from qualitas.accounts import services
from qualitas.accounts.models import User
from qualitas.core import audit
from qualitas.core.models import AuditEvent


def client_ip(request: HttpRequest) -> str:
    """The address a lockout counts. Behind the TLS proxy (``QUALITAS_BEHIND_TLS_PROXY``) it is the
    last address in ``X-Forwarded-For`` — the one the proxy itself saw; earlier entries come from the
    client and could be forged."""
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if settings.SECURE_PROXY_SSL_HEADER and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out login gets: 429, and how long the lock lasts."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _person(username: object) -> User | None:
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username).first()


def _lockout_request(person: User) -> str | None:
    """The request that locked the person out within the cool-off time, if any: while the lockout
    lasts, further attempts are counted by the lockout but add nothing to the trail."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AuditEvent.objects.filter(  # tenancy: the person's own events, in any of their organizations
            action="user.locked_out",
            object_type="accounts.user",
            object_id=str(person.pk),
            created_at__gte=since,
        )
        .values_list("request_id", flat=True)
        .first()
    )


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    person = _person(credentials.get("username"))
    if person is None:
        return
    locking = _lockout_request(person)
    if locking is None or locking == audit.current_context().request_id:
        services.record_person_event(person, action="user.login_failed", actor=None)


def locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    person = _person(username)
    if person is not None and _lockout_request(person) is None:
        services.record_person_event(person, action="user.locked_out", actor=None)


def connect() -> None:
    from axes.signals import user_locked_out

    user_login_failed.connect(login_failed, dispatch_uid="qualitas.accounts.login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="qualitas.accounts.locked_out")
