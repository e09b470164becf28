"""What the planning pages share: the delete button, the register export and the first rows of a list."""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import reverse
from django.utils.translation import gettext_lazy

from qualitas.core.permissions import can
from qualitas.core.services import delete_record
from qualitas.core.views import ObjectActionView, ObjectListView
from qualitas.planning.imports import REGISTERS


class RemoveView(ObjectActionView):
    """A button on a record's page that deletes it (with the ``reason`` typed beside it) through
    core's writer, then returns to the page it came from."""

    service = staticmethod(delete_record)
    permission = "delete"
    message = gettext_lazy("Deleted %(object)s.")

    def service_kwargs(self, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": self.request.POST.get("reason", "").strip()}


class RegisterListView(ObjectListView):
    """A planning register: ``export`` (``planning.exports``) downloads it as filtered, and the page
    links to the register's import (``planning.imports``) for those who may add records."""

    register: ClassVar[str] = ""

    def extra_context(self) -> dict[str, Any]:
        context = super().extra_context()
        if self.register in REGISTERS and can(self.request.user, self.organization, "add", self.model):
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
