"""Evidence-based indicators: any area registers one; the assessment shows it beside the elements it
concerns and notes where the data contradicts the agreed level."""

import datetime as dt
from typing import Any

from django.urls import reverse

from qualitas.assessment import queries
from qualitas.assessment.tests.helpers import completed
from qualitas.core import audit
from qualitas.core.registry import Indicator, registry
from qualitas.core.testing import QualitasTestCase


def _overdue_capa(org: Any) -> dict[str, Any]:
    return {
        "value": 0.5,
        "display": "50 % overdue",
        "suggested_level": 2,
        "detail": "4 of 8 corrective actions",
        "url": "/improvement/",
    }


def _broken(org: Any) -> dict[str, Any]:
    raise RuntimeError("boom")


class IndicatorRegistryTests(QualitasTestCase):
    def setUp(self) -> None:
        self.saved = dict(registry.indicators)
        registry.indicators["test.overdue_capa"] = Indicator(
            "test.overdue_capa", "Corrective actions overdue", ("11.2",), _overdue_capa
        )

    def tearDown(self) -> None:
        registry.indicators.clear()
        registry.indicators.update(self.saved)

    def test_the_assessment_area_registers_its_own_indicator(self) -> None:
        self.assertIn("assessment.plan_completion", self.saved)
        self.assertIn("11.2", self.saved["assessment.plan_completion"].elements)

    def test_indicators_attach_to_their_elements_and_to_the_clause_key_question(self) -> None:
        computed = queries.compute_indicators(self.org_a)
        model = queries.default_model()
        improvement = model.elements.get(kind="element", number="11.2")
        innovation = model.elements.get(kind="element", number="11.4")
        key = model.elements.get(kind="key", number="11")
        self.assertIn("test.overdue_capa", [i["key"] for i in queries.indicators_for(improvement, computed)])
        self.assertNotIn(
            "test.overdue_capa", [i["key"] for i in queries.indicators_for(innovation, computed)]
        )
        self.assertIn("test.overdue_capa", [i["key"] for i in queries.indicators_for(key, computed)])

    def test_a_failing_indicator_shows_as_unavailable_instead_of_breaking_the_page(self) -> None:
        registry.indicators["test.broken"] = Indicator("test.broken", "Broken", ("11.2",), _broken)
        computed = {i["key"]: i for i in queries.compute_indicators(self.org_a)}
        self.assertEqual(computed["test.broken"]["display"], "unavailable")

    def test_contradiction_note_when_improvement_is_rated_4_but_capa_suggests_2(self) -> None:
        with audit.context("cli"):
            a = completed(self.org_a, self.manager, {"11.2": 4, "10.6": 3}, date=dt.date(2026, 2, 1))
        self.login(self.manager)
        response = self.client.get(reverse("assessment:assessment_results", args=[a.pk]))
        self.assertContains(response, "Corrective actions overdue")
        self.assertContains(response, "The data contradicts the rating")
        self.assertContains(response, "11.2 rated 4")

    def test_no_note_when_the_data_agrees(self) -> None:
        with audit.context("cli"):
            a = completed(self.org_a, self.manager, {"11.2": 3}, date=dt.date(2026, 2, 1))
        rows = queries.result_rows(a)
        row = next(r for r in rows if r.element.number == "11.2")
        computed = queries.compute_indicators(self.org_a)
        marked = queries.with_contradictions(queries.indicators_for(row.element, computed), row.level)
        self.assertFalse(any(i["contradicts"] for i in marked if i["key"] == "test.overdue_capa"))

    def test_plan_completion_counts_done_among_due_improvement_actions(self) -> None:
        from qualitas.actions import services as actions
        from qualitas.assessment import services
        from qualitas.assessment.indicators import plan_completion

        self.assertIsNone(plan_completion(self.org_a)["value"])
        with audit.context("cli"):
            a = completed(
                self.org_a, self.manager, {"10.6": 1}, date=dt.date(2026, 1, 1), targets={"10.6": 3}
            )
            result = a.results.get(element__number="10.6")
            done = services.plan_improvement(
                result, actor=self.manager, data={"title": "A", "owner": self.owner}
            )
            late = {"title": "B", "owner": self.owner, "due_date": dt.date(2026, 3, 1)}
            services.plan_improvement(result, actor=self.manager, data=late)
            not_due = {"title": "C", "owner": self.owner, "due_date": dt.date(2099, 1, 1)}
            services.plan_improvement(result, actor=self.manager, data=not_due)
            actions.complete_action(done, actor=self.owner, note="Done.")
        value = plan_completion(self.org_a)
        self.assertEqual((value["value"], value["display"], value["suggested_level"]), (0.5, "50%", 3))
        self.assertEqual(
            plan_completion(self.org_b)["value"], None, "another organization's plan never counts"
        )
