"""The review assembles every 9.3.2 input for the period from the registered providers, shows
"no data yet" where no module provides one, and freezes what it showed with the minutes."""

import datetime as dt
from typing import Any
from unittest import mock

from django.core.exceptions import ValidationError

from qualitas.core import audit as trail
from qualitas.core.registry import ReviewInput, registry
from qualitas.core.testing import QualitasTestCase
from qualitas.reviews import queries, services
from qualitas.reviews.tests.factories import make_output, make_review

CALLS: list[tuple[Any, Any, Any]] = []


def fake_compute(org: Any, start: Any, end: Any) -> dict[str, Any]:
    CALLS.append((org, start, end))
    return {
        "summary": "Complaints fell.",
        "figures": [("Complaints", 7), ("Satisfaction index", 8.4)],
        "items": [("Survey 2026", "/x/")],
        "chart": {"type": "bar", "labels": ["Q1", "Q2"], "series": [4, 3]},
    }


FAKE = ReviewInput(
    key="test.customers",
    label="Customer feedback (test)",
    clause="9.3.2 c) 1)",
    compute=fake_compute,
    order=10,
)


def broken(org: Any, start: Any, end: Any) -> dict[str, Any]:
    raise RuntimeError("boom")


class AssembledInputTests(QualitasTestCase):
    def setUp(self) -> None:
        CALLS.clear()
        with trail.context("cli"):
            self.first = make_review(self.org_a, self.manager, planned_date=dt.date(2025, 6, 1))
            self.review = make_review(self.org_a, self.manager, planned_date=dt.date(2026, 6, 1))

    def providers(self, **extra: ReviewInput) -> Any:
        only = {k: v for k, v in registry.review_inputs.items() if k == "audits.results"}
        return mock.patch.dict(registry.review_inputs, {**only, "test.customers": FAKE, **extra}, clear=True)

    def test_period_starts_at_the_previous_review(self) -> None:
        self.assertEqual(self.review.period_start, dt.date(2025, 6, 1))
        self.assertEqual(self.first.period_start, dt.date(2024, 6, 1))

    def test_figures_match_what_the_provider_returns_for_the_period(self) -> None:
        with self.providers():
            sections = queries.assemble_inputs(self.review)
        self.assertEqual(CALLS, [(self.org_a, dt.date(2025, 6, 1), dt.date(2026, 6, 1))])
        section = next(s for s in sections if s["key"] == "test.customers")
        self.assertEqual(section["figures"], [["Complaints", 7], ["Satisfaction index", 8.4]])
        self.assertEqual(section["summary"], "Complaints fell.")
        self.assertFalse(section["no_data"])
        self.assertEqual(
            sections[0]["key"], "previous_actions", "the first input is always the earlier actions"
        )

    def test_every_expected_input_is_present_and_absent_modules_say_no_data_yet(self) -> None:
        with self.providers():
            sections = queries.assemble_inputs(self.review)
        clauses = [s["clause"] for s in sections]
        for clause in ("9.3.2 a)", "9.3.2 b)", "9.3.2 c) 1)", "9.3.2 c) 6)", "9.3.2 f)"):
            self.assertIn(clause, clauses)
        missing = next(s for s in sections if s["clause"] == "9.3.2 b)")
        self.assertTrue(missing["no_module"] and missing["no_data"])
        self.login(self.viewer)
        with self.providers():
            response = self.client.get(self.review.get_absolute_url())
        self.assertContains(response, "No data yet")
        self.assertContains(response, "Satisfaction index")
        self.assertContains(response, "<svg", html=False)

    def test_a_broken_provider_is_reported_not_a_500(self) -> None:
        bad = ReviewInput(key="test.broken", label="Broken", clause="9.3.2 d)", compute=broken)
        with self.providers(**{"test.broken": bad}):
            sections = queries.assemble_inputs(self.review)
        self.assertIn(
            "could not be computed", next(s for s in sections if s["key"] == "test.broken")["error"]
        )

    def test_status_of_actions_from_previous_reviews_comes_first(self) -> None:
        from qualitas.actions.services import complete_action

        with trail.context("cli"):
            done = make_output(self.org_a, self.manager, review=self.first, decision="Hire an inspector")
            make_output(
                self.org_a,
                self.manager,
                review=self.first,
                decision="Second CMM",
                due_date=dt.date(2020, 1, 1),
            )
            complete_action(done.action, actor=self.manager, note="Inspector hired in March.")
        with self.providers():
            first = queries.assemble_inputs(self.review)[0]
        self.assertEqual(dict(first["figures"])["Decisions of earlier reviews"], 2)
        self.assertEqual(dict(first["figures"])["Done"], 1)
        self.assertEqual(dict(first["figures"])["Overdue"], 1)

    def test_freezing_the_minutes_keeps_the_inputs_as_they_were(self) -> None:
        services.transition_review(self.review, "start", actor=self.manager)
        services.save_minute(
            self.review, actor=self.manager, key="test.customers", text="Good trend; keep survey."
        )
        services.update_review(
            self.review, actor=self.manager, data={"conclusions": "The system is effective."}
        )
        with self.providers():
            services.transition_review(self.review, "minute", actor=self.manager)
        self.review.refresh_from_db()
        frozen = next(s for s in self.review.snapshot["sections"] if s["key"] == "test.customers")
        self.assertEqual(frozen["minutes"], "Good trend; keep survey.")
        changed = ReviewInput(
            key="test.customers",
            label="x",
            clause="9.3.2 c) 1)",
            compute=lambda o, s, e: {"summary": "Changed later", "figures": [("Complaints", 99)]},
        )
        with mock.patch.dict(registry.review_inputs, {"test.customers": changed}, clear=True):
            later = next(s for s in queries.sections_for(self.review) if s["key"] == "test.customers")
        self.assertEqual(later["figures"][0], ["Complaints", 7])
        with self.assertRaises(ValidationError):
            services.save_minute(self.review, actor=self.manager, key="test.customers", text="rewrite")

    def test_minutes_pdf_is_a_pdf_with_the_inputs(self) -> None:
        from qualitas.reviews.views import minutes_html

        with self.providers():
            html = minutes_html(self.review)
            self.login(self.viewer)
            response = self.client.get(self.review.get_absolute_url() + "minutes.pdf")
        self.assertIn("Customer feedback (test)", html)
        self.assertIn("Status of actions from previous reviews", html)
        self.assertTrue(response.content.startswith(b"%PDF"))
