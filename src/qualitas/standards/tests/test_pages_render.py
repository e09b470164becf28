"""Every page of the area renders for the quality manager and a read-only viewer."""

from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import queries, services


class PagesRenderTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"):
            services.save_scope(
                cls.org_a,
                actor=cls.manager,
                data={
                    "profile": "production",
                    "statement": "Machining to customer drawings.",
                    "sites": "Plant 1",
                    "products_services": "Turned parts",
                },
                design_justification="We make parts only to customer drawings.",
            )
            cls.req = services.requirement_for(
                cls.org_a, queries.clauses().get(number="8.5.1"), actor=cls.manager
            )
            cls.proc = services.create_legacy_procedure(
                organization=cls.org_a,
                actor=cls.manager,
                data={
                    "reference": "QP-4.9",
                    "title": "Process control",
                    "element": queries.legacy_elements().get(number="4.9"),
                },
            )

    def test_every_page_renders_for_the_manager_and_the_viewer(self) -> None:
        urls = [
            reverse(n)
            for n in (
                "standards:scope",
                "standards:soa",
                "standards:readiness",
                "standards:evidence_pack",
                "standards:catalog",
                "standards:requirement_list",
                "standards:crosswalk",
                "standards:legacyprocedure_list",
            )
        ]
        urls += [
            reverse("standards:clause", args=["8.5"]),
            reverse("standards:clause", args=["7.1.6"]),
            reverse("standards:requirement", args=[self.req.pk]),
            reverse("standards:legacyprocedure", args=[self.proc.pk]),
            reverse("standards:standard", args=["iso9001-1994"]),
            reverse("standards:standard", args=["iso9004-2018"]),
        ]
        for user in (self.manager, self.viewer):
            self.login(user)
            for url in urls:
                response = self.client.get(url, follow=True)
                self.assertEqual(response.status_code, 200, f"{url} as {user}")

    def test_manager_forms_render(self) -> None:
        self.login(self.manager)
        for url in (
            reverse("standards:scope_edit"),
            reverse("standards:requirement_edit", args=[self.req.pk]),
            reverse("standards:applicability", args=["8.3"]),
            reverse("standards:requirement_import"),
            reverse("standards:legacyprocedure_add"),
        ):
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_soa_pdf_is_a_pdf(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("standards:soa_pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
