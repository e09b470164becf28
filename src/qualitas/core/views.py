"""Base views. These are the only places that build request querysets (tenancy) and decide
permissions; module views are thin, declarative subclasses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qualitas.core import audit
from qualitas.core.api.pagination import BoundedPaginator
from qualitas.core.exceptions import ConflictError, NotAllowed, TransitionError
from qualitas.core.forms import AttachmentForm, CommentForm, ReasonForm, use_fast_selects
from qualitas.core.models import Attachment, Comment
from qualitas.core.permissions import can


def render_htmx(
    request: HttpRequest, template: str, partial: str | None, context: dict[str, Any]
) -> HttpResponse:
    """The one helper that decides between a full page and an htmx fragment."""
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted:
        return render(request, partial, context)
    return render(request, template, context)


def get_for_request(request: HttpRequest, queryset: Any, **lookup: Any) -> Any:
    """Replaces ``get_object_or_404``: a missing record and another organization's answer alike."""
    scoped = queryset.visible_to(request.user, getattr(request, "organization", None))
    try:
        return scoped.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such record.") from None


def error_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def apply_validation_error(form: Any, exc: ValidationError) -> None:
    for field, errors in error_messages(exc).items():
        target = field if field in form.fields else None
        for e in errors:
            form.add_error(target, e if target else (f"{field}: {e}" if field != "__all__" else e))


class OrganizationRequiredMixin(LoginRequiredMixin):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request, "organization", None) is None:
            return redirect("accounts:no_organization")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    @property
    def organization(self) -> Any:
        return self.request.organization  # type: ignore[attr-defined]


class TenantObjectMixin(OrganizationRequiredMixin):
    model: ClassVar[Any]
    kwargs: dict[str, Any]
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    permission: ClassVar[str] = "view"

    def get_queryset(self) -> QuerySet:
        qs = self.model.objects.visible_to(self.request.user, self.organization)  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_object(self) -> Any:
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (self.model.DoesNotExist, ValueError):
            raise Http404("No such record.") from None

    def check_allowed(self, action: str, target: Any = None) -> None:
        if not can(
            self.request.user, self.organization, action, target if target is not None else self.model
        ):
            raise NotAllowed(f"Your role does not allow you to {action} this record.")

    def base_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model_name": meta.verbose_name,
            "model_name_plural": meta.verbose_name_plural,
            "can_add": can(self.request.user, self.organization, "add", self.model),
        }


class ObjectListView(TenantObjectMixin, View):
    """A filterable, sortable, paginated list; htmx requests get only the table."""

    template_name: ClassVar[str] = "core/object_list.html"
    partial_template_name: ClassVar[str] = "core/partials/_object_table.html"
    filterset_class: ClassVar[Any] = None
    # (header, attribute or callable, sort key or "")
    columns: ClassVar[list[tuple[str, str, str]]] = []
    default_ordering: ClassVar[str] = "-id"
    paginate_by: ClassVar[int] = 50
    add_url_name: ClassVar[str | None] = None
    title: ClassVar[str | None] = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
            use_fast_selects(filterset.form)
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        sortable = {key for _h, _a, key in self.columns if key}
        sort = request.GET.get("sort", "")
        ordering = sort if sort.lstrip("-") in sortable else self.default_ordering
        # The tie-breaker follows the sort direction, so one (organization, column, id) index serves
        # both directions without a sort step (and a page boundary never splits equal values unstably).
        tiebreak = "-pk" if ordering.startswith("-") else "pk"
        plain = ordering.lstrip("-") in ("pk", "id")
        qs = qs.order_by(ordering) if plain else qs.order_by(ordering, tiebreak)
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
            "add_url": reverse(self.add_url_name) if self.add_url_name else None,
            **self.extra_context(),
        }
        return render_htmx(request, self.template_name, self.partial_template_name, context)

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
    from django.contrib.contenttypes.models import ContentType

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
    """Create (no pk) or update (pk) through one service call; conflicts and refusals become form errors."""

    form_class: ClassVar[Any]
    template_name: ClassVar[str] = "core/object_edit.html"
    # create_service(organization=..., actor=..., data=...) -> obj
    create_service: ClassVar[Callable[..., Any] | None] = None
    # update_service(obj, actor=..., data=..., expected_version=..., reason=...) -> obj
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
        context = {
            **self.base_context(),
            "form": form,
            "object": instance if instance.pk else None,
            "title": f"Edit {instance}" if instance.pk else f"New {self.model._meta.verbose_name}",
            "cancel_url": instance.get_absolute_url() if instance.pk else self.request.GET.get("next", ""),
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
        except ConflictError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, instance, status=409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(form, instance, status=400)
        messages.success(request, f"Saved {obj}.")
        return HttpResponseRedirect(self.success_url(obj))

    def save(self, form: Any, instance: Any) -> Any:
        data = form.service_data()
        if instance.pk:
            assert self.update_service is not None
            return type(self).update_service(  # type: ignore[misc]
                instance,
                actor=self.request.user,
                data=data,
                expected_version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("reason", ""),
            )
        assert self.create_service is not None
        return type(self).create_service(organization=self.organization, actor=self.request.user, data=data)  # type: ignore[misc]

    def success_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())


class ObjectDeleteView(TenantObjectMixin, View):
    template_name: ClassVar[str] = "core/object_delete.html"
    delete_service: ClassVar[Callable[..., Any]]
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
        try:
            type(self).delete_service(obj, actor=request.user, reason=form.cleaned_data.get("reason", ""))
        except (ValidationError, TransitionError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(obj.get_absolute_url())
        messages.success(request, f"Deleted {obj}.")
        return redirect(self.success_url_name)


class ObjectTransitionView(TenantObjectMixin, View):
    """POST /<pk>/transition/<name>/ with an optional reason: one workflow step via one service."""

    # transition_service(obj, name, *, actor, reason="", note="") -> obj
    transition_service: ClassVar[Callable[..., Any]]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        reason = request.POST.get("reason", "")
        try:
            type(self).transition_service(
                obj,
                kwargs["transition"],
                actor=request.user,
                reason=reason,
                note=request.POST.get("note", ""),
            )
        except TransitionError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, "Done.")
        return redirect(obj.get_absolute_url())
