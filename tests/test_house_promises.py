"""Two promises of the house style, checked over the whole code base:

- every service that writes leaves an audit event: each public function of a ``services`` module
  that writes (an ORM write or a transaction) reaches one of core's audited writers, directly or
  through other service functions;
- every routed model has CRUD tests: a model with pages (``<model>_list``/``_add``) has a
  ``ViewTestCases`` class, a model with an API list has an ``APITestCases`` class.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver

SRC = Path(__file__).resolve().parent.parent / "src" / "qualitas"

# core's writers that leave the event (core/services.py, core/audit, core/bulk.py).
AUDITED = {
    "append",
    "record",
    "tracking",
    "create_record",
    "create_numbered",
    "update_record",
    "delete_record",
    "workflow_step",
    "add_comment",
    "add_attachment",
    "remove_attachment",
    "BulkAuditWriter",
}
ORM_WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "create"}


def service_modules(src: Path = SRC) -> Iterator[Path]:
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if path.name == "services.py" or "services" in rel.parts[:-1]:
            yield path


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Name):
                names.add(sub.func.id)
            elif isinstance(sub.func, ast.Attribute):
                names.add(sub.func.attr)
                if sub.func.attr == "update" and isinstance(sub.func.value, ast.Call):
                    names.add("queryset.update")  # qs.filter(...).update(...), not dict.update
    return names


def _writes(node: ast.FunctionDef, calls: set[str]) -> bool:
    atomic = any(
        (isinstance(d, ast.Attribute) and d.attr == "atomic")
        or (isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "atomic")
        for d in node.decorator_list
    )
    return atomic or bool(calls & (ORM_WRITES | {"queryset.update"}))


def unaudited_writers(paths: list[Path], root: Path = SRC) -> list[str]:
    """Public service functions that write but reach no audited writer."""
    functions: dict[tuple[str, str], ast.FunctionDef] = {}
    for path in paths:
        for node in ast.parse(path.read_text(), str(path)).body:
            if isinstance(node, ast.FunctionDef):
                functions[(str(path.relative_to(root)), node.name)] = node
    calls = {key: _calls(node) for key, node in functions.items()}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for key in functions:
        by_name.setdefault(key[1], []).append(key)
    audited = {key for key, names in calls.items() if names & AUDITED}
    grew = True
    while grew:
        grew = False
        for key, names in calls.items():
            if key not in audited and any(k in audited for n in names for k in by_name.get(n, [])):
                audited.add(key)
                grew = True
    return sorted(
        f"{path}: {name}"
        for (path, name), node in functions.items()
        if not name.startswith("_") and (path, name) not in audited and _writes(node, calls[(path, name)])
    )


def _patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield namespace, p


def _model_of(pattern: URLPattern) -> Any:
    view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
    model = getattr(view, "model", None)
    queryset = getattr(view, "queryset", None)
    return model if model is not None else getattr(queryset, "model", None)


def routed_models() -> dict[Any, set[str]]:
    """{model: {"pages", "api"}} for every model with a list or create page or an API list."""
    found: dict[Any, set[str]] = {}
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        model = _model_of(pattern)
        if model is None or namespace == "admin" or not pattern.name:
            continue
        if pattern.name.endswith(("_list", "_add")):
            found.setdefault(model, set()).add("pages")
        if pattern.name.endswith("-list"):
            found.setdefault(model, set()).add("api")
    return found


def models_with_crud_tests() -> dict[Any, set[str]]:
    """{model: {"pages", "api"}} for the models that ViewTestCases / APITestCases classes configure."""
    from qualitas.core.testing.cases import APITestCases, ViewTestCases, _Base

    for config in apps.get_app_configs():
        if not config.name.startswith("qualitas."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("test_"):
                importlib.import_module(f"{config.name}.tests.{info.name}")
    kinds = {
        "pages": tuple(v for v in vars(ViewTestCases).values() if isinstance(v, type)),
        "api": tuple(v for v in vars(APITestCases).values() if isinstance(v, type)),
    }
    found: dict[Any, set[str]] = {}
    pending = list(_Base.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        model = getattr(cls, "model", None)
        if model is None or cls.__module__.startswith("qualitas.core.testing"):
            continue
        for kind, bases in kinds.items():
            if issubclass(cls, bases):
                found.setdefault(model, set()).add(kind)
    return found


# Routed models whose area has not written its CRUD classes yet: remove an entry with its tests.
# Empty now: every routed model has them; a new routed model comes with its classes.
PENDING_CRUD_TESTS: dict[str, set[str]] = {}


class HousePromiseTests(SimpleTestCase):
    maxDiff = None

    def test_every_writing_service_leaves_an_audit_event(self) -> None:
        self.assertEqual(
            unaudited_writers(list(service_modules())),
            [],
            "write through core.services (create_record, update_record, ...) or audit.tracking/record",
        )

    def test_every_routed_model_has_crud_tests(self) -> None:
        tested = models_with_crud_tests()
        missing = {
            model._meta.label_lower: kinds - tested.get(model, set())
            for model, kinds in routed_models().items()
        }
        missing = {label: kinds for label, kinds in missing.items() if kinds}
        self.assertEqual(
            missing,
            PENDING_CRUD_TESTS,
            "add ViewTestCases/APITestCases classes for the model (docs/architecture.md, Testing); "
            "when a pending model gets them, remove it from PENDING_CRUD_TESTS",
        )

    def test_the_audit_check_catches_a_silent_writer(self) -> None:
        import tempfile

        source = (
            "from django.db import transaction\n"
            "def _helper(obj):\n    obj.save()\n"
            "def create_thing(**kw):\n    return create_record(Thing, **kw)\n"
            "def rename(obj, name):\n    obj.name = name\n    _helper(obj)\n    obj.save()\n"
            "def close(obj):\n    return rename(obj, 'x') or create_thing()\n"
            "@transaction.atomic\ndef purge(org):\n"
            "    Thing.objects.filter(organization=org).update(gone=True)\n"
            "def settings_for(org):\n    data = {}\n    data.update(a=1)\n    return data\n"
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "services.py"
            path.write_text(source)
            found = unaudited_writers([path], Path(tmp))
        self.assertEqual(found, ["services.py: purge", "services.py: rename"])

    def test_the_composite_crud_classes_test_pages_and_api(self) -> None:
        from qualitas.core.testing.cases import APITestCases, CrudTestCases, ViewTestCases

        for composite in (CrudTestCases.Crud, CrudTestCases.CrudDelete):
            self.assertTrue(issubclass(composite, ViewTestCases.Crud))
            self.assertTrue(issubclass(composite, APITestCases.Crud))
        self.assertTrue(issubclass(CrudTestCases.CrudDelete, APITestCases.Delete))
        self.assertFalse(issubclass(CrudTestCases.Crud, APITestCases.Delete))
