"""Completing an audit: the report holds scope, team, summary, strengths, findings and checklist;
clauses audited without a nonconformity are marked verified by audit."""

from django.core import mail
from django.urls import reverse

from qualitas.audits import queries, reports, services
from qualitas.audits.tests.factories import make_audit, make_auditor
from qualitas.core import audit as trail
from qualitas.core.exceptions import TransitionError
from qualitas.core.testing import QualitasTestCase


class AuditCompletionTests(QualitasTestCase):
    def setUp(self) -> None:
        from qualitas.standards.models import Clause

        self.manager.email = "maria@example.com"
        self.manager.save()
        self.owner.email = "owner@example.com"
        self.owner.save()
        with trail.context("cli"):
            lead = make_auditor(self.org_a, self.manager, user=self.auditor)
            clauses = list(
                Clause.objects.filter(standard__code="iso9001-2015", number__in=["8.4.1", "7.5.3.1"])
            )
            self.audit = make_audit(
                self.org_a,
                self.manager,
                criteria=clauses,
                lead_auditor=lead,
                auditees=[self.owner],
                scope="Purchasing at headquarters, orders of 2026",
            )
        services.generate_checklist(self.audit, actor=self.auditor)

    def complete(self) -> None:
        services.transition_audit(self.audit, "prepare", actor=self.auditor)
        services.transition_audit(self.audit, "start", actor=self.auditor)
        items = list(self.audit.items.select_related("clause"))
        first_purchasing = next(i for i in items if i.clause.number == "8.4.1")
        for item in items:
            result = "minor_nc" if item == first_purchasing else "conforming"
            services.update_checklist_item(
                item,
                actor=self.auditor,
                data={
                    "result": result,
                    "notes": "Supplier S-4 was never evaluated." if result != "conforming" else "",
                },
            )
        with self.assertRaisesMessage(TransitionError, "summary"):
            services.transition_audit(self.audit, "report", actor=self.auditor)
        services.update_audit(
            self.audit,
            actor=self.auditor,
            data={
                "summary": "Purchasing works as described, one supplier was not evaluated.",
                "strengths": "Clear purchase order template.",
            },
        )
        services.transition_audit(self.audit, "report", actor=self.auditor)

    def test_report_needs_every_question_answered(self) -> None:
        services.transition_audit(self.audit, "prepare", actor=self.auditor)
        services.transition_audit(self.audit, "start", actor=self.auditor)
        with self.assertRaisesMessage(TransitionError, "no result yet"):
            services.transition_audit(self.audit, "report", actor=self.auditor)

    def test_clauses_without_nonconformity_are_verified_by_audit(self) -> None:
        from qualitas.standards.models import Requirement

        self.complete()
        self.assertEqual(queries.verified_clause_numbers(self.audit), ["7.5.3.1"])
        verified = set(
            Requirement.objects.filter(organization=self.org_a, status="verified").values_list(
                "clause__number", flat=True
            )
        )
        self.assertIn("7.5.3.1", verified)
        self.assertNotIn("8.4.1", verified)

    def test_report_contains_scope_team_summary_strengths_findings_and_checklist(self) -> None:
        self.complete()
        html = reports.report_html(self.audit)
        for text in (
            "Purchasing at headquarters",
            "Auditor",
            "one supplier was not evaluated",
            "Clear purchase order template",
            f"{self.audit.reference}-F01",
            "Minor nonconformity",
            "Supplier S-4 was never evaluated.",
            self.audit.items.first().question[:40],
        ):
            self.assertIn(text, html)
        self.login(self.viewer)
        response = self.client.get(reverse("audits:audit_report", args=[self.audit.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_plan_is_mailed_to_auditees_after_commit(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            recipients = services.send_audit_plan(self.audit, actor=self.auditor)
        self.assertEqual(recipients, ["owner@example.com"])
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertIn(self.audit.reference, message.subject)
        self.assertIn("Purchasing at headquarters", message.body)
        self.assertIn("8.4.1", message.alternatives[0][0])
        self.audit.refresh_from_db()
        self.assertIsNotNone(self.audit.plan_sent_at)

    def test_reported_audit_feeds_the_review_input_and_the_evidence_source(self) -> None:
        import datetime as dt

        from django.utils import timezone

        from qualitas.core.registry import registry

        self.complete()
        today = timezone.localdate()
        data = registry.review_inputs["audits.results"].compute(
            self.org_a, today - dt.timedelta(days=30), today
        )
        figures = dict(data["figures"])
        self.assertEqual(figures["Audits reported"], 1)
        self.assertEqual(figures["Minor nonconformities"], 1)
        self.assertEqual(figures["Open nonconformity findings (all audits)"], 1)
        self.assertEqual(data["chart"]["series"], [1])
        before = registry.review_inputs["audits.results"].compute(
            self.org_a, dt.date(2000, 1, 1), dt.date(2000, 12, 31)
        )
        self.assertEqual(dict(before["figures"])["Audits reported"], 0)
        self.assertEqual(registry.evidence_sources["audits.reports"].summarize(self.org_a)["count"], 1)
        self.assertEqual(registry.evidence_sources["audits.reports"].summarize(self.org_b)["count"], 0)
