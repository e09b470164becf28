"""A nonconformity result on the checklist becomes a finding and a nonconformity, linked both ways;
a follow-up audit verifies the closure."""

import datetime as dt

from django.core.exceptions import ValidationError

from qualitas.audits import services
from qualitas.audits.choices import FindingStatus
from qualitas.audits.models import Finding
from qualitas.audits.tests.factories import make_audit, make_item
from qualitas.core import audit as trail
from qualitas.core.testing import QualitasTestCase


class FindingToNonconformityTests(QualitasTestCase):
    def setUp(self) -> None:
        from qualitas.planning.services import create_process

        with trail.context("cli"):
            self.process = create_process(
                organization=self.org_a,
                actor=self.manager,
                data={"code": "P07", "name": "Purchasing", "owner": self.owner},
            )
            self.audit = make_audit(self.org_a, self.manager, processes=[self.process])
            self.item = make_item(self.org_a, self.manager, audit=self.audit, process=self.process)

    def record(self, result: str, notes: str = "Two suppliers were never evaluated.") -> Finding:
        services.update_checklist_item(
            self.item,
            actor=self.auditor,
            data={"result": result, "notes": notes, "evidence": "Approved supplier list rev 4, 2026-02-01"},
        )
        return self.item.findings.get()

    def test_major_result_raises_a_major_nonconformity_linked_both_ways(self) -> None:
        from qualitas.improvement.models import NonconformityLink

        finding = self.record("major_nc")
        nc = finding.nonconformity
        self.assertIsNotNone(nc, "the finding stores the nonconformity it raised")
        self.assertEqual(nc.severity, "major")
        self.assertEqual(nc.source, "internal_audit")
        self.assertEqual(nc.process, self.process)
        self.assertIn("Two suppliers were never evaluated.", nc.description)
        self.assertTrue(
            NonconformityLink.objects.filter(nonconformity=nc, object_id=finding.pk).exists(),
            "the nonconformity links back to the finding",
        )
        self.assertEqual(finding.reference, f"{self.audit.reference}-F01")
        self.assertEqual(finding.status, FindingStatus.OPEN)
        self.assertEqual(self.last_event().action, "finding.link_nonconformity")

    def test_minor_result_raises_a_minor_nonconformity(self) -> None:
        self.assertEqual(self.record("minor_nc").nonconformity.severity, "minor")

    def test_observation_is_a_finding_without_a_nonconformity(self) -> None:
        finding = self.record("observation", "Supplier list could show the evaluation date.")
        self.assertIsNone(finding.nonconformity)
        self.assertEqual(finding.status, FindingStatus.NOTED)

    def test_saving_the_result_again_does_not_raise_a_second_finding(self) -> None:
        self.record("minor_nc")
        self.item.refresh_from_db()
        services.update_checklist_item(self.item, actor=self.auditor, data={"notes": "Clarified wording."})
        self.assertEqual(self.item.findings.count(), 1)

    def test_follow_up_audit_verifies_closure_only_once_the_nonconformity_is_closed(self) -> None:
        finding = self.record("minor_nc")
        with trail.context("cli"):
            follow = make_audit(
                self.org_a,
                self.manager,
                title="Follow-up",
                follow_up_of=self.audit,
                planned_start=dt.date(2026, 6, 1),
            )
            follow.status = "in_progress"
            follow.save(update_fields=["status"])
        with self.assertRaisesMessage(ValidationError, "still"):
            services.verify_finding(finding, actor=self.auditor, audit=follow, note="Checked list rev 5.")
        nc = finding.nonconformity
        nc.status = "closed"
        nc.save(update_fields=["status"])
        finding = Finding.objects.get(pk=finding.pk)
        services.verify_finding(
            finding, actor=self.auditor, audit=follow, note="List rev 5 shows all evaluations."
        )
        finding.refresh_from_db()
        self.assertEqual(finding.status, FindingStatus.VERIFIED)
        self.assertEqual(finding.verified_in, follow)
        self.login(self.viewer)
        self.assertContains(self.client.get(follow.get_absolute_url()), "in " + follow.reference)

    def test_audit_page_shows_open_findings_at_a_glance(self) -> None:
        finding = self.record("major_nc")
        self.login(self.viewer)
        response = self.client.get(self.audit.get_absolute_url())
        self.assertContains(response, finding.reference)
        self.assertContains(response, finding.nonconformity.reference)
        self.assertContains(response, "<strong>1</strong> open nonconformities", html=False)
