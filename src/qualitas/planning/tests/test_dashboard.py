import datetime as dt

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.planning import services
from qualitas.planning.choices import MeasurementSource
from qualitas.planning.tests.factories import make_kpi, make_objective, make_process, make_risk
from qualitas.planning.tests.test_crud import NO_CACHE


def months(n: int) -> list[dt.date]:
    return [dt.date(2000 + i // 12, i % 12 + 1, 1) for i in range(n)]


class PerformanceDashboardTests(QualitasTestCase):
    def setUp(self) -> None:
        self.process = make_process(self.org_a, self.admin)
        self.objective = make_objective(self.org_a, self.manager)
        self.kpis = [
            make_kpi(self.org_a, self.manager, process=self.process, objective=self.objective)
            for _ in range(3)
        ]
        make_risk(self.org_a, self.manager, likelihood=5, impact=5)

    def fill(self, per_kpi: int) -> None:
        for kpi in self.kpis:
            existing = kpi.measurements.count()
            rows = [
                {"kpi": kpi, "period": p, "value": 90 + (i % 10)}
                for i, p in enumerate(months(existing + per_kpi)[existing:])
            ]
            services.record_measurements(
                self.org_a, actor=self.manager, rows=rows, source=MeasurementSource.DEMO
            )

    def count_queries(self) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("planning:dashboard"))
        self.assertEqual(response.status_code, 200)
        return len(ctx)

    @override_settings(CACHES=NO_CACHE)  # the figures themselves, not the cached page body
    def test_query_count_does_not_grow_with_measurements(self) -> None:
        self.login(self.viewer)
        self.fill(2)
        self.client.get(reverse("planning:dashboard"))
        few = self.count_queries()
        self.fill(60)
        many = self.count_queries()
        self.assertEqual(few, many)
        self.assertLessEqual(many, 12)

    def test_dashboard_shows_status_sparklines_and_risks(self) -> None:
        self.fill(12)
        self.login(self.viewer)
        response = self.client.get(reverse("planning:dashboard"))
        self.assertContains(response, 'class="sparkline"', count=3)
        self.assertContains(response, self.objective.get_absolute_url())
        self.assertContains(response, self.process.get_absolute_url())
        self.assertContains(response, "Open risks and opportunities by current level")

    def test_sparklines_carry_only_the_last_twelve_values(self) -> None:
        from qualitas.planning.queries import recent_values

        self.fill(30)
        recent = recent_values([k.pk for k in self.kpis], 12)
        self.assertEqual({len(v) for v in recent.values()}, {12})
        last = max(p for p, _v in recent[self.kpis[0].pk])
        self.assertEqual(last, months(30)[-1])
