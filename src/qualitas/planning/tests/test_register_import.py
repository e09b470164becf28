from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import ContextIssue, InterestedParty, Process, Risk
from qualitas.planning.tests.factories import make_process


def upload(text: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


class RegisterImportTests(QualitasTestCase):
    def test_processes_and_then_risks_naming_them_are_imported(self) -> None:
        self.login(self.manager)
        csv = (
            "code,name,type,owner,clauses\n"
            "COR-01,Order handling,core,owner,8.2\nSUP-01,Maintenance,support,,7.1.3\n"
        )
        response = self.client.post(
            reverse("planning:register_import", args=["processes"]), {"file": upload(csv)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Process.objects.get(organization=self.org_a, code="COR-01").owner, self.owner)
        csv = (
            "kind,title,process,likelihood,impact,treatment,owner\n"
            "risk,Wrong drawing,COR-01,3,4,reduce,Owner\nopportunity,New market,,2,5,pursue,manager\n"
        )
        response = self.client.post(
            reverse("planning:register_import", args=["risks"]), {"file": upload(csv)}
        )
        self.assertEqual(response.status_code, 302, response.content[-2000:])
        risk = Risk.objects.get(organization=self.org_a, title="Wrong drawing")
        self.assertEqual((risk.inherent_score, risk.process.code), (12, "COR-01"))
        self.assertEqual(self.last_event().source, "web")

    def test_any_bad_row_imports_nothing_and_lists_the_rows(self) -> None:
        make_process(self.org_a, self.admin, code="COR-01")
        self.login(self.manager)
        csv = (
            "kind,title,process,likelihood,impact,treatment,owner\n"
            "risk,Good row,COR-01,3,4,reduce,owner\n"
            "risk,Bad treatment,,3,4,pursue,owner\n"
            "risk,Unknown process,XYZ,3,4,,owner\n"
            "risk,Out of scale,,9,1,,owner\n"
            "risk,Stranger,,1,1,,outsider\n"
        )
        response = self.client.post(
            reverse("planning:register_import", args=["risks"]), {"file": upload(csv)}
        )
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        for row in ("Row 3:", "Row 4:", "Row 5:", "Row 6:"):
            self.assertIn(row, body)
        self.assertNotIn("Row 2:", body)
        self.assertFalse(Risk.objects.filter(organization=self.org_a).exists())

    def test_context_and_parties_import(self) -> None:
        self.login(self.manager)
        csv = "title;category;type;climate relevant\nFloods;environmental;external;yes\n"
        self.client.post(reverse("planning:register_import", args=["context"]), {"file": upload(csv)})
        self.assertTrue(ContextIssue.objects.get(organization=self.org_a, title="Floods").climate_relevant)
        csv = "name,category,needs\nNeighbours,community,Quiet nights\n"
        self.client.post(reverse("planning:register_import", args=["parties"]), {"file": upload(csv)})
        self.assertTrue(InterestedParty.objects.filter(organization=self.org_a, name="Neighbours").exists())

    def test_viewer_cannot_import_and_unknown_registers_are_404(self) -> None:
        self.login(self.viewer)
        self.assertEqual(
            self.client.get(reverse("planning:register_import", args=["risks"])).status_code, 403
        )
        self.login(self.manager)
        self.assertEqual(
            self.client.get(reverse("planning:register_import", args=["measurements"])).status_code, 404
        )
