from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import InertExportCase
from qualitas.improvement.tests.factories import make_nc


class NonconformityExportTests(InertExportCase, QualitasTestCase):
    def make_payload_records(self, payloads: tuple[str, ...]) -> None:
        for text in payloads:
            make_nc(self.org_a, self.manager, title=text, product=text, lot=text)

    def export_urls(self) -> list[tuple[str, str]]:
        return [(reverse("improvement:export", args=[fmt]), fmt) for fmt in ("csv", "xlsx")]
