from django.urls import reverse

from qualitas.core import audit
from qualitas.core.registry import registry
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement.tests.factories import make_lesson, make_nc


class LessonsTests(QualitasTestCase):
    def test_knowledge_base_searches_words_and_tags(self) -> None:
        with audit.context("cli"):
            make_lesson(
                self.org_a,
                self.manager,
                title="Label gauges",
                summary="Due date on the gauge.",
                tags="calibration",
            )
            make_lesson(
                self.org_a, self.manager, title="Count tool life", summary="Counters.", tags="tool wear"
            )
            make_lesson(self.org_b, self.outsider, title="Calibration elsewhere", tags="calibration")
        self.login(self.viewer)
        response = self.client.get(reverse("improvement:lesson_list") + "?q=calibration")
        self.assertContains(response, "Label gauges")
        self.assertNotContains(response, "Count tool life")
        self.assertNotContains(response, "elsewhere")

    def test_global_search_source_finds_lessons_and_ncs_of_the_organization_only(self) -> None:
        with audit.context("cli"):
            make_lesson(self.org_a, self.manager, title="Bore lesson")
            make_nc(self.org_b, self.outsider, title="Bore in B")
        source = next(s for s in registry.search_sources if s.key == "improvement")
        hits = source.search(self.org_a, self.viewer, "Bore", 10)
        self.assertEqual([h[0] for h in hits], ["Lesson: Bore lesson"])
        self.assertEqual(source.search(self.org_a, self.outsider, "Bore", 10), [])

    def test_a_closed_nc_page_offers_to_publish_a_lesson_linked_to_it(self) -> None:
        from qualitas.improvement import services

        with audit.context("cli"):
            nc = make_nc(self.org_a, self.manager)
        self.login(self.manager)
        self.client.post(
            reverse("improvement:nonconformity_lesson", args=[nc.pk]),
            {"title": "Lesson one", "summary": "Text", "tags": "a, b ,"},
        )
        lesson = nc.lessons.get()
        self.assertEqual(lesson.tags, "a, b")
        self.assertIsNotNone(lesson.published_at)
        self.assertTrue(services)
