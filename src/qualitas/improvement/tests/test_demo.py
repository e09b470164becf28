import random

from django.db.models import Count

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import demo
from qualitas.improvement.models import Lesson, Nonconformity


class DemoTests(QualitasTestCase):
    def test_demo_year_has_a_pareto_closed_loops_a_recurrence_and_lessons(self) -> None:
        people = {
            k: getattr(self, v)
            for k, v in {
                "admin": "admin",
                "quality": "manager",
                "director": "owner",
                "production": "owner",
                "purchasing": "owner",
                "auditor": "auditor",
                "operator": "member",
                "operator2": "member",
                "certifier": "viewer",
            }.items()
        }
        with audit.context("cli"):
            demo.load(self.org_a, people, random.Random(2026))
        ncs = Nonconformity.objects.filter(organization=self.org_a)
        self.assertGreaterEqual(ncs.count(), 55)
        closed = ncs.filter(status="closed", verdict="effective")
        self.assertGreaterEqual(closed.count(), 20)
        top = (
            ncs.exclude(cause_category=None)
            .values("cause_category__name")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        self.assertEqual(top[0]["cause_category__name"], "Tool wear")
        self.assertEqual(ncs.filter(recurrence_of__isnull=False).count(), 1)
        self.assertTrue(ncs.filter(effectiveness_questioned=True).exists())
        self.assertGreaterEqual(Lesson.objects.filter(organization=self.org_a).count(), 3)
