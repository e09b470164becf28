import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import Kpi, Objective
from qualitas.planning.tests.factories import make_objective, make_process


def upload(text: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("kpis.xlsx", buf.getvalue())


class ObjectiveImportTests(QualitasTestCase):
    def test_a_good_file_creates_numbered_objectives_with_audit_events(self) -> None:
        make_process(self.org_a, self.admin, code="COR-01")
        self.login(self.manager)
        csv = (
            "title,target,owner,process,due date,status\n"
            "On-time delivery,95 % every month,owner,COR-01,2026-12-31,active\n"
            "Fewer complaints,Under 5 a quarter,Manager,,,\n"
        )
        response = self.client.post(
            reverse("planning:register_import", args=["objectives"]), {"file": upload(csv)}
        )
        self.assertEqual(response.status_code, 302, response.content[-2000:])
        first = Objective.objects.get(organization=self.org_a, title="On-time delivery")
        self.assertEqual(
            (first.owner, first.process.code, str(first.due_date)), (self.owner, "COR-01", "2026-12-31")
        )
        self.assertTrue(first.reference.startswith("OBJ-"))
        self.assertEqual(Objective.objects.filter(organization=self.org_a).count(), 2)
        created = AuditEvent.objects.filter(organization=self.org_a, action="objective.create")
        self.assertEqual(created.count(), 2)

    def test_unknown_owner_or_process_imports_nothing_and_names_the_rows(self) -> None:
        self.login(self.manager)
        csv = (
            "title,target,owner,process,status\n"
            "Good row,95 %,owner,,\n"
            "Stranger,95 %,outsider,,\n"
            "No such process,95 %,owner,XYZ,\n"
            "Bad status,95 %,owner,,someday\n"
        )
        response = self.client.post(
            reverse("planning:register_import", args=["objectives"]), {"file": upload(csv)}
        )
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        self.assertIn("Row 3: owner:", body)
        self.assertIn("Row 4: process: no process with the code “XYZ”", body)
        self.assertIn("Row 5: status:", body)
        self.assertNotIn("Row 2:", body)
        self.assertFalse(Objective.objects.filter(organization=self.org_a).exists())

    def test_the_objective_register_links_to_its_import(self) -> None:
        self.login(self.manager)
        body = self.client.get(reverse("planning:objective_list")).content.decode()
        self.assertIn(reverse("planning:register_import", args=["objectives"]), body)


class KpiImportTests(QualitasTestCase):
    def test_a_good_xlsx_creates_kpis_linked_to_processes_and_objectives(self) -> None:
        make_process(self.org_a, self.admin, code="COR-01")
        objective = make_objective(self.org_a, self.manager)
        self.login(self.manager)
        file = xlsx(
            [
                [
                    "code",
                    "name",
                    "unit",
                    "direction",
                    "target",
                    "warning",
                    "alarm",
                    "frequency",
                    "owner",
                    "process",
                    "objective",
                ],
                [
                    "OTD",
                    "On-time delivery",
                    "%",
                    "higher",
                    95,
                    93,
                    90,
                    "monthly",
                    "owner",
                    "COR-01",
                    objective.reference,
                ],
                [
                    "PPM",
                    "Defects",
                    "ppm",
                    "Lower is better",
                    "500",
                    "600",
                    "800,5",
                    "quarterly",
                    "manager",
                    "",
                    "",
                ],
            ]
        )
        response = self.client.post(reverse("planning:register_import", args=["kpis"]), {"file": file})
        self.assertEqual(response.status_code, 302, response.content[-2000:])
        otd = Kpi.objects.get(organization=self.org_a, code="OTD")
        self.assertEqual((otd.owner, otd.process.code, otd.objective), (self.owner, "COR-01", objective))
        ppm = Kpi.objects.get(organization=self.org_a, code="PPM")
        self.assertEqual((ppm.direction, ppm.alarm, ppm.frequency), ("lower", 800.5, "quarterly"))
        self.assertEqual(AuditEvent.objects.filter(organization=self.org_a, action="kpi.create").count(), 2)

    def test_row_errors_for_owner_codes_numbers_and_direction_import_nothing(self) -> None:
        make_process(self.org_a, self.admin, code="COR-01")
        self.login(self.manager)
        csv = (
            "code,name,direction,target,warning,alarm,owner,process,objective\n"
            "OK1,Good row,higher,95,93,90,owner,COR-01,\n"
            "K2,Stranger,higher,95,,,outsider,,\n"
            "K3,No process,higher,95,,,owner,XYZ,\n"
            "K4,No objective,higher,95,,,owner,,OBJ-9999\n"
            "K5,Bad number,higher,ninety,,,owner,,\n"
            "K6,Bad direction,upwards,95,,,owner,,\n"
            "K7,Thresholds on the wrong side,higher,95,97,99,owner,,\n"
            "OK1,Duplicate code,higher,95,,,owner,,\n"
        )
        response = self.client.post(reverse("planning:register_import", args=["kpis"]), {"file": upload(csv)})
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        self.assertIn("Row 3: owner: “outsider” is not a member", body)
        self.assertIn("Row 4: process: no process with the code “XYZ”", body)
        self.assertIn("Row 5: objective: no objective with the reference “OBJ-9999”", body)
        self.assertIn("Row 6: target: “ninety” is not a number", body)
        self.assertIn("Row 7: direction: “upwards” is not one of higher, lower", body)
        self.assertIn("Row 8:", body)
        self.assertIn("Row 9:", body)
        self.assertNotIn("Row 2:", body)
        self.assertFalse(Kpi.objects.filter(organization=self.org_a).exists())
        self.assertFalse(AuditEvent.objects.filter(organization=self.org_a, action="kpi.create").exists())

    def test_another_organizations_objective_is_unknown(self) -> None:
        theirs = make_objective(self.org_b, self.outsider)
        self.login(self.manager)
        csv = f"code,name,target,owner,objective\nK1,Leak,95,owner,{theirs.reference}\n"
        response = self.client.post(reverse("planning:register_import", args=["kpis"]), {"file": upload(csv)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Row 2: objective: no objective", response.content.decode())

    def test_the_kpi_register_links_to_its_import_and_a_viewer_may_not_import(self) -> None:
        self.login(self.manager)
        body = self.client.get(reverse("planning:kpi_list")).content.decode()
        self.assertIn(reverse("planning:register_import", args=["kpis"]), body)
        self.login(self.viewer)
        self.assertEqual(self.client.get(reverse("planning:register_import", args=["kpis"])).status_code, 403)
