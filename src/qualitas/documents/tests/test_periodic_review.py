import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qualitas.actions.models import Action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.documents import queries, services
from qualitas.documents.tests.factories import make_effective_document


class PeriodicReviewTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            # Effective 30 months ago with a 24-month interval: the review is overdue.
            self.late = make_effective_document(
                self.org_a, self.manager, days_ago=915, owner=self.owner, title="Old procedure"
            )
            self.fresh = make_effective_document(self.org_a, self.manager, days_ago=10, title="New procedure")

    def test_next_review_is_the_effective_date_plus_the_interval(self) -> None:
        self.assertEqual(
            self.fresh.next_review_due, queries.add_months(timezone.localdate() - dt.timedelta(days=10), 24)
        )
        self.assertTrue(self.late.review_overdue)
        self.assertFalse(self.fresh.review_overdue)

    def test_the_master_list_filters_overdue_reviews(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("documents:document_list"), {"overdue": "on"})
        self.assertContains(response, "Old procedure")
        self.assertNotContains(response, "New procedure")

    def test_reminders_go_to_the_owner_once(self) -> None:
        with audit.context("cli"):
            self.assertEqual(services.send_review_reminders(self.org_a), 1)
            self.assertEqual(services.send_review_reminders(self.org_a), 0)
        action = Action.objects.get(organization=self.org_a)
        self.assertEqual(action.owner, self.owner)
        self.assertIn(self.late.code, action.title)

    def test_a_review_without_change_moves_the_due_date(self) -> None:
        services.review_document(
            self.late, actor=self.owner, outcome="no_change", note="Still matches practice."
        )
        self.late.refresh_from_db()
        self.assertEqual(self.late.next_review_due, queries.add_months(timezone.localdate(), 24))
        self.assertFalse(self.late.review_overdue)

    def test_a_review_that_finds_a_change_starts_a_revision_and_needs_a_note(self) -> None:
        with self.assertRaises(ValidationError):
            services.review_document(self.late, actor=self.owner, outcome="change_needed")
        services.review_document(self.late, actor=self.owner, outcome="change_needed", note="New machine")
        self.assertTrue(self.late.revisions.filter(status="draft").exists())
