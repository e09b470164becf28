from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.core.models import Attachment
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement.models import Nonconformity

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


class OperatorReportTests(QualitasTestCase):
    def test_a_member_reports_with_a_photo_in_one_post(self) -> None:
        self.login(self.member)
        page = self.client.get(reverse("improvement:report"))
        self.assertContains(page, 'capture="environment"')
        response = self.client.post(
            reverse("improvement:report"),
            {
                "title": "Burr on edge",
                "severity": "major",
                "product": "Pin P-6",
                "quantity": "5",
                "containment": "Tagged red",
                "photo": SimpleUploadedFile("burr.png", PNG, content_type="image/png"),
            },
        )
        nc = Nonconformity.objects.get(organization=self.org_a)
        self.assertRedirects(response, nc.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(
            (nc.source, nc.severity, nc.detected_by, nc.containment),
            ("process", "major", self.member, "Tagged red"),
        )
        self.assertTrue(Attachment.objects.filter(organization=self.org_a, object_id=nc.pk).exists())

    def test_empty_report_is_a_400_and_a_viewer_cannot_report(self) -> None:
        self.login(self.member)
        self.assertEqual(
            self.client.post(reverse("improvement:report"), {"severity": "minor"}).status_code, 400
        )
        self.login(self.viewer)
        self.assertEqual(self.client.get(reverse("improvement:report")).status_code, 403)
        self.assertFalse(Nonconformity.objects.exists())
