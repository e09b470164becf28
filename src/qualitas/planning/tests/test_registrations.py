import datetime as dt
import random

from django.urls import reverse

from qualitas.core import audit
from qualitas.core.registry import registry
from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import Kpi, Measurement, Process, Risk
from qualitas.planning.tests.factories import make_kpi, make_risk


class ContributionTests(QualitasTestCase):
    def test_evidence_sources_cover_the_planning_clauses(self) -> None:
        clauses = {
            c
            for key, s in registry.evidence_sources.items()
            if key.startswith("planning.")
            for c in s.clauses
        }
        self.assertTrue({"4.1", "4.2", "4.4", "5.2", "6.1", "6.2", "9.1.1"} <= clauses)
        make_risk(self.org_a, self.manager)
        summary = registry.evidence_sources["planning.risks"].summarize(self.org_a)
        self.assertEqual(summary["count"], 1)
        self.assertEqual(registry.evidence_sources["planning.risks"].summarize(self.org_b)["count"], 0)

    def test_indicators_and_review_inputs_compute(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        from qualitas.planning import services

        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 1, 1), value=97)
        result = registry.indicators["planning.kpis_on_target"].compute(self.org_a)
        self.assertEqual((result["value"], result["display"]), (1.0, "100 %"))
        self.assertIn("10.2", registry.indicators["planning.kpis_on_target"].elements)
        self.assertIn("8.4", registry.indicators["planning.risk_reviews"].elements)
        for key in ("planning.context", "planning.objectives", "planning.kpis", "planning.risks"):
            data = registry.review_inputs[key].compute(self.org_a, dt.date(2025, 1, 1), dt.date(2026, 12, 31))
            self.assertTrue(data["summary"], key)

    def test_navigation_has_plan_and_check_entries(self) -> None:
        names = {(e.section, e.url_name) for e in registry.navigation}
        self.assertIn(("Plan", "planning:risk_list"), names)
        self.assertIn(("Check", "planning:dashboard"), names)


class DemoTests(QualitasTestCase):
    def test_demo_loads_the_machining_company(self) -> None:
        from qualitas.planning import demo

        people = {
            "admin": self.admin,
            "quality": self.manager,
            "director": self.owner,
            "production": self.owner,
            "purchasing": self.auditor,
            "auditor": self.auditor,
            "operator": self.member,
            "operator2": self.member,
            "certifier": self.viewer,
        }
        with audit.context("cli"):
            demo.load(self.org_a, people, random.Random(1))
        self.assertEqual(Process.objects.filter(organization=self.org_a).count(), 14)
        self.assertEqual(Risk.objects.filter(organization=self.org_a).count(), 30)
        self.assertEqual(Kpi.objects.filter(organization=self.org_a).count(), 15)
        self.assertEqual(Measurement.objects.filter(organization=self.org_a).count(), 15 * 24)
        self.assertFalse(Process.objects.filter(organization=self.org_a, name__icontains="design").exists())
        self.login(self.viewer)
        for name in (
            "planning:dashboard",
            "planning:process_map",
            "planning:risk_list",
            "planning:kpi_list",
            "planning:identity",
            "planning:contextissue_list",
            "planning:objective_list",
        ):
            self.assertEqual(self.client.get(reverse(name)).status_code, 200, name)
        statuses = {
            k.status_of(k.measurements.order_by("-period").first().value)
            for k in Kpi.objects.filter(organization=self.org_a)
        }
        self.assertTrue({"on_target", "off_target"} <= statuses, statuses)


class SearchTests(QualitasTestCase):
    def test_search_finds_risks_and_kpis_of_the_organization_only(self) -> None:
        from qualitas.planning.registrations import search

        make_risk(self.org_a, self.manager, title="Flooded access road")
        make_risk(self.org_b, self.outsider, title="Flooded cellar")
        make_kpi(self.org_a, self.manager, code="OTD")
        titles = [t for t, _u, _s in search(self.org_a, self.viewer, "flooded", 10)]
        self.assertEqual(len(titles), 1)
        self.assertIn("Flooded access road", titles[0])
        self.assertTrue(search(self.org_a, self.viewer, "otd", 10))
