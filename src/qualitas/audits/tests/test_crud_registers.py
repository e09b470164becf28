"""CRUD pages and endpoints of the audit registers beside the audits: auditors, checklist items and
checklist templates."""

from typing import Any

from qualitas.audits.models import Auditor, ChecklistItem, ChecklistTemplate
from qualitas.audits.tests.factories import make_audit
from qualitas.core.testing.cases import APITestCases, ViewTestCases


class AuditorAPITests(APITestCases.Crud, APITestCases.Delete):
    model = Auditor

    def api_data(self) -> dict[str, Any]:
        return {"user": self.member.pk, "qualifications": "Lead auditor course", "trained_on": "2025-09-01"}

    def api_update_data(self, obj: Auditor) -> dict[str, Any]:
        return {"qualifications": "Lead auditor course; ISO 19011 refresher"}


class ChecklistItemAPITests(APITestCases.Crud, APITestCases.Delete):
    model = ChecklistItem

    def api_data(self) -> dict[str, Any]:
        audit = make_audit(self.org_a, self.manager)
        return {"audit": audit.pk, "clause": "8.4", "question": "How are outsourced processes controlled?"}

    def api_update_data(self, obj: ChecklistItem) -> dict[str, Any]:
        return {"result": "conforming", "notes": "Supplier list dated and signed"}


class ChecklistTemplateViewTests(ViewTestCases.Crud):
    model = ChecklistTemplate
    url_prefix = "audits:template"

    def form_data(self) -> dict[str, Any]:
        return {
            "name": "Production checklist",
            "description": "Questions for the shop floor",
            "questions_text": "8.5.1 | Are work instructions at the workplace?\nIs the gauge calibrated?",
        }
