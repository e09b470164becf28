from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import InertExportCase
from qualitas.standards.tests.factories import make_requirement


class RequirementStatusExportTests(InertExportCase, QualitasTestCase):
    def make_payload_records(self, payloads: tuple[str, ...]) -> None:
        for text in payloads:
            make_requirement(self.org_a, self.manager, notes=text)

    def export_urls(self) -> list[tuple[str, str]]:
        return [(reverse("standards:requirement_export", args=[fmt]), fmt) for fmt in ("csv", "xlsx")]
