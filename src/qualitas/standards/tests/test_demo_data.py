"""The demo company: production scope, 8.3 not applicable with a justification, about 60 % ready."""

import random

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import demo, queries, readiness
from qualitas.standards.models import ReadinessSnapshot


class DemoDataTests(QualitasTestCase):
    def test_demo_is_a_realistic_mid_way_organization(self) -> None:
        people = {
            "admin": self.admin,
            "quality": self.manager,
            "director": self.owner,
            "production": self.owner,
            "purchasing": self.member,
            "auditor": self.auditor,
            "operator": self.member,
            "operator2": self.member,
            "certifier": self.viewer,
        }
        with audit.context("cli"):
            demo.load(self.org_a, people, random.Random(1))
            demo.link_demo_evidence(self.org_a, people, random.Random(1))
        scope = queries.scope_of(self.org_a)
        self.assertEqual(scope.profile, "production")
        self.assertNotIn("8.3.1", {c.number for c in queries.applicable_clauses(self.org_a)})
        figures = readiness.compute(self.org_a)
        self.assertGreater(figures["overall"], 0.55)
        self.assertLess(figures["overall"], 0.65)
        self.assertTrue(figures["gap_counts"]["no_owner"])
        self.assertTrue(figures["gap_counts"]["overdue"])
        self.assertGreater(ReadinessSnapshot.objects.filter(organization=self.org_a).count(), 10)
