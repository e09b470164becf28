from typing import Any

from django.urls import reverse

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.documents.models import Document, Record, RecordType
from qualitas.documents.tests.factories import make_document, make_record, make_record_type


class DocumentViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = Document
    url_prefix = "documents:document"
    list_query_count = 8

    def make(self, org: Any, actor: Any) -> Document:
        return make_document(org, actor)

    def url(self, suffix: str, *args: Any) -> str:
        return reverse(
            {
                "list": "documents:document_list",
                "add": "documents:document_add",
                "edit": "documents:document_edit",
                "delete": "documents:document_delete",
            }[suffix],
            args=args,
        )

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Visual inspection of welds",
            "doc_type": "procedure",
            "owner": self.owner.pk,
            "confidentiality": "internal",
            "review_interval_months": 24,
            "revision_scheme": "letters",
            "approval_order": "sequential",
            "ack_days": 14,
            "text": "# Welds\n\nLook closely.",
        }

    def update_data(self, obj: Document) -> dict[str, Any]:
        return {
            "code": obj.code,
            "title": obj.title + " (revised)",
            "doc_type": obj.doc_type,
            "owner": obj.owner_id,
            "confidentiality": "confidential",
            "review_interval_months": 12,
            "revision_scheme": "letters",
            "approval_order": "parallel",
            "ack_days": 7,
        }


class DocumentAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Document
    url_prefix = "documents:document"
    api_basename = "document"
    api_list_query_count = 5

    def make(self, org: Any, actor: Any) -> Document:
        return make_document(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "title": "Packing of machined parts",
            "doc_type": "work_instruction",
            "owner": self.owner.pk,
            "text": "Wrap in VCI paper.",
        }

    def api_update_data(self, obj: Document) -> dict[str, Any]:
        return {"review_interval_months": 6}


class RecordTypeViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = RecordType
    url_prefix = "documents:recordtype"
    list_query_count = 5

    def make(self, org: Any, actor: Any) -> RecordType:
        return make_record_type(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {"name": "Calibration certificates", "retention_months": 72, "disposal_method": "archive"}

    def update_data(self, obj: RecordType) -> dict[str, Any]:
        return {"name": obj.name, "retention_months": 36, "disposal_method": "shred"}


class RecordViewTests(ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update):
    model = Record
    url_prefix = "documents:record"
    reader = "viewer"
    list_query_count = 6

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from qualitas.core import audit

        with audit.context("cli"):
            cls.rtype = make_record_type(cls.org_a, cls.manager, name="Training records")

    def make(self, org: Any, actor: Any) -> Record:
        return make_record(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "record_type": self.rtype.pk,
            "title": "Training attendance 2026-03",
            "record_date": "2026-03-10",
        }

    def update_data(self, obj: Record) -> dict[str, Any]:
        return {
            "record_type": obj.record_type_id,
            "title": obj.title,
            "record_date": "2024-01-31",
            "location": "Archive room",
        }


class RecordAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Record
    url_prefix = "documents:record"
    api_basename = "record"
    api_list_query_count = 3

    def make(self, org: Any, actor: Any) -> Record:
        return make_record(org, actor)

    def api_data(self) -> dict[str, Any]:
        from qualitas.core import audit

        with audit.context("cli"):
            rtype = make_record_type(self.org_a, self.manager)
        return {"record_type": rtype.pk, "title": "Router cards week 12", "record_date": "2026-03-20"}

    def api_update_data(self, obj: Record) -> dict[str, Any]:
        return {"location": "Shelf 4"}
