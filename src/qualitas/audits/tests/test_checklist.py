"""The checklist is generated from the clauses and processes, editable, and reusable as a template."""

from django.urls import reverse

from qualitas.audits import queries, services
from qualitas.audits.tests.factories import make_audit
from qualitas.core import audit as trail
from qualitas.core.testing import QualitasTestCase


class ChecklistTests(QualitasTestCase):
    def setUp(self) -> None:
        from qualitas.planning.services import create_process
        from qualitas.standards.models import Clause

        with trail.context("cli"):
            self.process = create_process(
                organization=self.org_a, actor=self.manager, data={"code": "P07", "name": "Purchasing"}
            )
            clauses = list(
                Clause.objects.filter(standard__code="iso9001-2015", number__in=["8.4.1", "7.1.5.1"])
            )
            self.audit = make_audit(self.org_a, self.manager, processes=[self.process], criteria=clauses)

    def test_generated_questions_come_from_the_clause_family_and_the_process(self) -> None:
        n = services.generate_checklist(self.audit, actor=self.auditor)
        items = list(self.audit.items.select_related("clause", "process"))
        self.assertEqual(n, len(items))
        bank = queries.question_bank()
        self.assertEqual(sum(1 for i in items if i.clause and i.clause.number == "8.4.1"), len(bank["8.4"]))
        self.assertEqual(
            sum(1 for i in items if i.clause and i.clause.number == "7.1.5.1"), len(bank["7.1.5"])
        )
        self.assertEqual(sum(1 for i in items if i.process == self.process), len(bank["process"]))
        self.assertEqual([i.position for i in items], list(range(1, n + 1)))

    def test_generating_twice_adds_nothing_new(self) -> None:
        services.generate_checklist(self.audit, actor=self.auditor)
        self.assertEqual(services.generate_checklist(self.audit, actor=self.auditor), 0)

    def test_checklist_saved_as_template_is_reused_in_another_audit(self) -> None:
        services.generate_checklist(self.audit, actor=self.auditor)
        template = services.save_as_template(self.audit, actor=self.auditor, name="Purchasing")
        self.assertEqual(len(template.questions), self.audit.items.count())
        with trail.context("cli"):
            other = make_audit(self.org_a, self.manager, title="Second purchasing audit")
        services.generate_checklist(other, actor=self.auditor, template=template)
        self.assertEqual(other.items.count(), len(template.questions))
        self.assertTrue(other.items.filter(clause__number="8.4.1").exists())

    def test_result_is_recorded_from_the_audit_page(self) -> None:
        services.generate_checklist(self.audit, actor=self.auditor)
        item = self.audit.items.first()
        self.login(self.auditor)
        response = self.client.post(
            reverse("audits:checklist_item_result", args=[item.pk]),
            {"result": "conforming", "notes": "", "evidence": "Supplier file S-12"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'id="item-{item.pk}"')
        item.refresh_from_db()
        self.assertEqual((item.result, item.evidence), ("conforming", "Supplier file S-12"))

    def test_viewer_cannot_record_results(self) -> None:
        services.generate_checklist(self.audit, actor=self.auditor)
        item = self.audit.items.first()
        self.login(self.viewer)
        response = self.client.post(
            reverse("audits:checklist_item_result", args=[item.pk]), {"result": "ofi"}
        )
        self.assertEqual(response.status_code, 403)

    def test_question_bank_has_no_empty_family(self) -> None:
        for key, questions in queries.question_bank().items():
            self.assertTrue(
                questions and all(q.strip().endswith("?") or q.strip().endswith(".") for q in questions), key
            )
