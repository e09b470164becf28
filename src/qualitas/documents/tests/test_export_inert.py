from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import InertExportCase
from qualitas.documents.tests.factories import make_document


class MasterListExportTests(InertExportCase, QualitasTestCase):
    def make_payload_records(self, payloads: tuple[str, ...]) -> None:
        for text in payloads:
            make_document(self.org_a, self.manager, title=text, tags=text)

    def export_urls(self) -> list[tuple[str, str]]:
        url = reverse("documents:document_list")
        return [(f"{url}?export=csv", "csv"), (f"{url}?export=xlsx", "xlsx")]
