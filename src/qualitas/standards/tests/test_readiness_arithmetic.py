"""Readiness figures: weights, exclusions, gaps, and a query count that does not grow."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import queries, readiness, services
from qualitas.standards.models import ReadinessSnapshot


class ReadinessArithmeticTests(QualitasTestCase):
    def set(self, number: str, **data: object) -> None:
        with audit.context("cli"):
            req = services.requirement_for(
                self.org_a, queries.clauses().get(number=number), actor=self.manager
            )
            services.update_requirement(req, actor=self.manager, data=data)

    def test_nothing_done_is_zero_percent_with_every_clause_applicable(self) -> None:
        figures = readiness.compute(self.org_a)
        self.assertEqual(figures["overall"], 0.0)
        self.assertEqual(figures["applicable"], queries.auditable_clauses().count())
        self.assertEqual([g["group"] for g in figures["groups"]], ["4", "5", "6", "7", "8", "9", "10"])

    def test_weights_and_group_percentages(self) -> None:
        # Clause 10 has three auditable clauses: 10.1, 10.2.1, 10.2.2 and 10.3 -> four.
        self.set("10.1", status="implemented")
        self.set("10.2.1", status="verified")
        self.set("10.2.2", status="in_progress")
        figures = readiness.compute(self.org_a)
        group10 = next(g for g in figures["groups"] if g["group"] == "10")
        self.assertEqual(group10["applicable"], 4)
        self.assertAlmostEqual(group10["score"], (1 + 1 + 0.5 + 0) / 4)
        self.assertEqual(group10["done"], 2)
        self.assertEqual(group10["verified"], 1)
        self.assertAlmostEqual(figures["overall"], 2.5 / figures["applicable"])
        self.assertAlmostEqual(figures["sections"]["10.2"], 0.75)

    def test_not_applicable_requirements_leave_the_denominator(self) -> None:
        total = queries.auditable_clauses().count()
        with audit.context("cli"):
            services.set_applicability(
                self.org_a, "8.3", actor=self.manager, applicable=False, justification="No design."
            )
        self.set("8.5.1", status="implemented")
        figures = readiness.compute(self.org_a)
        self.assertEqual(figures["applicable"], total - 6)
        self.assertEqual(figures["not_applicable"], 6)
        self.assertAlmostEqual(figures["overall"], 1 / (total - 6))
        self.assertIsNone(figures["sections"]["8.3"])
        self.assertNotIn("8.3.1", {g.number for g in figures["gaps"]})

    def test_gaps_name_missing_owner_evidence_documented_information_and_overdue_dates(self) -> None:
        yesterday = dt.date.today() - dt.timedelta(days=2)
        self.set("7.1.5.2", status="implemented", owner=self.owner)
        self.set("7.4", status="in_progress", owner=self.owner, target_date=yesterday)
        figures = readiness.compute(self.org_a)
        kinds = {(g.number, g.kind) for g in figures["gaps"]}
        self.assertIn(("7.1.5.2", "implemented_without_evidence"), kinds)
        self.assertNotIn(("7.1.5.2", "no_owner"), kinds)
        self.assertIn(("7.4", "overdue"), kinds)
        self.assertIn(("7.4", "no_evidence"), kinds)
        self.assertIn(("8.7.2", "missing_di"), kinds)
        self.assertIn(("8.7.2", "no_owner"), kinds)
        self.assertIn(("8.7.2", "no_status"), kinds)

    def test_linked_evidence_closes_the_evidence_gap(self) -> None:
        self.set("7.1.5.2", status="implemented", owner=self.owner)
        with audit.context("cli"):
            proc = services.create_legacy_procedure(
                organization=self.org_a,
                actor=self.manager,
                data={
                    "reference": "QP-11",
                    "title": "Calibration",
                    "element": queries.legacy_elements().get(number="4.11"),
                },
            )
            req = queries.requirements(self.org_a).get(clause__number="7.1.5.2")
            services.link_evidence(req, proc, actor=self.manager)
        kinds = {(g.number, g.kind) for g in readiness.compute(self.org_a)["gaps"]}
        self.assertNotIn(("7.1.5.2", "implemented_without_evidence"), kinds)

    def test_query_count_does_not_grow_with_requirements(self) -> None:
        self.set("4.1", status="implemented")
        with CaptureQueriesContext(connection) as few:
            readiness.compute(self.org_a)
        with audit.context("cli"):
            services.ensure_requirements(self.org_a, actor=self.manager)
        for number in ("5.3", "6.3", "7.2", "8.6", "9.3.3"):
            self.set(number, status="in_progress", owner=self.owner)
        with CaptureQueriesContext(connection) as many:
            readiness.compute(self.org_a)
        self.assertEqual(len(few), len(many))
        self.assertLessEqual(
            len(many),
            4
            + len(__import__("qualitas.core.registry", fromlist=["registry"]).registry.evidence_sources) * 6,
        )

    def test_readiness_itself_needs_three_queries_whatever_the_number_of_requirements(self) -> None:
        from unittest import mock

        from qualitas.core.registry import registry

        with audit.context("cli"):
            services.ensure_requirements(self.org_a, actor=self.manager)
        readiness.compute(self.org_a)  # content types cached
        with (
            mock.patch.dict(registry.evidence_sources, clear=True),
            CaptureQueriesContext(connection) as queries_,
        ):
            readiness.compute(self.org_a)
        self.assertEqual(len(queries_), 3)  # per group, per section, one row per clause

    def test_readiness_page_stores_a_daily_snapshot_and_pins_its_queries(self) -> None:
        self.login(self.manager)
        self.assertEqual(self.client.get(reverse("standards:readiness")).status_code, 200)
        self.assertEqual(ReadinessSnapshot.objects.filter(organization=self.org_a).count(), 1)
        with CaptureQueriesContext(connection) as first:
            self.client.get(reverse("standards:readiness"))
        with audit.context("cli"):
            services.ensure_requirements(self.org_a, actor=self.manager)
        self.client.get(reverse("standards:readiness"))  # the figures changed: today's snapshot is updated
        with CaptureQueriesContext(connection) as second:
            self.client.get(reverse("standards:readiness"))
        self.assertEqual(len(first), len(second))
        self.assertEqual(ReadinessSnapshot.objects.filter(organization=self.org_a).count(), 1)

    def test_readiness_api_gives_the_same_figures(self) -> None:
        self.set("10.1", status="implemented")
        response = self.api_client(self.viewer).get("/api/readiness/")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertAlmostEqual(body["overall"], readiness.compute(self.org_a)["overall"])
        self.assertEqual(len(body["groups"]), 7)
        self.assertEqual(len(body["trend"]), 1)
        self.assertEqual(self.api_client(self.outsider).get("/api/readiness/").json()["overall"], 0.0)
