"""Record pages without services of their own write through core's generic writers."""

from django.test import override_settings
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import InterestedParty
from qualitas.planning.tests.factories import make_party


@override_settings(ROOT_URLCONF="qualitas.core.tests.mechanism_urls")
class GenericWriterTests(QualitasTestCase):
    def test_create_update_and_delete_are_audited_with_the_version_checked(self) -> None:
        self.login(self.manager)
        data = {"name": "Key customers", "category": "customer", "needs": "Parts on time"}
        created = self.client.post(reverse("t_party_add"), data)
        self.assertEqual(created.status_code, 302, created.content[:500])
        party = InterestedParty.objects.get(organization=self.org_a, name="Key customers")
        self.assertEqual(
            (self.last_event().action, party.created_by), ("interestedparty.create", self.manager)
        )
        update = {**data, "name": "Key accounts", "version": party.version, "reason": "Clearer"}
        self.assertEqual(self.client.post(reverse("t_party_edit", args=[party.pk]), update).status_code, 302)
        event = self.last_event()
        self.assertEqual((event.action, event.reason), ("interestedparty.update", "Clearer"))
        self.assertEqual(event.changes["name"], ["Key customers", "Key accounts"])
        stale = self.client.post(reverse("t_party_edit", args=[party.pk]), update)
        self.assertEqual(stale.status_code, 409)
        removed = self.client.post(reverse("t_party_delete", args=[party.pk]), {"reason": "Twice"})
        self.assertEqual(removed.status_code, 302)
        self.assertFalse(InterestedParty.objects.filter(pk=party.pk).exists())
        self.assertEqual(
            (self.last_event().action, self.last_event().reason), ("interestedparty.delete", "Twice")
        )

    def test_the_generic_writers_check_the_role(self) -> None:
        with audit.context("cli"):
            party = make_party(self.org_a, self.manager)
        self.login(self.viewer)
        self.assertEqual(self.client.post(reverse("t_party_delete", args=[party.pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("t_party_add"), {"name": "x"}).status_code, 403)
        self.assertTrue(InterestedParty.objects.filter(pk=party.pk).exists())
