"""The shipped catalog: every ISO 9001:2015 clause once, numbering and parents consistent, reloadable."""

from django.core.management import call_command
from django.test import TestCase

from qualitas.standards import queries
from qualitas.standards.catalog import CatalogError, sort_key, validate
from qualitas.standards.models import Clause, Standard

# iso-facts.md §1.1: every clause and subclause of ISO 9001:2015, clauses 4 to 10.
ISO9001_NUMBERS = """
4 4.1 4.2 4.3 4.4 4.4.1 4.4.2
5 5.1 5.1.1 5.1.2 5.2 5.2.1 5.2.2 5.3
6 6.1 6.1.1 6.1.2 6.2 6.2.1 6.2.2 6.3
7 7.1 7.1.1 7.1.2 7.1.3 7.1.4 7.1.5 7.1.5.1 7.1.5.2 7.1.6 7.2 7.3 7.4 7.5 7.5.1 7.5.2 7.5.3 7.5.3.1 7.5.3.2
8 8.1 8.2 8.2.1 8.2.2 8.2.3 8.2.3.1 8.2.3.2 8.2.4 8.3 8.3.1 8.3.2 8.3.3 8.3.4 8.3.5 8.3.6
8.4 8.4.1 8.4.2 8.4.3 8.5 8.5.1 8.5.2 8.5.3 8.5.4 8.5.5 8.5.6 8.6 8.7 8.7.1 8.7.2
9 9.1 9.1.1 9.1.2 9.1.3 9.2 9.2.1 9.2.2 9.3 9.3.1 9.3.2 9.3.3
10 10.1 10.2 10.2.1 10.2.2 10.3
""".split()  # noqa: SIM905

MAINTAIN = {"4.3", "5.2.2", "6.2.1", "8.5.1"}
RETAIN = {
    "7.1.5.1",
    "7.1.5.2",
    "7.2",
    "8.2.3.2",
    "8.3.3",
    "8.3.4",
    "8.3.5",
    "8.3.6",
    "8.4.1",
    "8.5.2",
    "8.5.3",
    "8.5.6",
    "8.6",
    "8.7.2",
    "9.1.1",
    "9.2.2",
    "9.3.3",
    "10.2.2",
}


class CatalogIntegrityTests(TestCase):
    def test_every_iso9001_clause_is_present_exactly_once(self) -> None:
        numbers = list(queries.clauses().values_list("number", flat=True))
        self.assertEqual(sorted(numbers), sorted(ISO9001_NUMBERS))
        self.assertEqual(len(numbers), len(set(numbers)))

    def test_clauses_come_in_reading_order(self) -> None:
        self.assertEqual(list(queries.clauses().values_list("number", flat=True)), ISO9001_NUMBERS)
        self.assertLess(sort_key("9.3.3"), sort_key("10"))
        self.assertLess(sort_key("4.9"), sort_key("4.10"))

    def test_parent_links_and_levels_follow_the_numbering(self) -> None:
        for clause in queries.clauses():
            if "." in clause.number:
                self.assertEqual(clause.parent.number, clause.number.rsplit(".", 1)[0], clause.number)
            else:
                self.assertIsNone(clause.parent)
            self.assertEqual(clause.level, clause.number.count(".") + 1)
            self.assertEqual(clause.group, clause.number.split(".")[0])

    def test_only_clauses_without_subclauses_are_auditable(self) -> None:
        auditable = set(queries.auditable_clauses().values_list("number", flat=True))
        self.assertIn("7.1.5.1", auditable)
        self.assertIn("8.5.1", auditable)
        self.assertIn("10.3", auditable)
        self.assertNotIn("7.1.5", auditable)
        self.assertNotIn("8", auditable)

    def test_every_auditable_clause_has_our_description_and_typical_evidence(self) -> None:
        for clause in queries.auditable_clauses():
            self.assertTrue(clause.description, clause.number)
            self.assertTrue(clause.guidance, clause.number)
            self.assertTrue(clause.typical_evidence, clause.number)

    def test_documented_information_matches_the_maintain_and_retain_lists(self) -> None:
        di = dict(queries.clauses().values_list("number", "documented_information"))
        for n in MAINTAIN:
            self.assertIn(di[n], ("maintain", "both"), n)
        for n in RETAIN:
            self.assertIn(di[n], ("retain", "both"), n)
        self.assertEqual(di["4.4.2"], "both")
        self.assertEqual(di["8.1"], "both")
        self.assertEqual(di["8.5.4"], "")

    def test_the_2024_climate_amendment_is_noted_on_4_1_and_4_2(self) -> None:
        notes = dict(
            queries.clauses().filter(number__in=["4.1", "4.2"]).values_list("number", "amendment_note")
        )
        self.assertIn("climate", notes["4.1"])
        self.assertIn("climate", notes["4.2"])

    def test_iso9004_and_the_1994_elements_are_loaded_with_their_kind(self) -> None:
        self.assertEqual(Standard.objects.get(code="iso9004-2018").kind, "guidance")
        self.assertEqual(queries.clauses("iso9004-2018").filter(level=1).count(), 8)
        self.assertTrue(queries.clauses("iso9004-2018").filter(number="11.4.3", verified=False).exists())
        legacy = Standard.objects.get(code="iso9001-1994")
        self.assertEqual(legacy.kind, "legacy")
        self.assertEqual(queries.legacy_elements().count(), 20)

    def test_every_crosswalk_target_exists_in_iso9001(self) -> None:
        existing = set(queries.clauses().values_list("number", flat=True))
        for element in queries.legacy_elements():
            self.assertTrue(element.maps_to, element.number)
            self.assertLessEqual(set(element.maps_to), existing, element.number)
        flags = dict(queries.legacy_elements().values_list("number", "verified"))
        self.assertFalse(flags["4.1"], "derived mappings are marked to check")
        self.assertTrue(flags["4.11"])
        design = queries.legacy_elements().get(number="4.4")
        self.assertEqual(queries.crosswalk(design)[0].number, "8.3.1")

    def test_reloading_is_idempotent_and_keeps_clause_ids(self) -> None:
        before = dict(Clause.objects.values_list("standard__code", "pk").filter(number="8.3"))
        ids = set(Clause.objects.values_list("pk", flat=True))
        call_command("load_standards", verbosity=0)
        self.assertEqual(set(Clause.objects.values_list("pk", flat=True)), ids)
        self.assertEqual(
            dict(Clause.objects.values_list("standard__code", "pk").filter(number="8.3")), before
        )

    def test_a_malformed_file_is_refused_with_a_clear_message(self) -> None:
        with self.assertRaisesMessage(CatalogError, "before its parent"):
            validate({"standard": {"code": "x", "title": "X"}, "clauses": [{"number": "4.1", "title": "A"}]})
        with self.assertRaisesMessage(CatalogError, "appears twice"):
            validate(
                {
                    "standard": {"code": "x", "title": "X"},
                    "clauses": [{"number": "4", "title": "A"}, {"number": "4", "title": "B"}],
                }
            )
