from pathlib import Path

from django.test import SimpleTestCase

from qualitas.core.management.commands.datamodel import render

DOCS = Path(__file__).resolve().parent.parent / "docs"


class DocsAreCurrentTests(SimpleTestCase):
    def test_data_model_doc_matches_the_models(self) -> None:
        self.assertEqual(
            (DOCS / "data-model.md").read_text(),
            render(),
            "docs/data-model.md is stale: run `uv run qualitas datamodel > docs/data-model.md`",
        )

    def test_every_area_has_a_module_doc(self) -> None:
        from django.conf import settings

        missing = [
            a for a in ["actions", *settings.QUALITAS_AREAS] if not (DOCS / "modules" / f"{a}.md").exists()
        ]
        self.assertEqual(missing, [])
