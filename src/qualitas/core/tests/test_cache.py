"""Dashboard figures are cached only for as long as the organization's data is unchanged."""

import datetime as dt
from unittest import mock

from django.core.cache import cache as django_cache
from django.urls import reverse

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, cache
from qualitas.core.testing import QualitasTestCase


class OrganizationCacheTests(QualitasTestCase):
    def setUp(self) -> None:
        django_cache.clear()
        self.calls = 0

    def compute(self) -> int:
        self.calls += 1
        return self.calls

    def test_same_state_same_figures_any_write_recomputes(self) -> None:
        self.assertEqual(cache.for_organization(self.org_a, "x", self.compute), 1)
        self.assertEqual(cache.for_organization(self.org_a, "x", self.compute), 1)
        with audit.context("cli"):
            make_action(self.org_a, self.manager)
        self.assertEqual(cache.for_organization(self.org_a, "x", self.compute), 2)
        # Another organization's state is its own.
        self.assertEqual(cache.for_organization(self.org_b, "x", self.compute), 3)
        self.assertEqual(cache.for_organization(self.org_a, "x", self.compute), 2)

    def test_a_new_day_recomputes(self) -> None:
        cache.for_organization(self.org_a, "x", self.compute)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        with mock.patch("qualitas.core.cache.timezone.localdate", return_value=tomorrow):
            self.assertEqual(cache.for_organization(self.org_a, "x", self.compute), 2)

    def test_the_home_page_shows_a_new_nonconformity_at_once(self) -> None:
        from qualitas.improvement.tests.factories import make_nc

        self.login(self.manager)
        before = self.client.get(reverse("core:home")).context["tiles"]
        with audit.context("cli"):
            make_nc(self.org_a, self.manager)
        after = self.client.get(reverse("core:home")).context["tiles"]

        def open_ncs(tiles: list[dict]) -> int:
            [tile] = [t for t in tiles if t.get("template") == "improvement/partials/_tile.html"]
            return tile["figures"]["open"]

        self.assertEqual(open_ncs(after), open_ncs(before) + 1)
