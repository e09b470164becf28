import datetime as dt
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import services
from qualitas.documents.tests.factories import make_document


class EffectiveDateTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.document = make_document(self.org_a, self.owner, approvers=[self.manager])
            self.revision = self.document.revisions.get()
            services.transition_revision(self.revision, "submit", actor=self.owner)
            services.sign_revision(self.revision, actor=self.manager, password=PASSWORD, meaning="approved")
        self.today = timezone.localdate()

    def test_an_effective_date_in_the_past_needs_a_reason(self) -> None:
        past = self.today - dt.timedelta(days=10)
        with self.assertRaisesMessage(ValidationError, "in the past needs a reason"):
            services.release_revision(self.revision, actor=self.manager, effective_date=past)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "approved")
        services.release_revision(
            self.revision,
            actor=self.manager,
            effective_date=past,
            reason="Used on the shop floor since the trial run; signed on paper.",
        )
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "effective")
        self.assertEqual(self.revision.effective_date, past)
        self.assertIn("trial run", self.revision.effective_reason)

    def test_a_future_date_waits_for_the_activation_command_which_is_idempotent(self) -> None:
        future = self.today + dt.timedelta(days=7)
        services.release_revision(self.revision, actor=self.manager, effective_date=future)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "approved")
        with audit.context("cli"):
            self.assertEqual(services.activate_due_revisions(today=self.today), [])
            done = services.activate_due_revisions(today=future)
            again = services.activate_due_revisions(today=future)
        self.assertEqual([r.pk for r in done], [self.revision.pk])
        self.assertEqual(again, [])
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "effective")

    def test_the_command_reports_what_it_activated(self) -> None:
        services.release_revision(
            self.revision, actor=self.manager, effective_date=self.today + dt.timedelta(days=1)
        )
        out = StringIO()
        call_command("documents_activate", stdout=out)
        self.assertIn("0 revision(s) made effective", out.getvalue())

    def test_release_from_the_page_with_a_past_date_and_no_reason_is_refused(self) -> None:
        from django.urls import reverse

        self.login(self.manager)
        url = reverse("documents:revision_release", args=[self.revision.pk])
        response = self.client.post(url, {"effective_date": "2020-01-01"})
        # Refused: the release form again with the date kept and the refusal on the reason field.
        self.assertContains(response, "needs a reason", status_code=400)
        self.assertContains(response, 'value="2020-01-01"', status_code=400)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "approved")
        self.client.post(url, {"effective_date": ""})
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "effective")
