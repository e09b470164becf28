"""Inspection records and readings through the API: read only (they arrive through the reading
batches, tested in test_readings_import), so list, detail and tenancy."""

from typing import Any

from qualitas.core.testing.cases import APITestCases
from qualitas.production.models import InspectionRecord, Reading


class _NoHistoryRoute:
    def test_api_history_lists_the_record_events(self: Any) -> None:
        # No history route on a read-only endpoint: the import's event is the lot's history.
        obj = self.make_a()
        self.assertEqual(self.api_client(self.viewer).get(self.api_url(obj) + "history/").status_code, 404)


class InspectionRecordAPITests(_NoHistoryRoute, APITestCases.List, APITestCases.Detail):
    model = InspectionRecord


class ReadingAPITests(_NoHistoryRoute, APITestCases.List, APITestCases.Detail):
    model = Reading
