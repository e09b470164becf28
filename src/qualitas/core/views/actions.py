"""Acting on a record: the one way a page posts a form (or a bare button) to one service.

``ObjectActionView``: GET shows the form alone (or as an htmx fragment); POST checks the permission,
validates, runs one service, shows one message and returns to a safe ``next`` or the record.
``ObjectTransitionView`` takes one workflow step; ``SingletonEditView`` edits an organization's
one-of-a-kind record (settings, identity statements) with the optimistic-lock 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from qualitas.core import services as generic
from qualitas.core.exceptions import ConflictError, NotAllowed
from qualitas.core.forms import TenantForm, TenantModelForm
from qualitas.core.transitions import parse_version, run_transition
from qualitas.core.views.base import (
    OrganizationRequiredMixin,
    TenantObjectMixin,
    is_fragment_request,
    render_htmx,
    safe_next,
)
from qualitas.core.views.errors import (
    REFUSALS,
    apply_validation_error,
    form_errors_text,
    say_error,
    status_for,
)


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx fragment request is told to load the whole page instead (``HX-Redirect``)."""
    if is_fragment_request(request):
        return HttpResponse(status=200, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


class ObjectActionView(TenantObjectMixin, View):
    """POST a form (or a bare button) about one record to one service.

    Declare ``model``, ``service`` (called ``service(obj, actor=..., **service_kwargs(obj, data))``),
    ``permission`` (checked on the record before the service runs; default ``"change"``),
    ``message`` (may name ``%(object)s`` and ``%(result)s``) and, for a form, ``form_class`` and
    ``title``. Optional: ``kwargs_map`` (form field -> service keyword), ``service_kwargs()`` for
    anything else, ``anchor`` (``"#analysis"``), ``go_to_result`` (open what the service returned),
    ``template_name``/``partial_template_name``, ``inline`` (the form sits on the record's page:
    bad input and refusals are a message there, as for a bare POST).

    Bad input and refusals re-render the form with what was typed (400, 409 for a conflict or a
    refused step); a bare POST shows the refusal as a message on the record's page. A role that
    may not act gets 403, another organization's record 404, before anything runs.
    """

    form_class: ClassVar[Any] = None
    service: ClassVar[Callable[..., Any]]
    permission: ClassVar[str] = "change"
    message: ClassVar[Any] = gettext_lazy("Saved.")
    title: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = gettext_lazy("Save")
    kwargs_map: ClassVar[dict[str, str]] = {}
    anchor: ClassVar[str] = ""
    go_to_result: ClassVar[bool] = False
    inline: ClassVar[bool] = False
    template_name: ClassVar[str] = "core/action_form.html"
    partial_template_name: ClassVar[str] = "core/partials/_action_form.html"

    # --- what subclasses may refine --------------------------------------------------------------

    def permission_target(self, obj: Any) -> Any:
        """What ``permission`` is checked on: the record (or, say, the model of what is created)."""
        return obj

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"initial": self.get_initial(obj)}
        if self.form_class is not None and issubclass(self.form_class, (TenantForm, TenantModelForm)):
            kwargs["organization"] = self.organization
        return kwargs

    def get_initial(self, obj: Any) -> dict[str, Any]:
        return {}

    def service_kwargs(self, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        """Form data -> the service's keyword arguments (``version`` becomes ``expected_version``)."""
        kwargs = {self.kwargs_map.get(k, k): v for k, v in data.items() if k != "version"}
        if data.get("version") is not None:
            kwargs["expected_version"] = data["version"]
        return kwargs

    def perform(self, obj: Any, data: dict[str, Any]) -> Any:
        return type(self).service(obj, actor=self.request.user, **self.service_kwargs(obj, data))

    def get_message(self, obj: Any, result: Any) -> str:
        return str(self.message) % {"object": obj, "result": result} if self.message else ""

    def success_url(self, obj: Any, result: Any) -> str:
        target = result if self.go_to_result and hasattr(result, "get_absolute_url") else obj
        return safe_next(self.request, str(target.get_absolute_url()) + self.anchor)

    def record_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url()) + self.anchor

    # --- the one flow ----------------------------------------------------------------------------

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        return self.form_class(data, files, **self.form_kwargs(obj))

    def render_form(self, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "parent": obj,
            "title": self.title or self.submit_label,
            "submit_label": self.submit_label,
            "action_url": self.request.path,
            "next": safe_next(self.request, ""),
            "cancel_url": safe_next(self.request, self.record_url(obj)),
        }
        return render_htmx(self.request, self.template_name, self.partial_template_name, context, status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.form_class is None:
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object()
        self.check_allowed(self.permission, self.permission_target(obj))
        return self.render_form(obj, self.get_form(obj))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.check_allowed(self.permission, self.permission_target(obj))
        form = None
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.get_form(obj, request.POST, request.FILES)
            if not form.is_valid():
                if self.inline:
                    messages.error(request, form_errors_text(form))
                    return go_to(request, safe_next(request, self.record_url(obj)))
                return self.render_form(obj, form, status=400)
            data = form.cleaned_data
        try:
            result = self.perform(obj, data)
        except NotAllowed:
            raise
        except REFUSALS as exc:
            if form is None or self.inline:
                say_error(request, exc)
                return go_to(request, safe_next(request, self.record_url(obj)))
            apply_validation_error(form, exc)
            return self.render_form(obj, form, status=status_for(exc))
        message = self.get_message(obj, result)
        if message:
            messages.success(request, message)
        return self.done(obj, result)

    def done(self, obj: Any, result: Any) -> HttpResponse:
        """The answer after the service ran: back to the record (a fragment may answer itself)."""
        return go_to(self.request, self.success_url(obj, result))


class ObjectTransitionView(ObjectActionView):
    """POST …/<pk>/transition/<name>/ with an optional ``reason``, ``note`` and the ``version`` the
    person read: one workflow step through ``transition_service(obj, name, *, actor, reason, note,
    expected_version)``. The workflow's table decides who may take which step; a refusal or a stale
    version is a message on the record's page."""

    transition_service: ClassVar[Callable[..., Any]]
    permission = "view"
    message = gettext_lazy("Done.")

    def perform(self, obj: Any, data: dict[str, Any]) -> Any:
        post = self.request.POST
        return run_transition(
            type(self).transition_service,
            obj,
            self.kwargs["transition"],
            actor=self.request.user,
            reason=post.get("reason", ""),
            note=post.get("note", ""),
            expected_version=parse_version(post.get("version")),
        )


class SingletonEditView(OrganizationRequiredMixin, View):
    """Edit the organization's one record of a kind (settings, identity statements): created on the
    first save, then updated with the version the editor read (a stale one is a 409).

    Declare ``model``, ``form_class`` (a ``TenantModelForm``), ``title``, ``success_url_name`` and,
    when the area has them, ``get_service(organization)`` (the record, or unsaved defaults) and
    ``save_service(organization, *, actor, data, expected_version, reason)``; without them core's
    generic writers create or update the record."""

    model: ClassVar[Any]
    form_class: ClassVar[Any]
    get_service: ClassVar[Callable[[Any], Any] | None] = None
    save_service: ClassVar[Callable[..., Any] | None] = None
    permission: ClassVar[str] = "change"
    title: ClassVar[Any] = ""
    message: ClassVar[Any] = gettext_lazy("Saved.")
    success_url_name: ClassVar[str]
    template_name: ClassVar[str] = "core/object_edit.html"

    def get_instance(self) -> Any:
        if self.get_service is not None:
            return type(self).get_service(self.organization)  # type: ignore[misc]
        found = self.model.objects.visible_to(self.request.user, self.organization).first()
        return found or self.model(organization=self.organization)

    def get_form(self, instance: Any, data: Any = None, files: Any = None) -> Any:
        return self.form_class(data, files, instance=instance, organization=self.organization)

    def success_url(self) -> str:
        return reverse(self.success_url_name)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title or str(self.model._meta.verbose_name).capitalize(),
            "cancel_url": safe_next(self.request, self.success_url()),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_allowed(self.permission, self.model)
        return self.render_form(self.get_form(self.get_instance()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_allowed(self.permission, self.model)
        instance = self.get_instance()
        form = self.get_form(instance, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, 400)
        try:
            self.save(instance, form)
        except NotAllowed:
            raise
        except REFUSALS as exc:
            apply_validation_error(form, exc)
            return self.render_form(form, status_for(exc))
        messages.success(request, str(self.message))
        return HttpResponseRedirect(safe_next(request, self.success_url()))

    def save(self, instance: Any, form: Any) -> Any:
        kwargs = {
            "actor": self.request.user,
            "data": form.service_data(),
            "expected_version": form.cleaned_data.get("version"),
            "reason": form.cleaned_data.get("reason", ""),
        }
        if self.save_service is not None:
            return type(self).save_service(self.organization, **kwargs)  # type: ignore[misc]
        if instance.pk is not None:
            return generic.update_record(instance, **kwargs)
        try:
            return generic.create_record(
                self.model,
                organization=self.organization,
                actor=kwargs["actor"],
                data=kwargs["data"],
                reason=kwargs["reason"],
            )
        except IntegrityError:  # someone else saved the first version at the same moment
            raise ConflictError(self.get_instance()) from None
