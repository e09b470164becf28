from django.urls import reverse

from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import ProcessInteraction
from qualitas.planning.processmap import layout
from qualitas.planning.tests.factories import make_interaction, make_process


class ProcessMapTests(QualitasTestCase):
    def test_map_draws_a_linked_box_per_process_and_an_arrow_per_interaction(self) -> None:
        mgmt = make_process(self.org_a, self.admin, process_type="management", name="Management review")
        core = make_process(self.org_a, self.admin, name="CNC machining")
        make_interaction(self.org_a, self.admin, source=mgmt, target=core)
        theirs = make_process(self.org_b, self.outsider, name="Their secret process")
        self.login(self.viewer)
        response = self.client.get(reverse("planning:process_map"))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn(f'<a href="{mgmt.get_absolute_url()}">', body)
        self.assertIn(f'<a href="{core.get_absolute_url()}">', body)
        self.assertEqual(body.count('marker-end="url(#pm-arrow)"'), 1)
        self.assertNotIn(theirs.name, body)

    def test_boxes_sit_in_the_column_of_their_type(self) -> None:
        a = make_process(self.org_a, self.admin, process_type="support")
        b = make_process(self.org_a, self.admin, process_type="management")
        c = make_process(self.org_a, self.admin, process_type="core")
        pos = layout([a, b, c])
        self.assertEqual((pos[b.pk][2], pos[c.pk][2], pos[a.pk][2]), (0, 1, 2))

    def test_interaction_added_from_the_process_page_is_audited(self) -> None:
        source = make_process(self.org_a, self.admin)
        target = make_process(self.org_a, self.admin)
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:interaction_add", args=[source.pk]),
            {"target": target.pk, "description": "work orders"},
        )
        self.assertEqual(response.status_code, 302)
        link = ProcessInteraction.objects.get(source=source, target=target)
        self.assertEqual(self.last_event().action, "processinteraction.create")
        self.assertEqual(self.last_event().object_id, str(link.pk))

    def test_a_process_cannot_feed_itself_or_another_organizations_process(self) -> None:
        source = make_process(self.org_a, self.admin)
        theirs = make_process(self.org_b, self.outsider)
        self.login(self.manager)
        before = AuditEvent.objects.filter(organization=self.org_a).count()
        for target in (source, theirs):
            response = self.client.post(
                reverse("planning:interaction_add", args=[source.pk]), {"target": target.pk}
            )
            self.assertEqual(response.status_code, 400)
        self.assertEqual(AuditEvent.objects.filter(organization=self.org_a).count(), before)

    def test_viewer_cannot_add_interactions(self) -> None:
        source, target = make_process(self.org_a, self.admin), make_process(self.org_a, self.admin)
        self.login(self.viewer)
        response = self.client.post(
            reverse("planning:interaction_add", args=[source.pk]), {"target": target.pk}
        )
        self.assertEqual(response.status_code, 403)

    def test_process_page_lists_what_feeds_it_and_what_it_feeds(self) -> None:
        link = make_interaction(self.org_a, self.admin)
        self.login(self.viewer)
        response = self.client.get(link.target.get_absolute_url())
        self.assertContains(response, link.source.get_absolute_url())


class ProcessDeletionTests(QualitasTestCase):
    def test_deleting_a_process_removes_its_arrows_with_audit_events(self) -> None:
        from qualitas.planning import services

        link = make_interaction(self.org_a, self.admin)
        services.delete_process(link.source, actor=self.manager, reason="Merged")
        self.assertFalse(ProcessInteraction.objects.filter(pk=link.pk).exists())
        actions = list(
            AuditEvent.objects.filter(organization=self.org_a)
            .order_by("-seq")
            .values_list("action", flat=True)[:2]
        )
        self.assertEqual(actions, ["process.delete", "processinteraction.delete"])

    def test_a_process_named_by_a_risk_cannot_be_deleted(self) -> None:
        from django.core.exceptions import ValidationError

        from qualitas.planning import services
        from qualitas.planning.tests.factories import make_risk

        link = make_interaction(self.org_a, self.admin)
        make_risk(self.org_a, self.manager, process=link.source)
        with self.assertRaises(ValidationError):
            services.delete_process(link.source, actor=self.manager)
        self.assertTrue(ProcessInteraction.objects.filter(pk=link.pk).exists())
