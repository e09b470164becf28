"""Import of an existing document register (CSV or XLSX): preview with the errors of each row, then
every row in one transaction — or none. Served by ``core.views.ImportView``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qualitas.core.tabular.imports import (
    ImportColumn,
    ImportSpec,
    choice,
    date,
    integer,
    member,
    people_of,
    reference,
    text,
)
from qualitas.documents import services
from qualitas.documents.choices import DocumentType
from qualitas.documents.models import Document

REASON = "Imported from the existing document register"


class DocumentRegister(ImportSpec):
    key = "documents"
    model = Document
    permission = "import"
    noun = _("documents")
    title = _("Import a document register")
    help = _(
        "The owner is a user name; the process is a process code. Rows with an effective date become "
        "effective revisions (approved outside Qualitas); the others are drafts."
    )
    max_rows = 5000
    columns = [
        ImportColumn("code", required=True, unique=True, parse=text(40)),
        ImportColumn("title", required=True, parse=text(200)),
        ImportColumn(
            "type",
            key="doc_type",
            parse=choice(
                DocumentType.choices, {"wi": DocumentType.WORK_INSTRUCTION, "sop": DocumentType.PROCEDURE}
            ),
            default=DocumentType.PROCEDURE,
        ),
        ImportColumn("owner", required=True, parse=member(), help=_("user name")),
        ImportColumn("process", parse=reference("processes"), help=_("process code")),
        ImportColumn("revision", key="label", parse=text(10), default=""),
        ImportColumn("effective_date", parse=date(), help="YYYY-MM-DD"),
        ImportColumn("review_interval_months", parse=integer(1, 120), default=24),
        ImportColumn("tags", parse=text(200), default=""),
        ImportColumn("clauses", parse=text(200), default=""),
    ]

    def lookups(self, organization: Any) -> dict[str, Any]:
        from qualitas.planning.queries import processes_of

        processes = processes_of(organization)
        return {"people": people_of(organization), "processes": {p.code.lower(): p for p in processes}}

    def save_row(self, organization: Any, actor: Any, data: dict[str, Any]) -> Document:
        effective = data.pop("effective_date")
        data["change_reason"] = REASON
        document = services.create_document(organization=organization, actor=actor, data=data, reason=REASON)
        if effective is not None:
            services.record_external_approval(
                document.revisions.get(), actor=actor, effective_date=effective, reason=REASON
            )
        return document


REGISTER = DocumentRegister()


def import_documents(*, organization: Any, actor: Any, table: list[dict[str, str]]) -> list[Document]:
    """Every row of ``table`` (column name -> text) or none; ``RowErrors`` names each row's problems."""
    return REGISTER.run(organization=organization, actor=actor, table=table)
