"""Record pages: the register (list, with its export), the record, the edit form and the delete page.

Writes go through the model's own services when the view names them, else through core's generic
writers (``core.services.create_record/update_record/delete_record``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qualitas.core import audit
from qualitas.core import services as generic
from qualitas.core.api.pagination import BoundedPaginator
from qualitas.core.exceptions import NotAllowed
from qualitas.core.forms import AttachmentForm, CommentForm, ReasonForm, use_fast_selects
from qualitas.core.models import Attachment, Comment
from qualitas.core.permissions import can
from qualitas.core.views.base import TenantObjectMixin, render_htmx, safe_next
from qualitas.core.views.errors import REFUSALS, apply_validation_error, say_error, status_for

EXPORT_FORMATS = ("csv", "xlsx")


class ObjectListView(TenantObjectMixin, View):
    """A filterable, sortable, paginated list; htmx requests get only the table.

    With ``export`` (a ``core.tabular.export.Export``), ``?export=csv`` or ``?export=xlsx`` downloads
    the register as filtered and sorted on the page (every row, not one page)."""

    template_name: ClassVar[str] = "core/object_list.html"
    partial_template_name: ClassVar[str] = "core/partials/_object_table.html"
    filterset_class: ClassVar[Any] = None
    # (header, attribute or callable, sort key or "")
    columns: ClassVar[list[tuple[str, str, str]]] = []
    default_ordering: ClassVar[str] = "-id"
    paginate_by: ClassVar[int] = 50
    add_url_name: ClassVar[str | None] = None
    title: ClassVar[str | None] = None
    export: ClassVar[Any] = None

    def filtered(self) -> tuple[Any, Any, str]:
        """The register as the request asks for it: ``(queryset, filterset, ordering)``."""
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            use_fast_selects(filterset.form)
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        sortable = {key for _h, _a, key in self.columns if key}
        sort = self.request.GET.get("sort", "")
        ordering = sort if sort.lstrip("-") in sortable else self.default_ordering
        # The tie-breaker follows the sort direction, so one (organization, column, id) index serves
        # both directions without a sort step (and a page boundary never splits equal values unstably).
        tiebreak = "-pk" if ordering.startswith("-") else "pk"
        plain = ordering.lstrip("-") in ("pk", "id")
        qs = qs.order_by(ordering) if plain else qs.order_by(ordering, tiebreak)
        return qs, filterset, ordering

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("export")
        if self.export is not None and fmt in EXPORT_FORMATS:
            qs, _fs, _o = self.filtered()
            response: HttpResponse = self.export.response(self.export_queryset(qs), fmt)
            return response
        qs, filterset, ordering = self.filtered()
        try:
            per_page = min(max(int(request.GET.get("per_page", self.paginate_by)), 10), 200)
        except ValueError:
            per_page = self.paginate_by
        # Bounded count: a register of 100,000 rows is not counted on every request (core/api/pagination.py).
        page = BoundedPaginator(qs, per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **self.base_context(),
            "title": self.title or str(self.model._meta.verbose_name_plural).capitalize(),
            "page": page,
            "rows": page.object_list,
            "columns": self.columns,
            "partial_template_name": self.partial_template_name,
            "filterset": filterset,
            "ordering": ordering,
            "querystring": query.urlencode(),
            "export_query": query.urlencode(),
            "export_formats": EXPORT_FORMATS if self.export is not None else (),
            "add_url": reverse(self.add_url_name) if self.add_url_name else None,
            **self.extra_context(),
        }
        return render_htmx(request, self.template_name, self.partial_template_name, context)

    def export_queryset(self, qs: Any) -> Any:
        """The rows the export writes (the filtered, sorted register); override to narrow or widen."""
        return qs

    def extra_context(self) -> dict[str, Any]:
        return {}


class ObjectView(TenantObjectMixin, TemplateView):
    """A record page: its fields, state buttons, history, comments and attachments."""

    template_name = "core/object_detail.html"
    workflow: ClassVar[Any] = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        obj = self.object
        context = super().get_context_data(**kwargs)
        context.update(self.base_context())
        context.update(record_context(self.request, obj))
        context["object"] = obj
        context["can_change"] = can(self.request.user, self.organization, "change", obj)
        context["can_delete"] = can(self.request.user, self.organization, "delete", obj)
        if self.workflow is not None:
            context["transitions"] = self.workflow.available(obj, self.request.user)
        return context


def record_context(request: HttpRequest, obj: Any) -> dict[str, Any]:
    """History, comments and attachments of any record (one query each)."""
    ct = ContentType.objects.get_for_model(obj)
    org = obj.organization
    return {
        "history": list(audit.history_for(obj)[:100]),
        "comments": list(
            Comment.objects.filter(organization=org, content_type=ct, object_id=obj.pk).select_related(
                "author"
            )
        ),
        "attachments": list(
            Attachment.objects.filter(organization=org, content_type=ct, object_id=obj.pk).select_related(
                "uploaded_by"
            )
        ),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "record_ct": ct.pk,
        "can_comment": can(request.user, org, "comment", Comment),
        "can_attach": can(request.user, org, "attach", Attachment),
    }


class ObjectEditView(TenantObjectMixin, View):
    """Create (no pk) or update (pk) through one service call; conflicts and refusals become form errors.

    ``create_service(organization=..., actor=..., data=...)`` and ``update_service(obj, actor=...,
    data=..., expected_version=..., reason=...)`` are the model's own writers; leave them out and
    core's generic ``create_record``/``update_record`` write the record."""

    form_class: ClassVar[Any]
    template_name: ClassVar[str] = "core/object_edit.html"
    create_service: ClassVar[Callable[..., Any] | None] = None
    update_service: ClassVar[Callable[..., Any] | None] = None

    def get_instance(self) -> Any:
        if "pk" in self.kwargs:
            obj = self.get_object()
            self.check_allowed("change", obj)
            return obj
        self.check_allowed("add")
        return self.model()

    def get_form(self, instance: Any, data: Any = None, files: Any = None) -> Any:
        return self.form_class(
            data, files, instance=instance, organization=self.organization, initial=self.get_initial()
        )

    def get_initial(self) -> dict[str, Any]:
        return {k: v for k, v in self.request.GET.items() if k in getattr(self.form_class, "base_fields", {})}

    def render_form(self, form: Any, instance: Any, status: int = 200) -> HttpResponse:
        if instance.pk:
            title = _("Edit %(record)s") % {"record": instance}
            cancel = str(instance.get_absolute_url())
        else:
            title = _("New %(kind)s") % {"kind": self.model._meta.verbose_name}
            cancel = ""
        context = {
            **self.base_context(),
            "form": form,
            "object": instance if instance.pk else None,
            "title": title,
            "cancel_url": safe_next(self.request, cancel),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        instance = self.get_instance()
        return self.render_form(self.get_form(instance), instance)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        instance = self.get_instance()
        form = self.get_form(instance, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, instance, status=400)
        try:
            obj = self.save(form, instance)
        except NotAllowed:
            raise
        except REFUSALS as exc:
            apply_validation_error(form, exc)
            return self.render_form(form, instance, status=status_for(exc))
        messages.success(request, _("Saved %(record)s.") % {"record": obj})
        return HttpResponseRedirect(self.success_url(obj))

    def save(self, form: Any, instance: Any) -> Any:
        data = form.service_data()
        user = self.request.user
        if instance.pk:
            kwargs = {
                "actor": user,
                "data": data,
                "expected_version": form.cleaned_data.get("version"),
                "reason": form.cleaned_data.get("reason", ""),
            }
            if self.update_service is None:
                return generic.update_record(instance, **kwargs)
            return type(self).update_service(instance, **kwargs)  # type: ignore[misc]
        if self.create_service is None:
            return generic.create_record(self.model, organization=self.organization, actor=user, data=data)
        return type(self).create_service(organization=self.organization, actor=user, data=data)  # type: ignore[misc]

    def success_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())


class ObjectDeleteView(TenantObjectMixin, View):
    """Confirm, then delete through ``delete_service(obj, actor=..., reason=...)`` (default: core's
    generic ``delete_record``); a refusal is a message on the record's page."""

    template_name: ClassVar[str] = "core/object_delete.html"
    delete_service: ClassVar[Callable[..., Any] | None] = None
    success_url_name: ClassVar[str]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.check_allowed("delete", obj)
        return render(
            request, self.template_name, {**self.base_context(), "object": obj, "form": ReasonForm()}
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.check_allowed("delete", obj)
        form = ReasonForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        try:
            if self.delete_service is None:
                generic.delete_record(obj, actor=request.user, reason=reason)
            else:
                type(self).delete_service(obj, actor=request.user, reason=reason)  # type: ignore[misc]
        except NotAllowed:
            raise
        except REFUSALS as exc:
            say_error(request, exc)
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(record)s.") % {"record": obj})
        return redirect(self.success_url_name)
