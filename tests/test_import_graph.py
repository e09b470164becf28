"""Dependencies run one way (docs/architecture.md "Apps"): no two packages of ours import each other,
directly or through others, and core imports no area and not accounts."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import SimpleTestCase

SRC = Path(__file__).resolve().parent.parent / "src" / "qualitas"
# The shared test world (core/testing) builds organizations and people through accounts' services,
# as a person would; the product never imports it.
CORE_TEST_SUPPORT = ("testing",)


def package_imports(src: Path = SRC) -> dict[str, dict[str, list[str]]]:
    """{package: {imported package: ["<file>:<line>", ...]}} for the product code of each package."""
    packages = {p.name for p in src.iterdir() if (p / "__init__.py").exists()}
    edges: dict[str, dict[str, list[str]]] = {}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if len(rel.parts) < 2 or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        package = rel.parts[0]
        if package == "core" and rel.parts[1] in CORE_TEST_SUPPORT:
            continue
        here = ["qualitas", *rel.parts[:-1]]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    names = [".".join([*base, *([node.module] if node.module else [])])]
                else:
                    names = [node.module or ""]
                if names == ["qualitas"]:  # from qualitas import planning
                    names = [f"qualitas.{alias.name}" for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "qualitas" and len(parts) > 1 and parts[1] in packages and parts[1] != package:
                    edges.setdefault(package, {}).setdefault(parts[1], []).append(f"{rel}:{node.lineno}")
    return edges


def cycles(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Every package that can reach itself, with one path back to it."""
    found = []
    for start in sorted(edges):
        paths = [[start, nxt] for nxt in sorted(edges[start])]
        seen: set[str] = set()
        while paths:
            path = paths.pop(0)
            if path[-1] == start:
                found.append(path)
                break
            if path[-1] in seen:
                continue
            seen.add(path[-1])
            paths += [[*path, nxt] for nxt in sorted(edges.get(path[-1], {}))]
    return found


class ImportGraphTests(SimpleTestCase):
    maxDiff = None

    def test_no_package_imports_one_that_imports_it(self) -> None:
        edges = package_imports()
        found = [" -> ".join(path) + f"  (first: {edges[path[0]][path[1]][0]})" for path in cycles(edges)]
        self.assertEqual(found, [], "areas reach each other through registries or queries/services")

    def test_core_imports_no_area_and_not_accounts(self) -> None:
        self.assertEqual(
            package_imports().get("core", {}),
            {},
            "core names accounts' models by label (core.models) and takes what areas give through registries",
        )

    def test_the_walk_sees_relative_and_absolute_imports(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for package, source in {
                "core": "from ..accounts import models\n",
                "accounts": "from qualitas import core\n",
                "planning": "import qualitas.core.services\n",
            }.items():
                (root / package).mkdir()
                (root / package / "__init__.py").write_text("")
                (root / package / "mod.py").write_text(source)
            edges = package_imports(root)
        self.assertEqual(
            {k: sorted(v) for k, v in edges.items()},
            {"core": ["accounts"], "accounts": ["core"], "planning": ["core"]},
        )
        self.assertEqual(cycles(edges), [["accounts", "core", "accounts"], ["core", "accounts", "core"]])
