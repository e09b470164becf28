from django.db import IntegrityError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.services import create_record
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import services
from qualitas.improvement.fishbone import render
from qualitas.improvement.models import CauseCategory, IshikawaCause, WhyStep
from qualitas.improvement.tests.factories import make_nc


class RootCauseAnalysisTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.nc = make_nc(self.org_a, self.manager)

    def test_whys_are_numbered_in_order_and_audited(self) -> None:
        with audit.context("cli"):
            services.add_why(self.nc, actor=self.owner, why="Why oversize?", because="Insert worn")
            services.add_why(self.nc, actor=self.owner, why="Why worn?", because="No tool-life limit")
        self.assertEqual(
            list(WhyStep.objects.filter(nonconformity=self.nc).values_list("position", flat=True)), [1, 2]
        )
        self.assertEqual(self.last_event().action, "whystep.create")

    def test_only_one_ishikawa_cause_is_the_root(self) -> None:
        with audit.context("cli"):
            a = services.add_cause(
                self.nc, actor=self.owner, category="machine", text="Insert worn", is_root=True
            )
            b = services.add_cause(self.nc, actor=self.owner, category="method", text="No counter")
            services.mark_root_cause(b, actor=self.owner)
        a.refresh_from_db()
        self.assertFalse(a.is_root)
        self.assertEqual(list(IshikawaCause.objects.filter(is_root=True)), [b])
        with self.assertRaises(IntegrityError), audit.context("cli"):
            IshikawaCause.objects.filter(pk=a.pk).update(is_root=True)

    def test_the_fishbone_is_drawn_with_six_bones_and_the_root_marked(self) -> None:
        with audit.context("cli"):
            services.add_cause(
                self.nc, actor=self.owner, category="measurement", text="Gauge <drift>", is_root=True
            )
        svg = str(render(self.nc.title, list(IshikawaCause.objects.filter(nonconformity=self.nc))))
        for label in ("Man", "Machine", "Method", "Material", "Measurement", "Environment"):
            self.assertIn(label, svg)
        self.assertIn("★ root", svg)
        self.assertIn("Gauge &lt;drift&gt;", svg)
        self.assertNotIn("<drift>", svg)
        self.login(self.viewer)
        self.assertContains(self.client.get(self.nc.get_absolute_url()), 'class="fishbone"')

    def test_member_cannot_analyse(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        with self.assertRaises(NotAllowed), audit.context("web"):
            services.add_why(self.nc, actor=self.member, why="x", because="y")

    def test_default_categories_are_seeded_once_and_editable(self) -> None:
        with audit.context("cli"):
            made = services.seed_cause_categories(self.org_a, actor=self.manager)
            self.assertEqual(services.seed_cause_categories(self.org_a, actor=self.manager), 0)
        self.assertEqual(CauseCategory.objects.filter(organization=self.org_a).count(), made)
        self.assertFalse(CauseCategory.objects.filter(organization=self.org_b).exists())
        cat = CauseCategory.objects.filter(organization=self.org_a).first()
        self.login(self.manager)
        response = self.client.post(
            reverse("improvement:causecategory_edit", args=[cat.pk]),
            {
                "name": "Tooling",
                "description": "",
                "six_m": "machine",
                "is_active": "on",
                "version": cat.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        cat.refresh_from_db()
        self.assertEqual(cat.name, "Tooling")

    def test_root_cause_form_on_the_page_saves_category(self) -> None:
        with audit.context("cli"):
            cat = create_record(
                CauseCategory, organization=self.org_a, actor=self.manager, data={"name": "Tool wear"}
            )
        self.login(self.manager)
        self.client.post(
            reverse("improvement:nonconformity_root_cause", args=[self.nc.pk]),
            {"cause_category": cat.pk, "root_cause": "No tool-life limit"},
        )
        self.nc.refresh_from_db()
        self.assertEqual(self.nc.cause_category, cat)
        self.assertEqual(self.last_event().action, "nonconformity.root_cause")
