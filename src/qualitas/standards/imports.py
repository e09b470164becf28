"""The requirement status file in (CSV or XLSX): one row per clause; a column left out of the file
leaves that value as it is, an empty cell clears it. Every row or none (core's import)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitas.core.tabular.imports import (
    ImportColumn,
    ImportRow,
    ImportSpec,
    date,
    member,
    people_of,
    reference,
    text,
)
from qualitas.core.tabular.imports import choice as one_of
from qualitas.standards import queries, services
from qualitas.standards.choices import RequirementStatus
from qualitas.standards.models import Requirement


class StatusImport(ImportSpec):
    key = "requirement-statuses"
    model = Requirement
    noun = gettext_lazy("requirement statuses")
    title = gettext_lazy("Import requirement statuses")
    permission = "change"
    columns = [
        ImportColumn("clause", required=True, unique=True, parse=reference("clauses")),
        ImportColumn(
            "status", parse=one_of(RequirementStatus.choices), default=RequirementStatus.NOT_STARTED
        ),
        ImportColumn("owner", parse=member()),
        ImportColumn("target_date", parse=date()),
        ImportColumn("notes", parse=text(), default=""),
    ]

    def lookups(self, organization: Any) -> dict[str, Any]:
        return {
            "people": people_of(organization),
            "clauses": {c.number.lower(): c for c in queries.clauses()},
            "not_applicable": set(
                Requirement.objects.filter(organization=organization, applicable=False).values_list(
                    "clause__number", flat=True
                )
            ),
        }

    def existing(self, organization: Any) -> dict[str, set[str]]:
        return {}  # a clause is named once in the file; the organization's requirements are updated

    def clean_row(self, row: ImportRow, lookups: dict[str, Any]) -> None:
        clause = row.data["clause"]
        if not clause.is_auditable:
            row.errors.append(
                _("%(number)s is a heading; give the status of its subclauses.") % {"number": clause.number}
            )
            return
        # Only the columns the file has change anything.
        row.data = {k: v for k, v in row.data.items() if k == "clause" or k in row.raw}
        status = row.data.get("status", RequirementStatus.NOT_STARTED)
        if clause.number in lookups["not_applicable"] and status != RequirementStatus.NOT_STARTED:
            row.errors.append(
                _("%(number)s is not applicable; it cannot have a status.") % {"number": clause.number}
            )

    def save_row(self, organization: Any, actor: Any, data: dict[str, Any]) -> Any:
        return services.import_status(organization, data, actor=actor)


STATUS_IMPORT = StatusImport()
