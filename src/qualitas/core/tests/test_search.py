from django.urls import reverse

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase


class SearchTests(QualitasTestCase):
    def test_search_finds_own_records_only(self) -> None:
        with audit.context("cli"):
            mine = make_action(self.org_a, self.manager, title="Torque wrench calibration")
            theirs = make_action(self.org_b, self.outsider, title="Torque wrench repair")
        self.login(self.viewer)
        response = self.client.get(reverse("core:search"), {"q": "torque"})
        self.assertContains(response, mine.get_absolute_url())
        self.assertNotContains(response, theirs.get_absolute_url())

    def test_a_one_letter_query_searches_nothing(self) -> None:
        self.login(self.viewer)
        self.assertContains(self.client.get(reverse("core:search"), {"q": "t"}), "at least two characters")
