"""Areas read each other only through their ``queries`` and ``services`` modules (docs/architecture.md).

A module of one area does not import another area's models to query them. Allowed: the kernel
(``core.models``, ``accounts.models``), the area's own models, and imports the model declarations
need: ``models.py`` (foreign keys), migrations, tests, ``demo.py`` files and ``if TYPE_CHECKING:``
blocks (annotations only).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

SRC = Path(__file__).resolve().parent.parent / "src" / "qualitas"
AREAS = ["actions", *settings.QUALITAS_AREAS]
KERNEL = {"core", "accounts"}
EXEMPT_FILES = {"models.py", "demo.py"}
EXEMPT_DIRS = {"migrations", "tests"}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(node: ast.AST, package: str) -> list[str]:
    """The dotted modules an import statement reads (``from x import y`` gives ``x`` and ``x.y``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        parts = package.split(".")
        base = ".".join(parts[: len(parts) - node.level + 1])
        module = f"{base}.{node.module}" if node.module else base
    else:
        module = node.module or ""
    return [module, *(f"{module}.{alias.name}" for alias in node.names)]


def foreign_model_imports(source: str, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for each import of another area's models in ``module``'s source.

    ``module`` is the dotted name of the file (``qualitas.audits.forms``); its area is the second
    part. ``if TYPE_CHECKING:`` bodies are skipped."""
    own = module.split(".")[1]
    package = module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        for name in _imported_modules(node, package):
            parts = name.split(".")
            if (
                len(parts) >= 3
                and parts[0] == "qualitas"
                and parts[2] == "models"
                and parts[1] not in KERNEL
                and parts[1] != own
            ):
                found.append((getattr(node, "lineno", 0), ".".join(parts[:3])))
                break
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def _area_modules() -> list[Path]:
    return sorted(
        path
        for area in AREAS
        for path in (SRC / area).rglob("*.py")
        if path.name not in EXEMPT_FILES and not EXEMPT_DIRS & set(path.relative_to(SRC).parts)
    )


class AreaBoundaryTests(SimpleTestCase):
    maxDiff = None

    def test_areas_do_not_import_other_areas_models(self) -> None:
        offenders = []
        for path in _area_modules():
            rel = path.relative_to(SRC)
            module = ".".join(("qualitas", *rel.with_suffix("").parts))
            offenders += [
                f"{rel}:{line}: imports {name}"
                for line, name in foreign_model_imports(path.read_text(), module)
            ]
        self.assertEqual(
            offenders,
            [],
            "an area reads another area through that area's queries or services module "
            "(add a function there), never by importing its models; annotations go in an "
            "`if TYPE_CHECKING:` block",
        )

    def test_the_rule_catches_what_it_is_meant_to_catch(self) -> None:
        def bad(code: str, module: str = "qualitas.audits.forms") -> bool:
            return bool(foreign_model_imports(code, module))

        self.assertTrue(bad("from qualitas.standards.models import Clause"))
        self.assertTrue(bad("def f():\n    from qualitas.standards.models import Clause"))
        self.assertTrue(bad("import qualitas.reviews.models"))
        self.assertTrue(bad("from qualitas.planning import models"))
        self.assertTrue(bad("from ..planning.models import Process"))
        self.assertTrue(bad("from ...planning.models import Process", "qualitas.audits.api.views"))
        self.assertTrue(bad("if TYPE_CHECKING:\n    pass\nelse:\n    from qualitas.planning.models import P"))
        self.assertFalse(bad("from qualitas.audits.models import Audit"))
        self.assertFalse(bad("from .models import Audit"))
        self.assertFalse(bad("from qualitas.core.models import TenantModel"))
        self.assertFalse(bad("from qualitas.accounts.models import Organization"))
        self.assertFalse(bad("from qualitas.standards import queries"))
        self.assertFalse(bad("from qualitas.standards.queries import clauses"))
        self.assertFalse(bad("if TYPE_CHECKING:\n    from qualitas.standards.models import Clause"))
        self.assertFalse(bad("if typing.TYPE_CHECKING:\n    from qualitas.standards.models import Clause"))
