"""House rules made mechanical (STYLE.md "Tenancy in one place", "Audit trail in one place").

Area views, API modules and forms build no unscoped querysets: they go through the base classes
(`visible_to`), the area's `queries` module, or a queryset scoped to the organization in the same
expression (`.filter(organization=...)`). Services are the only writers: no `.save()` on a
model from a view, form, serializer or API module, and no signals for domain logic.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

SRC = Path(__file__).resolve().parent.parent / "src" / "qualitas"
AREAS = ["actions", *settings.QUALITAS_AREAS]
SHORTCUT = re.compile(r"\bget_object_or_404\b|\bget_list_or_404\b")
SAVE_CALL = re.compile(r"\.save\(\s*(?:update_fields=[^)]*)?\)")
SIGNAL = re.compile(r"\b(?:post_save|pre_save|post_delete|pre_delete|m2m_changed)\b")


# Shipped catalogs shared by every organization (not tenant data).
CATALOG_MODELS = {"Standard", "Clause", "MaturityModel", "Element", "Level", "Criterion", "ContentType"}
SCOPING_CALLS = {"none", "visible_to", "for_org"}


def unscoped_querysets(source: str, filename: str) -> list[str]:
    """Lines where ``Model.objects`` starts a queryset that is not scoped to an organization.

    Scoped means: a ``.visible_to()``/``.for_org()``/``.none()`` or a ``.filter(organization=…)`` in the
    same call chain, or the queryset is handed to ``get_for_request`` (which applies ``visible_to``), or
    it is a form field's class-level ``queryset=`` (the tenant form base narrows those), or the model is
    a shipped catalog. Anything else needs a ``# tenancy: <why>`` comment on the line.
    """
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager", "_base_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id[:1].isupper()
        ):
            continue
        if node.value.id in CATALOG_MODELS or "# tenancy:" in lines[node.lineno - 1]:
            continue
        scoped = False
        current: ast.AST = node
        while current in parents:
            parent = parents[current]
            if isinstance(parent, ast.Attribute) and parent.attr in SCOPING_CALLS:
                scoped = True
            if (
                (
                    isinstance(parent, ast.Call)
                    and isinstance(parent.func, ast.Attribute)
                    and parent.func is current
                )
                and parent.func.attr == "filter"
                and any(k.arg in ("organization", "organization_id") for k in parent.keywords)
            ):
                scoped = True
            if (
                isinstance(parent, ast.Call)
                and isinstance(parent.func, ast.Name)
                and (parent.func.id == "get_for_request")
            ):
                scoped = True
            if (
                isinstance(parent, ast.keyword)
                and parent.arg == "queryset"
                and filename == "forms.py"
                and isinstance(current, ast.Call)
                and isinstance(current.func, ast.Attribute)
                and current.func.attr == "all"
            ):
                scoped = True
            if not isinstance(parent, (ast.Attribute, ast.Call, ast.keyword)):
                break
            current = parent
        if not scoped:
            found.append(f"{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


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
            source = path.read_text()
            offenders += [f"{path.relative_to(SRC)}:{line}" for line in unscoped_querysets(source, path.name)]
            offenders += [
                f"{path.relative_to(SRC)}:{n}: {line.strip()}"
                for n, line in enumerate(source.splitlines(), 1)
                if SHORTCUT.search(line)
            ]
        self.assertEqual(
            offenders,
            [],
            "use the base classes (visible_to), get_for_request, the area's queries "
            "module, or scope the queryset with .filter(organization=...)",
        )

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
        def bad(code: str, filename: str = "views.py") -> bool:
            return bool(unscoped_querysets(code, filename))

        self.assertTrue(bad("obj = Action.objects.get(pk=1)"))
        self.assertTrue(bad("qs = Action.objects.filter(owner=u)"))
        self.assertTrue(bad("qs = Action.objects.all()"))
        self.assertFalse(bad("queryset = Action.objects.none()"))
        self.assertFalse(
            bad("qs = Action.objects.filter(\n    organization=org, owner=u\n).select_related('x')")
        )
        self.assertFalse(bad("obj = get_for_request(request, Action.objects.all(), pk=1)"))
        self.assertFalse(bad("f = forms.ModelChoiceField(queryset=Action.objects.all())", "forms.py"))
        self.assertTrue(bad("f = forms.ModelChoiceField(queryset=Action.objects.all())", "views.py"))
        self.assertFalse(bad("qs = Clause.objects.all()"))
        self.assertFalse(bad("t = Token.objects.get(key=k)  # tenancy: the token names the organization"))
        self.assertTrue(SHORTCUT.search("get_object_or_404(Action, pk=1)"))
        self.assertTrue(SAVE_CALL.search("obj.save()"))
