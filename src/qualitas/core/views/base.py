"""Tenancy and request helpers shared by every page: the only places that build request querysets,
the one full-page-or-fragment decision, and the one reader of a return address (``safe_next``)."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (a boosted link wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def render_htmx(
    request: HttpRequest,
    template: str,
    partial: str | None,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """The one helper that decides between a full page and an htmx fragment."""
    if partial and is_fragment_request(request):
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def get_for_request(request: HttpRequest, queryset: Any, **lookup: Any) -> Any:
    """Replaces ``get_object_or_404``: a missing record and another organization's answer alike."""
    scoped = queryset.visible_to(request.user, getattr(request, "organization", None))
    try:
        return scoped.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such record.")) from None


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The return address a page was given (``next`` in the POST body, else the query string), when
    it is a path on this site; ``default`` otherwise.

    Only a relative path is accepted: ``/documents/4/`` yes; ``https://evil.example/``,
    ``//evil.example/``, ``/\\evil.example``, ``javascript:…`` and anything with control characters
    no. Every view that reads a return address reads it here.
    """
    for candidate in (request.POST.get("next"), request.GET.get("next")):
        if candidate and _is_local_path(request, candidate):
            return candidate
    return default


def _is_local_path(request: HttpRequest, url: str) -> bool:
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


class OrganizationRequiredMixin(LoginRequiredMixin):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request, "organization", None) is None:
            return redirect("accounts:no_organization")
        return super().dispatch(request, *args, **kwargs)

    @property
    def organization(self) -> Any:
        return self.request.organization  # type: ignore[attr-defined]

    def check_allowed(self, action: str, target: Any) -> None:
        """Refuse (403) unless the person's role allows ``action`` on ``target`` (a model or a record)."""
        if not can(self.request.user, self.organization, action, target):
            raise NotAllowed(
                _("Your role does not allow you to %(action)s this record.") % {"action": action}
            )


class TenantObjectMixin(OrganizationRequiredMixin):
    model: ClassVar[Any]
    kwargs: dict[str, Any]
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    permission: ClassVar[str] = "view"

    def get_queryset(self) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.model.objects.visible_to(self.request.user, self.organization)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_object(self) -> Any:
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (self.model.DoesNotExist, ValueError):
            raise Http404(_("No such record.")) from None

    def check_allowed(self, action: str, target: Any = None) -> None:
        super().check_allowed(action, target if target is not None else self.model)

    def base_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model_name": meta.verbose_name,
            "model_name_plural": meta.verbose_name_plural,
            "can_add": can(self.request.user, self.organization, "add", self.model),
        }
