"""CSV/XLSX export and import of requirement statuses: row-level errors, all or nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import queries, services
from qualitas.standards.models import Requirement


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("statuses.csv", text.encode(), "text/csv")


class StatusImportTests(QualitasTestCase):
    def post(self, upload: SimpleUploadedFile):  # type: ignore[no-untyped-def]
        self.login(self.manager)
        return self.client.post(reverse("standards:requirement_import"), {"file": upload})

    def test_export_lists_every_auditable_clause(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("standards:requirement_export", args=["csv"]))
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        self.assertEqual(lines[0], "clause,title,applicable,status,owner,target_date,notes")
        self.assertEqual(len(lines) - 1, queries.auditable_clauses().count())
        xlsx = self.client.get(reverse("standards:requirement_export", args=["xlsx"]))
        self.assertTrue(xlsx.content.startswith(b"PK"))

    def test_a_valid_file_updates_statuses_with_audit_events(self) -> None:
        response = self.post(
            csv_file(
                "clause,status,owner,target_date,notes\n"
                "7.1.5.1,implemented,owner,2030-01-31,Register complete\n"
                "8.6,In progress,,,\n"
            )
        )
        self.assertEqual(response.status_code, 302)
        req = Requirement.objects.get(organization=self.org_a, clause__number="7.1.5.1")
        self.assertEqual(
            (req.status, req.owner, str(req.target_date)), ("implemented", self.owner, "2030-01-31")
        )
        self.assertEqual(
            Requirement.objects.get(organization=self.org_a, clause__number="8.6").status, "in_progress"
        )
        self.assertIn("requirement.update", [e.action for e in self.events_for(req)])

    def test_any_bad_row_imports_nothing_and_names_every_error_with_its_line(self) -> None:
        response = self.post(
            csv_file(
                "clause,status,owner,target_date\n"
                "7.1.5.1,implemented,,\n"
                "99.9,implemented,,\n"
                "8.5,implemented,,\n"
                "8.6,finished,,\n"
                "8.7.1,implemented,outsider,\n"
                "8.7.2,implemented,,31/12/2030\n"
                "7.1.5.1,in_progress,,\n"
            )
        )
        self.assertEqual(response.status_code, 400)
        errors = [row.line for row in response.context["rows"] if row.errors]
        self.assertEqual(errors, [3, 4, 5, 6, 7, 8])
        self.assertFalse(Requirement.objects.filter(organization=self.org_a).exists())

    def test_status_on_a_not_applicable_clause_is_a_row_error(self) -> None:
        with audit.context("cli"):
            services.set_applicability(
                self.org_a, "8.3", actor=self.manager, applicable=False, justification="No design."
            )
        response = self.post(csv_file("clause,status\n8.3.2,implemented\n"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "not applicable", status_code=400)

    def test_xlsx_round_trip(self) -> None:
        wb = Workbook()
        ws = wb.active
        ws.append(["clause", "status", "owner"])
        ws.append(["9.2.2", "verified", "auditor"])
        buf = io.BytesIO()
        wb.save(buf)
        response = self.post(SimpleUploadedFile("s.xlsx", buf.getvalue()))
        self.assertEqual(response.status_code, 302)
        req = Requirement.objects.get(organization=self.org_a, clause__number="9.2.2")
        self.assertEqual((req.status, req.owner), ("verified", self.auditor))

    def test_a_viewer_cannot_import(self) -> None:
        self.login(self.viewer)
        response = self.client.post(reverse("standards:requirement_import"), {"file": csv_file("clause\n")})
        self.assertEqual(response.status_code, 403)
