"""One stylesheet, linked once; its colours are theme variables."""

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

SRC = Path(settings.BASE_DIR)
SHEET = SRC / "static" / "qualitas" / "qualitas.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(")


class StylesheetTests(SimpleTestCase):
    def test_the_base_template_links_the_one_stylesheet_and_no_other_template_links_any(self) -> None:
        sheets = sorted(p.name for p in SHEET.parent.glob("*.css"))
        self.assertEqual(sheets, ["qualitas.css"])
        linking = sorted(
            str(p.relative_to(SRC / "templates"))
            for p in (SRC / "templates").rglob("*.html")
            if 'rel="stylesheet"' in p.read_text()
        )
        self.assertEqual(linking, ["base.html"])

    def test_colours_are_written_once_as_theme_variables(self) -> None:
        css = SHEET.read_text()
        root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
        rest = css.replace(root, "")
        self.assertEqual(COLOUR.findall(rest), [], "use a theme variable (var(--…)) from :root")
        used = set(re.findall(r"var\((--[a-z0-9-]+)\)", css))
        declared = set(re.findall(r"(--[a-z0-9-]+):", root))
        self.assertEqual(used - declared, set(), "every variable used is declared in :root")
