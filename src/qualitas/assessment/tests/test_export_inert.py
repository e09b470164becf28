from django.urls import reverse

from qualitas.assessment import queries, services
from qualitas.assessment.tests.factories import rating_assessment
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import InertExportCase


class AssessmentExportTests(InertExportCase, QualitasTestCase):
    # Comments are stored stripped, so a leading tab or carriage return never reaches this export.
    payloads = ("=1+2", "+SUM(A1)", "-1", "@x", '=HYPERLINK("http://x")')

    def make_payload_records(self, payloads: tuple[str, ...]) -> None:
        self.assessment = rating_assessment(self.org_a, self.manager)
        elements = list(queries.elements_in_scope(self.assessment)[: len(payloads)])
        for element, text in zip(elements, payloads, strict=True):
            services.save_rating(self.assessment, actor=self.manager, element=element, level=3, comment=text)
        services.transition_assessment(self.assessment, "open_consensus", actor=self.manager)

    def export_urls(self) -> list[tuple[str, str]]:
        pk = self.assessment.pk
        return [
            (reverse("assessment:assessment_export_csv", args=[pk]), "csv"),
            (reverse("assessment:assessment_export_xlsx", args=[pk]), "xlsx"),
        ]
