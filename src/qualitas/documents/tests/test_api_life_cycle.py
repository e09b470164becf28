from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from qualitas.actions.models import Action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents.tests.factories import make_document, make_effective_document


class APILifeCycleTests(QualitasTestCase):
    def test_a_revision_goes_from_draft_to_effective_through_the_api(self) -> None:
        with audit.context("cli"):
            doc = make_document(self.org_a, self.owner, reviewers=[self.auditor], approvers=[self.manager])
        revision = doc.revisions.get()
        author = self.api_client(self.owner)
        submitted = author.post(
            reverse("revision-transition", args=[revision.pk, "submit"]), {}, format="json"
        )
        self.assertEqual(submitted.status_code, 200, submitted.content)
        self.assertEqual(submitted.json()["status"], "in_review")
        refused = author.post(
            reverse("revision-transition", args=[revision.pk, "approve"]), {}, format="json"
        )
        self.assertEqual(refused.status_code, 409)
        sign = reverse("revision-sign", args=[revision.pk])
        early = self.api_client(self.manager).post(
            sign, {"meaning": "approved", "password": PASSWORD}, format="json"
        )
        self.assertEqual(early.status_code, 409, "approval waits for the review")
        self.assertEqual(
            self.api_client(self.auditor)
            .post(sign, {"meaning": "reviewed", "password": PASSWORD}, format="json")
            .status_code,
            201,
        )
        self.assertEqual(
            self.api_client(self.manager)
            .post(sign, {"meaning": "approved", "password": PASSWORD}, format="json")
            .status_code,
            201,
        )
        release = reverse("revision-release", args=[revision.pk])
        past = self.api_client(self.manager).post(release, {"effective_date": "2020-01-01"}, format="json")
        self.assertEqual(past.status_code, 400)
        self.assertIn("reason", past.json()["fields"])
        done = self.api_client(self.manager).post(release, {}, format="json")
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["status"], "effective")
        self.assertEqual(len(done.json()["signatures"]), 2)

    def test_a_change_request_through_the_api_starts_a_draft(self) -> None:
        with audit.context("cli"):
            doc = make_effective_document(self.org_a, self.manager)
        response = self.api_client(self.manager).post(
            reverse("document-change", args=[doc.pk]), {"reason": "New fixture"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["label"], "B")
        self.assertEqual(
            self.api_client(self.viewer)
            .post(reverse("document-change", args=[doc.pk]), {"reason": "x"}, format="json")
            .status_code,
            403,
        )

    def test_the_remind_command_is_safe_to_run_twice(self) -> None:
        with audit.context("cli"):
            make_effective_document(self.org_a, self.manager, days_ago=800, owner=self.owner)
        out = StringIO()
        call_command("documents_remind", "--org", "org-a", stdout=out)
        call_command("documents_remind", "--org", "org-a", stdout=out)
        self.assertIn("1 reminder(s) created.", out.getvalue())
        self.assertIn("0 reminder(s) created.", out.getvalue())
        self.assertEqual(Action.objects.filter(organization=self.org_a, owner=self.owner).count(), 1)
