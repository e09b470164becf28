"""The functions other areas rely on: clauses(), applicable_clauses(), mark_verified_by_audit()."""

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import queries, services
from qualitas.standards.models import EvidenceLink, LegacyProcedure, Requirement


class ContractTests(QualitasTestCase):
    def test_clauses_are_ordered_by_sort_key(self) -> None:
        keys = list(queries.clauses().values_list("sort_key", flat=True))
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(queries.clauses()[0].number, "4")

    def test_applicable_clauses_leave_out_non_applicable_ones(self) -> None:
        self.assertIn("8.3.2", {c.number for c in queries.applicable_clauses(self.org_a)})
        with audit.context("cli"):
            services.set_applicability(
                self.org_a,
                "8.3",
                actor=self.manager,
                applicable=False,
                justification="We machine to customer drawings only.",
            )
        numbers = {c.number for c in queries.applicable_clauses(self.org_a)}
        self.assertNotIn("8.3.2", numbers)
        self.assertIn("8.4.1", numbers)
        self.assertIn("8.3.2", {c.number for c in queries.applicable_clauses(self.org_b)})
        with_headings = {c.number for c in queries.applicable_clauses(self.org_a, include_parents=True)}
        self.assertIn("8.5", with_headings)
        self.assertNotIn("8.3", with_headings)

    def test_mark_verified_by_audit_sets_status_links_the_audit_and_records_events(self) -> None:
        with audit.context("cli"):
            element = queries.legacy_elements().get(number="4.17")
            audit_record = services.create_legacy_procedure(
                organization=self.org_a,
                actor=self.manager,
                data={"reference": "QP-17", "title": "Internal audits", "element": element},
            )
            done = services.mark_verified_by_audit(
                self.org_a, clause_numbers=["9.2", "8.5.1"], audit=audit_record, actor=self.auditor
            )
        self.assertEqual(sorted(r.clause.number for r in done), ["8.5.1", "9.2.1", "9.2.2"])
        req = Requirement.objects.get(organization=self.org_a, clause__number="8.5.1")
        self.assertEqual(req.status, "verified")
        link = EvidenceLink.objects.get(requirement=req)
        self.assertEqual(link.target, audit_record)
        self.assertIn("requirement.verify", [e.action for e in self.events_for(req)])
        self.assertIsInstance(audit_record, LegacyProcedure)

    def test_mark_verified_by_audit_refuses_an_audit_of_another_organization(self) -> None:
        from django.core.exceptions import ValidationError

        with audit.context("cli"):
            element = queries.legacy_elements().get(number="4.17")
            other = services.create_legacy_procedure(
                organization=self.org_b,
                actor=self.outsider,
                data={"reference": "B-17", "title": "Audits", "element": element},
            )
            with self.assertRaises(ValidationError):
                services.mark_verified_by_audit(
                    self.org_a, clause_numbers=["9.2"], audit=other, actor=self.auditor
                )
        self.assertFalse(Requirement.objects.filter(organization=self.org_a, status="verified").exists())
