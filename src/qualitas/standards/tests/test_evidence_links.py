"""Evidence links: any record of the same organization; another organization's record is refused."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import queries, services
from qualitas.standards.models import EvidenceLink


class EvidenceLinkTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        element = queries.legacy_elements().get(number="4.11")
        with audit.context("cli"):
            cls.req = services.requirement_for(
                cls.org_a, queries.clauses().get(number="7.1.5.2"), actor=cls.manager
            )
            cls.mine = services.create_legacy_procedure(
                organization=cls.org_a,
                actor=cls.manager,
                data={"reference": "QP-11", "title": "Calibration", "element": element},
            )
            cls.theirs = services.create_legacy_procedure(
                organization=cls.org_b,
                actor=cls.outsider,
                data={"reference": "B-11", "title": "Their calibration", "element": element},
            )

    def test_a_record_of_the_same_organization_is_linked_and_audited(self) -> None:
        with audit.context("cli"):
            link = services.link_evidence(self.req, self.mine, actor=self.manager, note="Procedure")
            again = services.link_evidence(self.req, self.mine, actor=self.manager)
        self.assertEqual(link.pk, again.pk)
        self.assertEqual(link.target, self.mine)
        self.assertIn("requirement.evidence_add", [e.action for e in self.events_for(self.req)])

    def test_a_record_of_another_organization_is_refused(self) -> None:
        with self.assertRaises(ValidationError), audit.context("cli"):
            services.link_evidence(self.req, self.theirs, actor=self.manager)
        self.assertFalse(EvidenceLink.objects.exists())

    def test_the_page_cannot_reach_another_organizations_record(self) -> None:
        self.login(self.manager)
        url = reverse("standards:evidencelink_add", args=[self.req.pk])
        response = self.client.post(
            url, {"record_type": "standards.legacyprocedure", "record_id": self.theirs.pk}, follow=True
        )
        self.assertContains(response, "There is no legacy procedure number")
        self.assertFalse(EvidenceLink.objects.exists())
        self.client.post(url, {"record_type": "standards.legacyprocedure", "record_id": self.mine.pk})
        self.assertTrue(EvidenceLink.objects.filter(requirement=self.req).exists())

    def test_the_api_cannot_reach_another_organizations_record(self) -> None:
        client = self.api_client(self.manager)
        response = client.post(
            "/api/evidence-links/",
            {
                "requirement": self.req.pk,
                "record_type": "standards.legacyprocedure",
                "record_id": self.theirs.pk,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(EvidenceLink.objects.exists())
        response = client.post(
            "/api/evidence-links/",
            {
                "requirement": self.req.pk,
                "record_type": "standards.legacyprocedure",
                "record_id": self.mine.pk,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_the_outsider_cannot_link_to_our_requirement(self) -> None:
        client = self.api_client(self.outsider)
        response = client.post(
            "/api/evidence-links/",
            {
                "requirement": self.req.pk,
                "record_type": "standards.legacyprocedure",
                "record_id": self.theirs.pk,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.login(self.outsider)
        self.assertEqual(
            self.client.post(
                reverse("standards:evidencelink_add", args=[self.req.pk]),
                {"record_type": "standards.legacyprocedure", "record_id": self.theirs.pk},
            ).status_code,
            404,
        )

    def test_implemented_without_evidence_is_flagged_on_the_page(self) -> None:
        with audit.context("cli"):
            services.update_requirement(self.req, actor=self.manager, data={"status": "implemented"})
        self.login(self.viewer)
        response = self.client.get(self.req.get_absolute_url())
        self.assertContains(response, "no record or file proves it")
        with audit.context("cli"):
            services.link_evidence(self.req, self.mine, actor=self.manager)
        self.assertNotContains(self.client.get(self.req.get_absolute_url()), "no record or file proves it")

    def test_removing_a_link_is_audited(self) -> None:
        with audit.context("cli"):
            link = services.link_evidence(self.req, self.mine, actor=self.manager)
        self.login(self.manager)
        self.client.post(reverse("standards:evidencelink_delete", args=[link.pk]), {"reason": "Wrong record"})
        self.assertFalse(EvidenceLink.objects.filter(pk=link.pk).exists())
        self.assertIn("requirement.evidence_remove", [e.action for e in self.events_for(self.req)])

    def test_the_requirement_page_query_count_does_not_grow_with_its_links(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from qualitas.actions.tests.factories import make_action

        self.login(self.manager)
        url = self.req.get_absolute_url()

        def queries_with(n_links: int) -> int:
            with audit.context("cli"):
                while EvidenceLink.objects.filter(requirement=self.req).count() < n_links:
                    action = make_action(self.org_a, self.manager)
                    services.link_evidence(self.req, action, actor=self.manager)
            self.client.get(url)
            with CaptureQueriesContext(connection) as q:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(response.context["links"]), n_links)
            return len(q)

        self.assertEqual(queries_with(2), queries_with(7))
