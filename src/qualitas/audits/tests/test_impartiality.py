"""An auditor must not audit their own area (ISO 9001 9.2.2 c)."""

import datetime as dt

from django.test import SimpleTestCase

from qualitas.audits import queries
from qualitas.audits.logic import impartiality_warnings
from qualitas.audits.tests.factories import make_audit, make_auditor
from qualitas.core import audit as trail
from qualitas.core.testing import QualitasTestCase


class ImpartialityRuleTests(SimpleTestCase):
    def test_auditing_a_process_one_works_in_is_warned(self) -> None:
        warnings = impartiality_warnings(
            auditor_name="Sofia",
            auditor_user_id=7,
            own_process_ids=[3],
            audited=[(3, "P03 Purchasing", None), (4, "P04 Production", 9)],
        )
        self.assertEqual(warnings, ["Sofia works in P03 Purchasing: they should not audit their own area."])

    def test_auditing_a_process_one_owns_is_warned(self) -> None:
        warnings = impartiality_warnings(
            auditor_name="Lena", auditor_user_id=9, own_process_ids=[], audited=[(4, "P04 Production", 9)]
        )
        self.assertEqual(len(warnings), 1)
        self.assertIn("owns P04 Production", warnings[0])

    def test_an_independent_auditor_gets_no_warning(self) -> None:
        self.assertEqual(
            impartiality_warnings(
                auditor_name="X", auditor_user_id=1, own_process_ids=[5], audited=[(4, "P04", 2)]
            ),
            [],
        )


class ImpartialityPageTests(QualitasTestCase):
    def test_audit_page_warns_when_the_lead_auditor_audits_their_own_process(self) -> None:
        from qualitas.planning.models import Process

        with trail.context("cli"):
            process = Process.objects.create(
                organization=self.org_a, code="P03", name="Purchasing", owner=self.owner
            )
            auditor = make_auditor(self.org_a, self.manager, user=self.auditor, own_processes=[process])
            independent = make_auditor(self.org_a, self.manager)
            mine = make_audit(
                self.org_a,
                self.manager,
                processes=[process],
                lead_auditor=auditor,
                planned_start=dt.date(2026, 5, 1),
            )
            other = make_audit(self.org_a, self.manager, processes=[process], lead_auditor=independent)
        self.assertEqual(len(queries.audit_impartiality(mine)), 1)
        self.assertEqual(queries.audit_impartiality(other), [])
        self.login(self.viewer)
        self.assertContains(self.client.get(mine.get_absolute_url()), "should not audit their own area")
        self.assertNotContains(self.client.get(other.get_absolute_url()), "should not audit")
