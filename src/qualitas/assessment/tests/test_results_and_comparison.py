"""Results: gaps against targets, strengths and weaknesses, the radar, and the comparison with the
previous completed assessment (up, down, same), including whether planned priorities moved."""

import datetime as dt

from django.urls import reverse

from qualitas.actions import services as actions
from qualitas.assessment import queries, reports, services
from qualitas.assessment.tests.helpers import completed
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase


class ResultsTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"):
            cls.first = completed(
                cls.org_a,
                cls.manager,
                {"5.2": 2, "9.2.4": 3, "10.6": 1},
                date=dt.date(2025, 3, 1),
                targets={"10.6": 3, "5.2": 3},
            )
            result = cls.first.results.get(element__number="10.6")
            cls.action = services.plan_improvement(
                result,
                actor=cls.manager,
                data={
                    "title": "Hold a yearly self-assessment",
                    "owner": cls.owner,
                    "due_date": dt.date(2025, 9, 1),
                },
            )
            actions.complete_action(cls.action, actor=cls.owner, note="Held in February.")
            cls.second = completed(
                cls.org_a,
                cls.manager,
                {"5.2": 2, "9.2.4": 2, "10.6": 3},
                date=dt.date(2026, 3, 1),
                targets={"9.2.4": 4},
            )

    def rows(self) -> dict[str, queries.ResultRow]:
        previous = queries.previous_completed(self.second)
        return {r.element.number: r for r in queries.result_rows(self.second, previous)}

    def test_previous_is_the_last_completed_assessment_before_this_one(self) -> None:
        self.assertEqual(queries.previous_completed(self.second), self.first)
        self.assertIsNone(queries.previous_completed(self.first))

    def test_each_element_moved_up_down_or_stayed(self) -> None:
        rows = self.rows()
        self.assertEqual((rows["10.6"].previous, rows["10.6"].level, rows["10.6"].trend), (1, 3, "up"))
        self.assertEqual(rows["9.2.4"].trend, "down")
        self.assertEqual(rows["5.2"].trend, "same")

    def test_weaknesses_are_the_largest_gaps_and_strengths_the_highest_levels(self) -> None:
        strengths, weak = queries.strengths_and_weaknesses(list(self.rows().values()))
        self.assertEqual(weak[0].element.number, "9.2.4")
        self.assertEqual(weak[0].gap, 2)
        self.assertEqual(strengths[0].level, 3)

    def test_the_previous_plan_shows_whether_its_elements_moved(self) -> None:
        moves = queries.previous_plan_moves(self.second, self.first, list(self.rows().values()))
        self.assertEqual(len(moves), 1)
        self.assertEqual(
            (
                moves[0]["element"].number,
                moves[0]["before"],
                moves[0]["now"],
                moves[0]["trend"],
                moves[0]["done"],
            ),
            ("10.6", 1, 3, "up", 1),
        )

    def test_improvement_action_is_about_the_element_result(self) -> None:
        self.assertEqual(self.action.kind, "improvement")
        self.assertEqual(self.action.subject, self.first.results.get(element__number="10.6"))
        self.assertTrue(self.first.results.get(element__number="10.6").is_priority)

    def test_results_page_shows_radar_gaps_and_trend(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("assessment:assessment_results", args=[self.second.pk]))
        self.assertContains(response, "<svg")
        self.assertContains(response, "▼ down")
        self.assertContains(response, "Did last time")
        self.assertNotContains(response, "Plan an improvement", msg_prefix="a viewer cannot plan")

    def test_radar_has_one_axis_per_clause(self) -> None:
        clauses = queries.clause_table(list(self.rows().values()))
        current = [c["current"] for c in clauses]
        axes = [c["number"] for c in clauses]
        self.assertEqual(len(axes), 7)
        self.assertTrue(all(c is not None for c in current))

    def test_pdf_report_for_top_management(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("assessment:assessment_report", args=[self.second.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_csv_and_xlsx_exports_carry_every_element(self) -> None:
        self.login(self.viewer)
        csv = self.client.get(reverse("assessment:assessment_export_csv", args=[self.second.pk]))
        lines = csv.content.decode().splitlines()
        self.assertTrue(lines[0].startswith("section,clause,element"))
        count = queries.elements_in_scope(self.second).count()
        self.assertEqual(sum(1 for line in lines if line.startswith("consensus,")), count)
        xlsx = self.client.get(reverse("assessment:assessment_export_xlsx", args=[self.second.pk]))
        self.assertTrue(xlsx.content.startswith(b"PK"))

    def test_planning_from_the_results_page_creates_an_action(self) -> None:
        result = self.second.results.get(element__number="9.2.4")
        self.login(self.manager)
        response = self.client.post(
            reverse("assessment:assessment_plan", args=[self.second.pk]),
            {
                "result": result.pk,
                "title": "Train two on-the-job trainers",
                "owner": self.owner.pk,
                "due_date": "2026-09-30",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            [a.title for a in queries.actions_for_results(self.org_a, [result.pk])[result.pk]],
            ["Train two on-the-job trainers"],
        )

    def test_results_api_gives_clause_levels_and_trends(self) -> None:
        body = self.api_client(self.viewer).get(reverse("assessment-results", args=[self.second.pk])).json()
        self.assertEqual(body["previous"], self.first.reference)
        by_number = {e["element"]: e for e in body["elements"]}
        self.assertEqual(by_number["9.2.4"]["trend"], "down")
        self.assertIn("9", body["clauses"])

    def test_context_counts_trends(self) -> None:
        ctx = reports.results_context(self.second)
        self.assertEqual(ctx["trend_counts"]["down"], 1)
        self.assertGreaterEqual(ctx["trend_counts"]["up"], 1)
