from typing import Any

from django.urls import reverse

from qualitas.audits.models import Audit, Auditor, AuditProgramme, ChecklistItem, Finding
from qualitas.audits.tests.factories import make_audit, make_auditor, make_finding, make_item, make_programme
from qualitas.core import audit as trail
from qualitas.core.testing.cases import APITestCases, ViewTestCases


class AuditViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = Audit
    url_prefix = "audits:audit"
    list_query_count = 6

    def make(self, org: Any, actor: Any) -> Audit:
        return make_audit(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {"title": "Production audit", "planned_start": "2026-04-01", "planned_hours": "6"}

    def update_data(self, obj: Audit) -> dict[str, Any]:
        return {"title": obj.title + " (revised)", "planned_start": "2026-04-02", "planned_hours": "8"}


class AuditAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Audit
    url_prefix = "audits:audit"
    api_list_query_count = 9
    api_basename = "audit"

    def make(self, org: Any, actor: Any) -> Audit:
        return make_audit(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"title": "Design audit", "planned_start": "2026-05-04", "criteria": ["8.4", "9.2"]}

    def api_update_data(self, obj: Audit) -> dict[str, Any]:
        return {"scope": "Purchasing and receiving"}


class ProgrammeViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = AuditProgramme
    url_prefix = "audits:programme"

    def make(self, org: Any, actor: Any) -> AuditProgramme:
        return make_programme(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {"title": "Programme 2026–2028", "period_start": "2026-01-01", "period_end": "2028-12-31"}

    def update_data(self, obj: AuditProgramme) -> dict[str, Any]:
        return {"title": obj.title + " rev", "period_start": "2025-01-01", "period_end": "2027-12-31"}


class ProgrammeAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create):
    model = AuditProgramme
    url_prefix = "audits:programme"
    api_list_query_count = 3
    api_basename = "auditprogramme"

    def make(self, org: Any, actor: Any) -> AuditProgramme:
        return make_programme(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"title": "Programme", "period_start": "2026-01-01", "period_end": "2026-12-31"}


class FindingViewTests(ViewTestCases.List, ViewTestCases.Detail):
    model = Finding
    url_prefix = "audits:finding"
    list_query_count = 6

    def make(self, org: Any, actor: Any) -> Finding:
        return make_finding(org, actor)


class FindingAPITests(APITestCases.List, APITestCases.Detail):
    model = Finding
    url_prefix = "audits:finding"
    api_list_query_count = 3
    api_basename = "finding"

    def make(self, org: Any, actor: Any) -> Finding:
        return make_finding(org, actor)


class AuditsHomeTests(ViewTestCases.List):
    model = Audit
    url_prefix = "audits:audit"
    list_query_count = 6

    def make(self, org: Any, actor: Any) -> Audit:
        return make_audit(org, actor)

    def test_home_page_lists_next_audits(self) -> None:
        audit = self.make_a()
        self.login(self.viewer)
        response = self.client.get(reverse("audits:home"))
        self.assertContains(response, audit.reference)


class AuditorViewTests(ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create):
    model = Auditor
    url_prefix = "audits:auditor"
    list_query_count = 6

    def make(self, org: Any, actor: Any) -> Auditor:
        return make_auditor(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {"user": self.member.pk, "qualifications": "Two-day course", "is_active": "on"}

    def test_auditor_list_shows_planned_hours(self) -> None:
        from decimal import Decimal

        auditor = self.make_a()
        with trail.context("cli"):
            make_audit(self.org_a, self.manager, lead_auditor=auditor, planned_hours=Decimal("7.5"))
        self.login(self.viewer)
        self.assertContains(self.client.get(reverse("audits:auditor_list")), "7.5")


class ChecklistItemViewTests(ViewTestCases.Detail):
    model = ChecklistItem
    url_prefix = "audits:checklist_item"

    def make(self, org: Any, actor: Any) -> ChecklistItem:
        return make_item(org, actor)


class CoveragePageTests(ViewTestCases.Detail):
    model = AuditProgramme
    url_prefix = "audits:programme"

    def make(self, org: Any, actor: Any) -> AuditProgramme:
        return make_programme(org, actor)

    def test_coverage_page_names_the_gaps(self) -> None:
        from qualitas.planning.services import create_process

        programme = self.make_a()
        with trail.context("cli"):
            create_process(organization=self.org_a, actor=self.manager, data={"code": "P01", "name": "Sales"})
        self.login(self.viewer)
        response = self.client.get(reverse("audits:programme_coverage", args=[programme.pk]))
        self.assertContains(response, "Processes not covered")
        self.assertContains(response, "P01 Sales")
        self.assertContains(response, "<svg", html=False)
        theirs = self.make_b()
        self.assertEqual(
            self.client.get(reverse("audits:programme_coverage", args=[theirs.pk])).status_code, 404
        )
