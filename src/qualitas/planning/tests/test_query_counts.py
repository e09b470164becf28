"""Planning pages read a fixed number of queries whatever the number of rows, and their cached
figures follow every write (core/cache.py keys them by the organization's audit chain head)."""

import datetime as dt
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.planning import queries, services
from qualitas.planning.choices import MeasurementSource
from qualitas.planning.tests.factories import make_kpi, make_objective, make_process, make_risk


def months(n: int, start: int = 0) -> list[dt.date]:
    return [dt.date(2000 + i // 12, i % 12 + 1, 1) for i in range(start, start + n)]


class _Counting(QualitasTestCase):
    def setUp(self) -> None:
        cache.clear()

    def queries_of(self, url: str) -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx), response

    def warm_count(self, url: str) -> int:
        self.client.get(url)  # warm caches (content types, session, the organization's figures)
        return self.queries_of(url)[0]

    def measure(self, kpi: Any, periods: list[dt.date]) -> None:
        rows = [{"kpi": kpi, "period": p, "value": 90 + i % 10} for i, p in enumerate(periods)]
        services.record_measurements(self.org_a, actor=self.manager, rows=rows, source=MeasurementSource.DEMO)


class RiskListTests(_Counting):
    def test_query_count_does_not_grow_with_risks(self) -> None:
        make_risk(self.org_a, self.manager)
        self.login(self.viewer)
        url = reverse("planning:risk_list")
        few = self.warm_count(url)
        for _ in range(8):
            make_risk(self.org_a, self.manager, likelihood=2, impact=5)
        self.assertEqual(self.warm_count(url), few)

    def test_heat_map_follows_every_write(self) -> None:
        make_risk(self.org_a, self.manager, likelihood=1, impact=1)
        self.login(self.viewer)
        url = reverse("planning:risk_list")
        cell = "likelihood=4&amp;impact=2"
        self.assertNotContains(self.client.get(url), cell)
        risk = make_risk(self.org_a, self.manager, likelihood=4, impact=2)
        self.assertContains(self.client.get(url), cell)
        services.transition_risk(risk, "close", actor=self.manager, reason="Supplier replaced")
        self.assertNotContains(self.client.get(url), cell)


class ProcessDetailTests(_Counting):
    def test_lists_the_first_risks_and_links_to_all_of_them(self) -> None:
        process = make_process(self.org_a, self.manager)
        for _ in range(5):
            make_risk(self.org_a, self.manager, process=process)
        self.login(self.viewer)
        with mock.patch("qualitas.planning.views.common.RELATED_ROWS", 3):
            _n, response = self.queries_of(process.get_absolute_url())
        self.assertEqual(len(response.context["risks"]), 3)
        self.assertEqual(response.context["risk_count"], 5)
        self.assertContains(response, f"{reverse('planning:risk_list')}?process={process.pk}")
        self.assertContains(response, "See all 5 in the register")

    def test_short_lists_have_no_link_to_the_register(self) -> None:
        process = make_process(self.org_a, self.manager)
        make_risk(self.org_a, self.manager, process=process)
        make_objective(self.org_a, self.manager, process=process)
        self.login(self.viewer)
        response = self.client.get(process.get_absolute_url())
        self.assertEqual(response.context["risk_count"], 1)
        self.assertEqual(response.context["objective_count"], 1)
        self.assertNotContains(response, "in the register")

    def test_query_count_does_not_grow_with_risks_objectives_and_kpis(self) -> None:
        process = make_process(self.org_a, self.manager)

        def add(n: int) -> None:
            for _ in range(n):
                make_risk(self.org_a, self.manager, process=process)
                make_objective(self.org_a, self.manager, process=process)
                self.measure(make_kpi(self.org_a, self.manager, process=process), months(3))

        add(4)
        self.login(self.viewer)
        with mock.patch("qualitas.planning.views.common.RELATED_ROWS", 3):
            few = self.warm_count(process.get_absolute_url())
            add(6)
            self.assertEqual(self.warm_count(process.get_absolute_url()), few)


class DashboardTests(_Counting):
    def test_query_count_does_not_grow_with_kpis_objectives_and_risks(self) -> None:
        url = reverse("planning:dashboard")

        def add(n: int) -> None:
            for i in range(n):
                objective = make_objective(self.org_a, self.manager)
                kpi = make_kpi(
                    self.org_a,
                    self.manager,
                    objective=objective,
                    process=make_process(self.org_a, self.manager),
                )
                self.measure(kpi, months(5 + 4 * i, start=i))  # series of unlike lengths and ends
                make_risk(self.org_a, self.manager)

        add(2)
        self.login(self.viewer)
        with CaptureQueriesContext(connection) as cold_few:
            self.client.get(url)
        warm_few = self.queries_of(url)[0]
        add(6)
        with CaptureQueriesContext(connection) as cold_many:
            self.client.get(url)
        self.assertEqual(len(cold_few), len(cold_many))
        self.assertEqual(self.queries_of(url)[0], warm_few)
        self.assertLess(warm_few, len(cold_few))

    def test_cached_page_follows_every_write(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, name="Scrap rate")
        self.measure(kpi, months(2))
        self.login(self.viewer)
        url = reverse("planning:dashboard")
        self.assertContains(self.client.get(url), "Scrap rate")
        cached = self.client.get(url)  # from the cache: still markup, not escaped text
        self.assertContains(cached, '<table class="list">')
        self.assertContains(cached, 'class="sparkline"', count=1)
        make_kpi(self.org_a, self.manager, name="First-pass yield")
        response = self.client.get(url)
        self.assertContains(response, "First-pass yield")
        self.assertContains(response, "1 without data")

    def test_every_member_sees_the_same_figures(self) -> None:
        self.measure(make_kpi(self.org_a, self.manager, name="Scrap rate"), months(2))
        self.login(self.manager)
        first = self.client.get(reverse("planning:dashboard"))
        self.login(self.viewer)
        second = self.client.get(reverse("planning:dashboard"))
        self.assertContains(first, "Scrap rate")
        self.assertContains(second, "Scrap rate")


class RecentValuesTests(_Counting):
    def test_each_series_keeps_its_own_last_values(self) -> None:
        short = make_kpi(self.org_a, self.manager)
        self.measure(short, months(4))
        monthly = make_kpi(self.org_a, self.manager)
        self.measure(monthly, months(30))
        late = make_kpi(self.org_a, self.manager)
        self.measure(late, months(20, start=40))
        same_end = make_kpi(self.org_a, self.manager)
        self.measure(same_end, months(15, start=15))
        with CaptureQueriesContext(connection) as ctx:
            recent = queries.recent_values([short.pk, monthly.pk, late.pk, same_end.pk], 12)
        self.assertEqual(len(ctx), 2)
        self.assertEqual([p for p, _v in recent[short.pk]], months(4))
        self.assertEqual([p for p, _v in recent[monthly.pk]], months(30)[-12:])
        self.assertEqual([p for p, _v in recent[late.pk]], months(20, start=40)[-12:])
        self.assertEqual([p for p, _v in recent[same_end.pk]], months(30)[-12:])

    def test_many_calendars_share_branches_and_keep_exact_series(self) -> None:
        kpis = [make_kpi(self.org_a, self.manager) for _ in range(5)]
        for i, kpi in enumerate(kpis):
            self.measure(kpi, months(14 + i, start=3 * i))  # five different cut-off dates
        expected = {k.pk: queries.recent_values([k.pk], 12)[k.pk] for k in kpis}
        with mock.patch.object(queries, "RECENT_BRANCHES", 2), CaptureQueriesContext(connection) as ctx:
            recent = queries.recent_values([k.pk for k in kpis], 12)
        self.assertEqual(len(ctx), 2)
        self.assertEqual(dict(recent), expected)
        self.assertEqual({len(v) for v in recent.values()}, {12})


class RiskFilterFormTests(QualitasTestCase):
    def test_hidden_heat_map_filters_carry_no_visible_label(self) -> None:
        self.login(self.member)
        response = self.client.get(reverse("planning:risk_list"), {"likelihood": 3, "impact": 2})
        self.assertContains(response, 'type="hidden" name="likelihood" value="3"')
        self.assertNotContains(response, 'for="id_likelihood"')
        self.assertNotContains(response, 'for="id_impact"')
        self.assertContains(response, 'for="id_status"')
