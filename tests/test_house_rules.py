"""House rules made mechanical (STYLE.md "Tenancy in one place", "Audit trail in one place").

Area views, API modules and forms build no unscoped querysets: they go through the base classes
(`visible_to`), the area's `queries` module, or a queryset scoped to the organization in the same
expression (`.filter(organization=...)`). Services are the only writers: no `.save()` on a
model from a view, form, serializer or API module, and no signals for domain logic.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

SRC = Path(__file__).resolve().parent.parent / "src" / "qualitas"
AREAS = ["actions", *settings.QUALITAS_AREAS]
# A queryset built in a request module must be scoped to the organization in the same expression.
DIRECT_QUERY = re.compile(
    r"\b[A-Z]\w*\.(?:objects|_default_manager|_base_manager)\b"
    r"(?!\.none\(\)|\.visible_to\(|\.for_org\(|\.filter\(\s*organization(?:_id)?=)"
)
SHORTCUT = re.compile(r"\bget_object_or_404\b|\bget_list_or_404\b")
SAVE_CALL = re.compile(r"\.save\(\s*(?:update_fields=[^)]*)?\)")
SIGNAL = re.compile(r"\b(?:post_save|pre_save|post_delete|pre_delete|m2m_changed)\b")


def _request_modules() -> list[Path]:
    files: list[Path] = []
    for area in AREAS:
        base = SRC / area
        for name in ("views.py", "forms.py", "api/views.py", "api/serializers.py"):
            if (base / name).exists():
                files.append(base / name)
        for pkg in ("views", "api/views"):
            if (base / pkg).is_dir():
                files += sorted((base / pkg).glob("*.py"))
    return files


class HouseRuleTests(SimpleTestCase):
    maxDiff = None

    def test_views_forms_and_api_modules_build_no_querysets_of_their_own(self) -> None:
        offenders = []
        for path in _request_modules():
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if line.lstrip().startswith("#"):
                    continue
                if DIRECT_QUERY.search(line) or SHORTCUT.search(line):
                    offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
        self.assertEqual(offenders, [], "use the base classes (visible_to) or the area's queries module")

    def test_views_forms_and_api_modules_do_not_save_models(self) -> None:
        offenders = []
        for path in _request_modules():
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if SAVE_CALL.search(line) and "form.save" not in line and "serializer.save" not in line:
                    offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
        self.assertEqual(offenders, [], "writes go through the area's services")

    def test_no_signals_for_domain_logic(self) -> None:
        offenders = [
            f"{path.relative_to(SRC)}:{n}"
            for area in AREAS
            for path in (SRC / area).rglob("*.py")
            if "tests" not in path.parts
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if SIGNAL.search(line)
        ]
        self.assertEqual(offenders, [])

    def test_the_rules_catch_what_they_are_meant_to_catch(self) -> None:
        self.assertTrue(DIRECT_QUERY.search("obj = Action.objects.get(pk=1)"))
        self.assertFalse(DIRECT_QUERY.search("queryset = Action.objects.none()"))
        self.assertFalse(DIRECT_QUERY.search("Action.objects.filter(organization=org, owner=u)"))
        self.assertTrue(DIRECT_QUERY.search("Action.objects.filter(owner=u)"))
        self.assertTrue(DIRECT_QUERY.search("Action.objects.all()"))
        self.assertTrue(SHORTCUT.search("get_object_or_404(Action, pk=1)"))
        self.assertTrue(SAVE_CALL.search("obj.save()"))
