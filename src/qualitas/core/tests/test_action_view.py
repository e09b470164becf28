"""ObjectActionView: the one way a page posts a form (or a button) about a record to one service."""

from django.test import override_settings
from django.urls import reverse

from qualitas.actions.models import Action
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase


@override_settings(ROOT_URLCONF="qualitas.core.tests.mechanism_urls")
class ActionViewTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.action = make_action(self.org_a, self.manager, owner=self.owner)
            self.theirs = make_action(self.org_b, self.outsider)
        self.url = reverse("t_action_due", args=[self.action.pk])

    def test_get_shows_the_form_alone_and_htmx_gets_the_fragment(self) -> None:
        self.login(self.manager)
        page = self.client.get(self.url)
        self.assertContains(page, "<html")
        self.assertContains(page, "Move the due date")
        self.assertContains(page, f'href="{self.action.get_absolute_url()}" class="button">Cancel')
        fragment = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, 'name="due_date"')

    def test_post_runs_the_service_shows_one_message_and_returns_to_the_record(self) -> None:
        self.login(self.manager)
        response = self.client.post(self.url, {"due_date": "2030-05-31", "version": self.action.version})
        self.assertRedirects(response, self.action.get_absolute_url(), fetch_redirect_response=False)
        self.action.refresh_from_db()
        self.assertEqual(str(self.action.due_date), "2030-05-31")
        event = self.last_event()
        self.assertEqual(
            (event.action, event.source, event.actor_id), ("action.update", "web", self.manager.pk)
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, f"Due date of {self.action} moved.")

    def test_a_safe_next_is_followed_and_a_hostile_one_is_not(self) -> None:
        self.login(self.manager)
        ok = self.client.post(self.url, {"due_date": "2030-01-01", "next": "/actions/?mine=1"})
        self.assertEqual(ok["Location"], "/actions/?mine=1")
        for bad in ("//evil.example/", "https://evil.example/", "javascript:alert(1)"):
            response = self.client.post(self.url, {"due_date": "2030-01-02", "next": bad})
            self.assertEqual(response["Location"], self.action.get_absolute_url(), bad)
        form = self.client.get(self.url, {"next": "javascript:alert(1)"})
        self.assertNotContains(form, "javascript:")

    def test_the_permission_is_checked_before_the_service_runs(self) -> None:
        before = AuditEvent.objects.count()
        for user in (self.viewer, self.member):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, {"due_date": "2030-01-01"}).status_code, 403)
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_another_organizations_record_is_404(self) -> None:
        self.login(self.admin)
        url = reverse("t_action_due", args=[self.theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"due_date": "2030-01-01"}).status_code, 404)

    def test_bad_input_is_a_400_that_keeps_what_was_typed(self) -> None:
        self.login(self.manager)
        response = self.client.post(self.url, {"due_date": "31/02/2030"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'value="31/02/2030"', status_code=400)
        self.assertContains(response, "Enter a valid date", status_code=400)

    def test_a_stale_version_is_a_409_with_a_clear_message(self) -> None:
        self.login(self.manager)
        stale = self.action.version
        self.client.post(self.url, {"due_date": "2030-01-01", "version": stale})
        response = self.client.post(self.url, {"due_date": "2031-01-01", "version": stale})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "changed by someone else", status_code=409)
        self.action.refresh_from_db()
        self.assertEqual(str(self.action.due_date), "2030-01-01")

    def test_htmx_success_is_told_to_load_the_record(self) -> None:
        self.login(self.manager)
        response = self.client.post(self.url, {"due_date": "2030-01-01"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Redirect"], self.action.get_absolute_url())
        bad = self.client.post(self.url, {"due_date": "x"}, headers={"HX-Request": "true"})
        self.assertEqual(bad.status_code, 400)
        self.assertNotContains(bad, "<html", status_code=400)

    def test_a_bare_post_has_no_form_page_and_runs_on_post(self) -> None:
        url = reverse("t_action_delete", args=[self.action.pk])
        self.login(self.owner)  # the owner may change the action but not delete it
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.manager)
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url)
        self.assertEqual(response["Location"], "/actions/")
        self.assertFalse(Action.objects.filter(pk=self.action.pk).exists())
