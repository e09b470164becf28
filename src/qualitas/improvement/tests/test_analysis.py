import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import analysis, services
from qualitas.improvement.models import Nonconformity
from qualitas.improvement.tests.factories import make_category, make_nc


class AnalysisTests(QualitasTestCase):
    def setUp(self) -> None:
        today = timezone.localdate()
        with audit.context("cli"):
            self.cat = make_category(self.org_a, self.manager, name="Tool wear")
            for age, cost in ((5, "100"), (40, "250.50"), (75, None), (120, "10")):
                nc = make_nc(
                    self.org_a,
                    self.manager,
                    detected_on=today - dt.timedelta(days=age),
                    cost=Decimal(cost) if cost else None,
                    due_date=today - dt.timedelta(days=1),
                )
                services.set_root_cause(nc, actor=self.manager, cause_category=self.cat)
            make_nc(self.org_b, self.outsider, cost=Decimal("999"))

    def test_summary_counts_ages_and_costs_in_one_organization(self) -> None:
        f = analysis.summary(Nonconformity.objects.filter(organization=self.org_a))
        self.assertEqual((f["total"], f["open"], f["overdue"]), (4, 4, 4))
        self.assertEqual(
            dict(f["aging"]), {"0–30 days": 1, "31–60 days": 1, "61–90 days": 1, "over 90 days": 1}
        )
        self.assertEqual(f["cost"], Decimal("360.50"))
        self.assertEqual(f["costed"], 3)

    def test_pareto_by_cause_and_cost(self) -> None:
        qs = Nonconformity.objects.filter(organization=self.org_a)
        self.assertEqual(analysis.pareto(qs, "cause_category__name"), [("Tool wear", 4.0)])
        self.assertEqual(analysis.pareto(qs, "source"), [("Inspection", 4.0)])

    def test_summary_query_count_does_not_grow(self) -> None:
        qs = Nonconformity.objects.filter(organization=self.org_a)
        with CaptureQueriesContext(connection) as q:
            analysis.summary(qs)
            analysis.pareto(qs, "process__name")
        self.assertEqual(len(q), 3)

    def test_page_and_exports_respect_filters_and_tenancy(self) -> None:
        self.login(self.viewer)
        page = self.client.get(reverse("improvement:analysis"))
        self.assertContains(page, "Pareto")
        self.assertContains(page, "<svg", count=None)
        csv = self.client.get(reverse("improvement:export", args=["csv"]) + "?severity=major")
        lines = csv.content.decode().strip().splitlines()
        self.assertEqual(len(lines), 5)
        self.assertNotIn("999", csv.content.decode())
        xlsx = self.client.get(reverse("improvement:export", args=["xlsx"]))
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertEqual(self.client.get(reverse("improvement:export", args=["pdf"])).status_code, 404)

    def test_list_filters_overdue_and_severity(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("improvement:nonconformity_list") + "?overdue=on&severity=minor")
        self.assertContains(response, "No nonconformities match")
