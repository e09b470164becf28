from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer qlt_...`` (or ``Token qlt_...``). The token belongs to one membership,
    so it names the organization every call works in."""

    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header: use 'Bearer <token>'.")
        ApiToken: Any = apps.get_model("accounts", "ApiToken")
        key = header[1]
        token = (
            ApiToken.objects.select_related("membership__organization", "membership__user")
            .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.membership.is_active or not token.membership.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        user = token.membership.user
        user._qualitas_memberships = [token.membership]  # one organization only
        request._request.organization = token.membership.organization  # type: ignore[attr-defined]
        request._request.membership = token.membership  # type: ignore[attr-defined]
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "qualitas.core.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (qlt_…) from the API tokens page.",
        }
