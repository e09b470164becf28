"""What the planning pages share: the delete button, the register export and the first rows of a list."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy

from qualitas.core.permissions import can
from qualitas.core.services import delete_record
from qualitas.core.views import ObjectActionView
from qualitas.planning.tabular import REGISTERS, export_response


class RemoveView(ObjectActionView):
    """A button on a record's page that deletes it (with the ``reason`` typed beside it) through
    core's writer, then returns to the page it came from."""

    service = staticmethod(delete_record)
    permission = "delete"
    message = gettext_lazy("Deleted %(object)s.")

    def service_kwargs(self, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": self.request.POST.get("reason", "").strip()}


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
