"""What the planning pages share: the child-record form, the register export and the first rows of a list."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    TenantObjectMixin,
    apply_validation_error,
)
from qualitas.planning.tabular import REGISTERS, export_response


class ChildCreateView(TenantObjectMixin, View):
    """A form on a parent record's page that creates something about it (an interaction, an action,
    a measurement...). GET shows the form alone; POST calls one service and returns to the parent."""

    form_class: ClassVar[Any]
    permission_action: ClassVar[str] = "change"
    permission_model: ClassVar[Any] = None
    title: ClassVar[str] = ""
    template_name: ClassVar[str] = "planning/child_form.html"

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        raise NotImplementedError

    def check(self, parent: Any) -> None:
        self.check_allowed(self.permission_action, self.permission_model or parent)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = self.get_object()
        self.check(parent)
        return self.render_form(parent, self.make_form(parent))

    def render_form(self, parent: Any, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "parent": parent, "title": self.title, "cancel_url": parent.get_absolute_url()},
            status=status,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = self.get_object()
        self.check(parent)
        form = self.make_form(parent, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(parent, form, status=400)
        try:
            message = self.perform(parent, form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(parent, form, status=400)
        messages.success(request, message)
        return redirect(self.success_url(parent))

    def perform(self, parent: Any, form: Any) -> str:
        raise NotImplementedError

    def success_url(self, parent: Any) -> str:
        return str(parent.get_absolute_url())


class ExportMixin:
    """?export=csv|xlsx on a list page returns the filtered register as a file."""

    register: ClassVar[str] = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            _model, headers, row, related = REGISTERS[self.register]
            qs = self.get_queryset()  # type: ignore[attr-defined]
            if self.filterset_class is not None:  # type: ignore[attr-defined]
                fs = self.filterset_class(request.GET, queryset=qs, request=request)  # type: ignore[attr-defined]
                qs = fs.qs if fs.is_valid() else qs
            if related:
                qs = qs.select_related(*related)
            return export_response(self.register, headers, (row(o) for o in qs.iterator()), fmt)
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def extra_context(self) -> dict[str, Any]:
        from qualitas.planning.tabular import IMPORT_COLUMNS

        context = super().extra_context()  # type: ignore[misc]
        if self.register in IMPORT_COLUMNS and can(
            self.request.user,  # type: ignore[attr-defined]
            self.organization,  # type: ignore[attr-defined]
            "add",
            self.model,  # type: ignore[attr-defined]
        ):
            context["import_url"] = reverse("planning:register_import", args=[self.register])
        return context


RELATED_ROWS = 20


def first_rows(qs: Any, limit: int | None = None) -> tuple[list[Any], int]:
    """The first ``limit`` rows of ``qs`` and how many there are in all (one query, two when more)."""
    limit = limit or RELATED_ROWS
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], qs.count()
