from typing import Any

from qualitas.core import audit
from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.documents.models import Document, Record, RecordType
from qualitas.documents.tests.factories import make_record_type


class DocumentTests(ViewTestCases.Crud, APITestCases.Crud):
    model = Document
    list_query_count = 8
    api_list_query_count = 5

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


class RecordTypeTests(ViewTestCases.Crud, APITestCases.Crud, APITestCases.Delete):
    model = RecordType
    list_query_count = 5
    api_list_query_count = 3

    def form_data(self) -> dict[str, Any]:
        return {"name": "Calibration certificates", "retention_months": 72, "disposal_method": "archive"}


class RecordTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, APITestCases.Crud
):
    model = Record
    list_query_count = 6
    api_list_query_count = 3

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"):
            cls.rtype = make_record_type(cls.org_a, cls.manager, name="Training records")

    def form_data(self) -> dict[str, Any]:
        return {
            "record_type": self.rtype.pk,
            "title": "Training attendance 2026-03",
            "record_date": "2026-03-10",
        }
