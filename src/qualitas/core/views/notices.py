"""The notification centre's pages: the bell, the list with mark-read, preferences; and the
administrators' page of scheduled jobs. A notice is its recipient's only: anyone else's, in this
organization or another, answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qualitas.core.api.pagination import BoundedPaginator
from qualitas.core.background import notices
from qualitas.core.background.models import Channel, Notice
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import membership_of
from qualitas.core.registry import registry
from qualitas.core.roles import Role
from qualitas.core.views.base import OrganizationRequiredMixin


class NoticeListView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = notices.inbox(self.organization, request.user).order_by("-created_at", "-pk")
        if request.GET.get("unread"):
            rows = rows.filter(read_at__isnull=True)
        page = BoundedPaginator(rows, 50).get_page(request.GET.get("page"))
        context = {
            "title": _("Notifications"),
            "page_obj": page,
            "notices": list(page.object_list),
            "unread": notices.unread_count(self.organization, request.user),
            "is_admin": is_admin(request, self.organization),
        }
        return render(request, "core/notices.html", context)


class NoticeBellView(OrganizationRequiredMixin, View):
    """The header's bell (loaded by htmx, so pages pay no query for it)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        count = notices.unread_count(self.organization, request.user)
        return render(request, "core/partials/_bell.html", {"unread": count})


class NoticeReadView(OrganizationRequiredMixin, View):
    """Mark one notice read (and follow it with ``?open=1``), or all with ``pk`` absent."""

    model = Notice  # the tenancy walker: another organization's (or person's) notice answers 404

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if pk is not None:
            notice = notices.inbox(self.organization, request.user).filter(pk=pk).first()
            if notice is None:
                raise Http404(_("No such notice."))
            notices.mark_read(self.organization, request.user, pk)
            if request.POST.get("open") and notice.url.startswith("/"):
                return redirect(notice.url)
        else:
            notices.mark_read(self.organization, request.user)
        return redirect("core:notices")


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, initial_channels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in sorted(registry.notice_kinds, key=lambda k: str(registry.notice_kinds[k].label)):
            kind = registry.notice_kinds[key]
            self.fields[key] = forms.ChoiceField(
                label=str(kind.label), choices=Channel.choices, initial=initial_channels.get(key)
            )


class NoticePreferencesView(OrganizationRequiredMixin, View):
    title = gettext_lazy("How you are told")

    def _form(self, data: Any = None) -> PreferencesForm:
        me = int(self.request.user.pk or 0)
        chosen = notices.channels_of(self.organization, [me])
        initial = {key: chosen.get((me, key), notices.default_channel(key)) for key in registry.notice_kinds}
        return PreferencesForm(data, initial_channels=initial)

    def _render(self, form: PreferencesForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": self.title, "cancel_url": "/notices/"}
        return render(self.request, "core/object_edit.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        notices.set_preferences(self.organization, request.user, form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("core:notices")


def is_admin(request: HttpRequest, organization: Any) -> bool:
    membership = membership_of(request.user, organization)
    return membership is not None and membership.role == Role.ADMIN


class JobListView(OrganizationRequiredMixin, View):
    """Administrators: every scheduled job of the organization with its last and next run."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        organization = getattr(request, "organization", None)
        if request.user.is_authenticated and organization is not None and not is_admin(request, organization):
            raise NotAllowed(_("Only administrators see the scheduled jobs."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        from qualitas.core.background.scheduler import states

        return render(
            request, "core/jobs.html", {"title": _("Scheduled jobs"), "rows": states(self.organization)}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        from qualitas.core.background.scheduler import claim
        from qualitas.core.background.tasks import enqueue_job

        key = request.POST.get("key", "")
        if key not in registry.schedules:
            raise Http404(_("No such job."))
        if claim(self.organization, key, force=True):
            enqueue_job(self.organization.pk, key)
            messages.success(request, _("The job is queued; this page shows its result when it has run."))
        return redirect("core:jobs")
