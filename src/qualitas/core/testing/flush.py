"""A ``TransactionTestCase`` that writes audit events empties the tables after each test, which the
audit trail's guards refuse (DELETE row by row on SQLite, TRUNCATE on PostgreSQL): this mixin lifts
them for the flush only."""

from __future__ import annotations

from django.db import connections
from django.test import TransactionTestCase

from qualitas.core import db_guards


class FlushesTheTrail(TransactionTestCase):
    def _fixture_teardown(self) -> None:
        aliases = self._databases_names(include_mirrors=False)
        for alias in aliases:
            db_guards.remove(connections[alias])
        try:
            super()._fixture_teardown()
        finally:
            for alias in aliases:
                db_guards.install(connections[alias])
