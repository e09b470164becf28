"""Shared test bases. See docs/architecture.md "Testing a module"."""

from qualitas.core.testing.world import PASSWORD, QualitasTestCase

__all__ = ["PASSWORD", "QualitasTestCase"]
