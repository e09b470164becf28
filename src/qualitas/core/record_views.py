"""Views that work on any QMS record: comments, attachments, the organization's audit trail, home."""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from qualitas.core import audit, cache
from qualitas.core.api.pagination import BoundedPaginator, GapFreeSeqPaginator, TrailPaginator
from qualitas.core.forms import AttachmentForm, CommentForm
from qualitas.core.models import Attachment, AuditChainHead, AuditEvent, TenantModel
from qualitas.core.registry import registry
from qualitas.core.roles import Role
from qualitas.core.services import add_attachment, add_comment
from qualitas.core.views import (
    OrganizationRequiredMixin,
    get_for_request,
    record_context,
    render_htmx,
    say_error,
)


def _target(request: HttpRequest, ct_id: int, pk: int) -> Any:
    try:
        ct = ContentType.objects.get_for_id(ct_id)
    except ContentType.DoesNotExist:
        raise Http404("No such record.") from None
    model = ct.model_class()
    if model is None or not issubclass(model, TenantModel):
        raise Http404("No such record.")
    return get_for_request(request, model.objects.all(), pk=pk)


class CommentCreateView(OrganizationRequiredMixin, View):
    def post(self, request: HttpRequest, ct_id: int, pk: int) -> HttpResponse:
        target = _target(request, ct_id, pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                add_comment(target, actor=request.user, body=form.cleaned_data["body"])
            except ValidationError as exc:
                say_error(request, exc)
        else:
            messages.error(request, "Write something before posting.")
        if getattr(request, "htmx", None):
            return render(
                request,
                "core/partials/_record_panels.html",
                {"object": target, **record_context(request, target)},
            )
        return redirect(target.get_absolute_url())


class AttachmentCreateView(OrganizationRequiredMixin, View):
    def post(self, request: HttpRequest, ct_id: int, pk: int) -> HttpResponse:
        target = _target(request, ct_id, pk)
        form = AttachmentForm(request.POST, request.FILES)
        status = 200
        if form.is_valid():
            try:
                add_attachment(
                    target,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data.get("description", ""),
                )
                messages.success(request, "File attached.")
            except ValidationError as exc:
                say_error(request, exc)
                status = 400
        else:
            messages.error(request, "Choose a file to attach.")
            status = 400
        if getattr(request, "htmx", None):
            return render(
                request,
                "core/partials/_record_panels.html",
                {"object": target, **record_context(request, target)},
                status=status,
            )
        return redirect(target.get_absolute_url())


class AttachmentDownloadView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_for_request(request, Attachment.objects.all(), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404("The stored file is missing.") from None
        return FileResponse(
            handle,
            as_attachment=request.GET.get("inline") != "1",
            filename=attachment.original_name,
            content_type=attachment.mime_type,
        )


class AuditTrailView(OrganizationRequiredMixin, View):
    """The organization's whole audit trail, newest first, filterable by action, object and person."""

    def get(self, request: HttpRequest) -> HttpResponse:
        membership = request.membership  # type: ignore[attr-defined]
        if membership.role not in (Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR, Role.VIEWER):
            raise Http404("No such page.")
        org = request.organization  # type: ignore[attr-defined]
        qs = AuditEvent.objects.filter(organization=org).order_by("-seq")
        action = request.GET.get("action", "").strip()
        object_type = request.GET.get("object_type", "").strip()
        actor = request.GET.get("actor", "").strip()
        if actor:
            qs = qs.filter(actor_name__icontains=actor)
        paginator: BoundedPaginator
        if action or object_type:
            walk, index = audit.trail_filters(org.pk, action=action, object_type=object_type)
            paginator = TrailPaginator(qs.filter(walk), 50, indexed=qs.filter(walk & index))
        elif actor:
            paginator = BoundedPaginator(qs, 50)
        else:  # the whole trail: any page is one range read (seq has no gaps)
            head = AuditChainHead.objects.filter(organization=org).values_list("seq", flat=True).first()
            paginator = GapFreeSeqPaginator(qs, 50, last_seq=head or 0)
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render_htmx(
            request,
            "core/audit_trail.html",
            "core/partials/_audit_table.html",
            {"page": page, "querystring": query.urlencode(), "title": "Audit trail"},
        )


class HomeView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        org, user = request.organization, request.user  # type: ignore[attr-defined]
        state = cache.state_key(org)
        tiles = []
        for tile in sorted(registry.dashboard_tiles, key=lambda t: t.order):
            if tile.shared:
                figures = cache.for_organization(
                    org, f"tile:{tile.key}", functools.partial(tile.compute, org, None), state=state
                )
            else:
                figures = tile.compute(org, user)
            tiles.append({"label": tile.label, **figures})
        return render(request, "core/home.html", {"tiles": tiles, "title": "Home"})


def health(request: HttpRequest) -> JsonResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "apps": len(list(apps.get_app_configs()))})


@require_POST
def noop(request: HttpRequest) -> HttpResponse:  # pragma: no cover - placeholder for htmx pings
    return HttpResponse(status=204)


class SearchView(OrganizationRequiredMixin, View):
    """One search box over every area that registered a search source."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:200]
        groups = []
        if len(query) >= 2:
            for source in registry.search_sources:
                hits = source.search(request.organization, request.user, query, 20)  # type: ignore[attr-defined]
                groups.append({"label": source.label, "hits": hits})
        return render(request, "core/search.html", {"title": "Search", "query": query, "groups": groups})
