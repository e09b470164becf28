"""Control limits are computed from a baseline, locked, and only recomputed or thinned with a reason."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.testing import QualitasTestCase
from qualitas.production import analysis, services
from qualitas.production.tests.factories import make_characteristic, make_lot

BASE = [[10.0, 10.02, 9.98, 10.01, 9.99], [10.01, 10.0, 10.0, 9.99, 10.02], [9.98, 10.0, 10.01, 10.0, 10.0]]


class LimitTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.ch = make_characteristic(self.org_a, self.manager, signal_action="none")
            self.lot = make_lot(self.org_a, self.manager, product=self.ch.product)
        for sub in BASE:
            services.import_readings(
                organization=self.org_a,
                actor=self.member,
                rows=[{"characteristic": self.ch, "lot": self.lot, "value": v} for v in sub],
            )

    def test_locking_stores_the_x_bar_r_limits_of_the_baseline(self) -> None:
        services.lock_limits(self.ch, actor=self.manager, first=1, last=3)
        means = [sum(s) / 5 for s in BASE]
        ranges = [max(s) - min(s) for s in BASE]
        grand, rbar = sum(means) / 3, sum(ranges) / 3
        self.assertAlmostEqual(self.ch.center, grand)
        self.assertAlmostEqual(self.ch.ucl, grand + 0.577 * rbar, places=3)
        self.assertAlmostEqual(self.ch.spread_ucl, 2.114 * rbar, places=3)
        self.assertEqual((self.ch.baseline_first, self.ch.baseline_last), (1, 3))
        self.assertEqual(self.last_event().action, "characteristic.lock_limits")

    def test_recomputing_locked_limits_needs_a_reason(self) -> None:
        services.lock_limits(self.ch, actor=self.manager)
        with self.assertRaises(ValidationError):
            services.lock_limits(self.ch, actor=self.manager, first=1, last=2)
        services.lock_limits(self.ch, actor=self.manager, first=1, last=2, reason="New spindle fitted")
        self.assertEqual(self.last_event().reason, "New spindle fitted")

    def test_new_readings_do_not_move_locked_limits(self) -> None:
        services.lock_limits(self.ch, actor=self.manager)
        ucl = self.ch.ucl
        services.import_readings(
            organization=self.org_a,
            actor=self.member,
            rows=[{"characteristic": self.ch, "lot": self.lot, "value": 10.04}] * 5,
        )
        self.ch.refresh_from_db()
        view = analysis.chart_view(self.ch)
        self.assertEqual(self.ch.ucl, ucl)
        self.assertTrue(view.locked)
        self.assertEqual(float(view.ucl[0]), ucl)

    def test_excluding_a_point_needs_a_reason_is_audited_and_leaves_it_out(self) -> None:
        with self.assertRaises(ValidationError):
            services.exclude_point(self.ch, actor=self.manager, subgroup=2, reason=" ")
        services.exclude_point(self.ch, actor=self.manager, subgroup=2, reason="Gauge dropped")
        event = self.last_event()
        self.assertEqual((event.action, event.reason), ("excludedpoint.create", "Gauge dropped"))
        self.assertEqual(analysis.load_series(self.ch).subgroups.tolist(), [1, 3])

    def test_an_operator_cannot_lock_limits(self) -> None:
        with self.assertRaises(NotAllowed):
            services.lock_limits(self.ch, actor=self.member)

    def test_characteristic_page_shows_the_chart_capability_and_histogram(self) -> None:
        services.lock_limits(self.ch, actor=self.manager)
        self.login(self.viewer)
        response = self.client.get(self.ch.get_absolute_url())
        self.assertContains(response, "<svg", count=3)
        self.assertContains(response, "UCL")
        self.assertContains(response, "Cpk (within)")

    def test_changing_the_chart_type_unlocks_the_limits(self) -> None:
        services.lock_limits(self.ch, actor=self.manager)
        services.update_characteristic(self.ch, actor=self.manager, data={"chart_type": "xbar_s"})
        self.assertFalse(self.ch.limits_locked)

    def test_lock_through_the_page(self) -> None:
        self.login(self.manager)
        response = self.client.post(reverse("production:characteristic_lock", args=[self.ch.pk]), {})
        self.assertEqual(response.status_code, 302)
        self.ch.refresh_from_db()
        self.assertTrue(self.ch.limits_locked)

    def test_lock_through_the_page_is_refused_to_an_operator_before_anything_runs(self) -> None:
        self.login(self.member)
        response = self.client.post(reverse("production:characteristic_lock", args=[self.ch.pk]), {})
        self.assertEqual(response.status_code, 403)
        self.ch.refresh_from_db()
        self.assertFalse(self.ch.limits_locked)

    def test_exclude_through_the_page_needs_a_reason_and_keeps_the_input(self) -> None:
        self.login(self.manager)
        url = reverse("production:characteristic_exclude", args=[self.ch.pk])
        response = self.client.post(url, {"subgroup": 2, "reason": ""})
        self.assertContains(response, 'value="2"', status_code=400)
        response = self.client.post(url, {"subgroup": 2, "reason": "Gauge dropped"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(analysis.load_series(self.ch).subgroups.tolist(), [1, 3])
