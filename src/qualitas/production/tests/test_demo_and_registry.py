"""The demo line loads through services and the area feeds readiness, indicators and the review."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password

from qualitas.core import audit
from qualitas.core.registry import registry
from qualitas.core.testing import QualitasTestCase
from qualitas.production import analysis, demo
from qualitas.production.models import Characteristic, LotRelease, Reading, Signal


class DemoTests(QualitasTestCase):
    def test_demo_has_a_drifting_and_a_capable_characteristic_signals_and_releases(self) -> None:
        people = {"quality": self.manager, "production": self.owner, "operator": self.member}
        from unittest import mock

        with audit.context("cli"), mock.patch.object(demo, "_demo_password", return_value="x"):
            self.manager.password = make_password("x")
            self.manager.save(update_fields=["password"])
            demo.load(self.org_a, people, random.Random(7))
        self.assertGreater(Reading.objects.filter(organization=self.org_a).count(), 5000)
        drifting = Characteristic.objects.get(organization=self.org_a, name="Bearing seat diameter")
        view = analysis.chart_view(drifting)
        late = [i for i in view.violations if i > view.series.count * 0.75]
        self.assertTrue(late, "the drift fires rules in the last months")
        length = Characteristic.objects.get(organization=self.org_a, name="Overall length")
        cpk = analysis.capability_of(length, analysis.chart_view(length)).cpk
        self.assertGreater(cpk, 1.4)
        self.assertTrue(
            Signal.objects.filter(
                organization=self.org_a, kind="out_of_spec", nonconformity_id__isnull=False
            ).exists()
        )
        self.assertGreater(LotRelease.objects.filter(organization=self.org_a).count(), 100)
        # The registries answer with live figures.
        self.assertEqual(
            registry.indicators["production.critical_capable"].compute(self.org_a)["value"] is None, False
        )
        today = dt.date.today()
        review = registry.review_inputs["production.performance"].compute(
            self.org_a, today.replace(year=today.year - 1), today
        )
        self.assertIn("inspections", review["summary"])
        for key in ("production.releases", "production.traceability", "production.equipment"):
            self.assertGreater(registry.evidence_sources[key].summarize(self.org_a)["count"], 0, key)
