import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from qualitas.assessment import catalog, queries
from qualitas.assessment.models import Criterion, Element, MaturityModel


class ShippedModelTests(TestCase):
    def test_fresh_database_has_the_iso9004_model_from_the_data_migration(self) -> None:
        model = MaturityModel.objects.get(code="iso9004-2018")
        numbers = set(model.elements.filter(kind="element").values_list("number", flat=True))
        self.assertTrue(
            {"5.2", "5.3", "6.2", "7.2", "8.4", "9.2.2", "9.5.3", "10.6", "11.2", "11.4"} <= numbers
        )
        self.assertEqual(
            sorted(model.elements.filter(kind="key").values_list("number", flat=True), key=int),
            ["5", "6", "7", "8", "9", "10", "11"],
        )

    def test_every_element_has_five_levels_with_two_to_four_criteria(self) -> None:
        for element in queries.elements_with_levels(Element.objects.filter(kind="element")):
            levels = list(element.levels.all())
            self.assertEqual([lv.number for lv in levels], [1, 2, 3, 4, 5], element)
            for level in levels:
                self.assertTrue(2 <= len(level.criteria.all()) <= 4, f"{element} level {level.number}")

    def test_small_profile_is_a_subset_of_the_detailed_scope(self) -> None:
        model = queries.default_model()
        small = set(queries.scope_elements(model, "small").values_list("number", flat=True))
        detailed = set(queries.scope_elements(model, "detailed").values_list("number", flat=True))
        self.assertTrue(small < detailed)
        self.assertGreaterEqual(len(small), 10)

    def test_shipped_file_is_valid(self) -> None:
        for path in catalog.shipped_files():
            self.assertEqual(catalog.validate(catalog.read_file(path)), [], path)


class LoaderTests(TestCase):
    def test_reloading_keeps_criterion_ids_stable(self) -> None:
        before = set(Criterion.objects.values_list("pk", flat=True))
        call_command("load_maturity_models", verbosity=0)
        self.assertEqual(set(Criterion.objects.values_list("pk", flat=True)), before)

    def test_a_consultant_model_in_toml_loads_next_to_the_shipped_one(self) -> None:
        levels = "\n".join(
            f'[[clauses.elements.levels]]\ncriteria = ["Statement {n}a", "Statement {n}b"]'
            for n in range(1, 6)
        )
        toml = (
            'format = "qualitas-maturity-model"\nformat_version = 1\ncode = "acme-lean"\n'
            'title = "Acme lean model"\nversion = "1"\nlevel_names = ["A", "B", "C", "D", "E"]\n\n'
            '[[clauses]]\nnumber = "1"\ntitle = "Flow"\n[clauses.key_question]\n'
            'question = "How smooth is the flow?"\nlevels = ["a", "b", "c", "d", "e"]\n'
            f'[[clauses.elements]]\nnumber = "1.1"\ntitle = "Pull"\n{levels}\n'
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "acme.toml"
            path.write_text(toml)
            call_command("load_maturity_models", str(path), verbosity=0)
        model = MaturityModel.objects.get(code="acme-lean")
        self.assertEqual(model.elements.count(), 2)
        self.assertTrue(MaturityModel.objects.filter(code="iso9004-2018").exists())

    def test_a_bad_model_file_is_refused_with_its_problems_named(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bad.json"
            path.write_text(
                json.dumps(
                    {
                        "format": "qualitas-maturity-model",
                        "code": "bad",
                        "title": "Bad",
                        "version": "1",
                        "level_names": ["a"] * 5,
                        "clauses": [
                            {
                                "number": "1",
                                "title": "X",
                                "key_question": {"question": "?", "levels": ["a"] * 5},
                                "elements": [
                                    {"number": "2.1", "title": "Y", "levels": [{"criteria": ["c"]}] * 4}
                                ],
                            }
                        ],
                    }
                )
            )
            with self.assertRaisesMessage(CommandError, "needs exactly five levels"):
                call_command("load_maturity_models", str(path), verbosity=0)
        self.assertFalse(MaturityModel.objects.filter(code="bad").exists())
