"""SingletonEditView: an organization's one record of a kind, created on the first save, then
updated with the version the editor read."""

from django.test import override_settings
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import Identity


@override_settings(ROOT_URLCONF="qualitas.core.tests.mechanism_urls")
class SingletonEditTests(QualitasTestCase):
    def test_first_save_creates_then_saves_update_and_a_stale_one_is_409(self) -> None:
        for name in ("t_identity_services", "t_identity_generic"):
            with self.subTest(name):
                Identity.objects.filter(organization=self.org_a).delete()
                url = reverse(name)
                self.login(self.manager)
                self.assertContains(self.client.get(url), 'name="mission"')
                created = self.client.post(url, {"mission": "Parts on time."})
                self.assertRedirects(created, reverse("planning:identity"), fetch_redirect_response=False)
                identity = Identity.objects.get(organization=self.org_a)
                self.assertEqual(self.last_event().action, "identity.create")
                data = {"mission": "Right first time.", "version": identity.version, "reason": "Board"}
                self.assertEqual(self.client.post(url, data).status_code, 302)
                self.assertEqual(self.last_event().reason, "Board")
                stale = self.client.post(url, {**data, "mission": "Lost update"})
                self.assertEqual(stale.status_code, 409)
                self.assertContains(stale, "changed by someone else", status_code=409)
                self.assertContains(stale, "Lost update", status_code=409)
                identity.refresh_from_db()
                self.assertEqual(identity.mission, "Right first time.")

    def test_a_read_only_role_is_refused_and_each_organization_edits_its_own(self) -> None:
        url = reverse("t_identity_generic")
        self.login(self.viewer)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"mission": "x"}).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(url, {"mission": "Their mission"}).status_code, 302)
        self.assertFalse(Identity.objects.filter(organization=self.org_a).exists())
        self.assertEqual(Identity.objects.get(organization=self.org_b).mission, "Their mission")
