from django.urls import reverse

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.registry import registry
from qualitas.core.testing import QualitasTestCase
from qualitas.documents import services
from qualitas.documents.models import Acknowledgement
from qualitas.documents.tests.factories import make_effective_document


class ReadAndUnderstoodTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.document = make_effective_document(
                self.org_a, self.manager, ack_roles=["member", "viewer"], title="Deburring of turned parts"
            )
        self.revision = self.document.effective_revision

    def test_people_in_the_target_roles_are_asked_to_read_the_effective_revision(self) -> None:
        users = set(
            Acknowledgement.objects.filter(revision=self.revision).values_list("user__username", flat=True)
        )
        self.assertEqual(users, {"member", "viewer"})
        self.assertEqual(self.last_event().action, "acknowledgement.request")

    def test_the_person_acknowledges_with_one_click_from_my_tasks(self) -> None:
        self.login(self.member)
        home = self.client.get(reverse("core:home"))
        self.assertContains(home, "To read")
        self.assertContains(home, "Deburring of turned parts")
        ack = Acknowledgement.objects.get(user=self.member)
        response = self.client.post(reverse("documents:acknowledge", args=[ack.pk]), {"next": "/"})
        self.assertEqual(response.status_code, 302)
        ack.refresh_from_db()
        self.assertIsNotNone(ack.acknowledged_at)
        self.assertEqual(self.last_event().action, "acknowledgement.confirm")

    def test_nobody_can_acknowledge_for_someone_else(self) -> None:
        ack = Acknowledgement.objects.get(user=self.member)
        with self.assertRaises(NotAllowed):
            services.acknowledge(ack, actor=self.manager)
        self.login(self.manager)
        response = self.client.post(reverse("documents:acknowledge", args=[ack.pk]))
        self.assertEqual(response.status_code, 403)

    def test_the_owner_sees_who_has_and_has_not_read_it(self) -> None:
        services.acknowledge(Acknowledgement.objects.get(user=self.member), actor=self.member)
        self.login(self.manager)
        response = self.client.get(self.revision.get_absolute_url())
        self.assertContains(response, "Read and understood: 1 of 2")
        self.assertContains(response, "not yet")

    def test_acknowledgements_are_training_evidence_for_clause_7_2(self) -> None:
        services.acknowledge(Acknowledgement.objects.get(user=self.member), actor=self.member)
        source = registry.evidence_sources["documents.acknowledgements"]
        self.assertIn("7.2", source.clauses)
        self.assertEqual(source.summarize(self.org_a)["count"], 1)
        self.assertEqual(source.summarize(self.org_b)["count"], 0)

    def test_api_confirm_is_only_for_the_reader(self) -> None:
        ack = Acknowledgement.objects.get(user=self.member)
        url = reverse("acknowledgement-confirm", args=[ack.pk])
        self.assertEqual(self.api_client(self.manager).post(url).status_code, 403)
        ok = self.api_client(self.member).post(url)
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertIsNotNone(ok.json()["acknowledged_at"])

    def test_overdue_reading_becomes_a_reminder_for_the_reader_once(self) -> None:
        import datetime as dt

        from qualitas.actions.models import Action

        later = Acknowledgement.objects.get(user=self.member).due_date + dt.timedelta(days=1)
        with audit.context("cli"):
            self.assertEqual(services.send_acknowledgement_reminders(self.org_a, today=later), 2)
            self.assertEqual(services.send_acknowledgement_reminders(self.org_a, today=later), 0)
        self.assertEqual(
            set(Action.objects.filter(organization=self.org_a).values_list("owner__username", flat=True)),
            {"member", "viewer"},
        )
