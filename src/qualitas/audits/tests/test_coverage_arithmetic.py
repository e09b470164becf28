"""The coverage matrix of a cycle: processes × clauses, planned versus done, gaps."""

from django.test import SimpleTestCase

from qualitas.audits.logic import AuditCoverage, clause_covers, coverage


class ClauseCoverTests(SimpleTestCase):
    def test_a_subclause_covers_its_column_and_a_clause_covers_its_subcolumns(self) -> None:
        self.assertTrue(clause_covers("7.1.5", "7.1"))
        self.assertTrue(clause_covers("8.4", "8.4.1"))
        self.assertTrue(clause_covers("9.2", "9.2"))

    def test_a_sibling_with_a_shared_prefix_does_not_cover(self) -> None:
        self.assertFalse(clause_covers("7.10", "7.1"))
        self.assertFalse(clause_covers("8.5", "8.4"))


class CoverageTests(SimpleTestCase):
    processes = [1, 2, 3]
    clauses = ["7.1", "8.4", "8.5", "9.2"]

    def test_cells_count_planned_and_done_audits(self) -> None:
        cov = coverage(
            self.processes,
            self.clauses,
            [
                AuditCoverage(frozenset({1}), frozenset({"8.4.1", "7.1.5"}), done=True),
                AuditCoverage(frozenset({1, 2}), frozenset({"8.4"}), done=False),
            ],
        )
        self.assertEqual(cov.planned[0], [1, 2, 0, 0])
        self.assertEqual(cov.done[0], [1, 1, 0, 0])
        self.assertEqual(cov.planned[1], [0, 1, 0, 0])
        self.assertEqual(cov.planned[2], [0, 0, 0, 0])
        self.assertEqual(cov.cells_total, 12)
        self.assertEqual(cov.cells_planned, 3)
        self.assertEqual(cov.cells_done, 2)

    def test_gaps_name_the_uncovered_processes_and_clauses(self) -> None:
        cov = coverage(
            self.processes,
            self.clauses,
            [
                AuditCoverage(frozenset({1}), frozenset({"8.4"}), done=True),
                AuditCoverage(frozenset({2}), frozenset({"9.2"}), done=False),
            ],
        )
        self.assertEqual(cov.process_gaps, [3])
        self.assertEqual(cov.clause_gaps, ["7.1", "8.5"])
        self.assertAlmostEqual(cov.clause_share, 0.5)
        self.assertAlmostEqual(cov.process_share, 2 / 3)

    def test_a_system_audit_without_processes_covers_every_process(self) -> None:
        cov = coverage(
            self.processes, self.clauses, [AuditCoverage(frozenset(), frozenset({"9.2"}), done=True)]
        )
        self.assertEqual([row[3] for row in cov.done], [1, 1, 1])
        self.assertEqual(cov.process_gaps, [])

    def test_an_audit_without_criteria_covers_no_clause(self) -> None:
        cov = coverage(self.processes, self.clauses, [AuditCoverage(frozenset({1}), frozenset(), done=True)])
        self.assertEqual(cov.cells_planned, 0)
        self.assertEqual(cov.process_gaps, [1, 2, 3])

    def test_empty_cycle_has_no_share_rather_than_a_division_by_zero(self) -> None:
        cov = coverage([], [], [])
        self.assertIsNone(cov.clause_share)
        self.assertIsNone(cov.process_share)
