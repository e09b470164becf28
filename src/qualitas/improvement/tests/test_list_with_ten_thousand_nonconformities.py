"""The nonconformity list and API answer with the same queries for 1 and 10,001 rows, one page at a time."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.improvement.models import Nonconformity
from qualitas.improvement.tests.factories import make_nc

LIST_QUERIES = 8  # same as NonconformityViewTests.list_query_count
API_LIST_QUERIES = 4  # same as NonconformityAPITests.api_list_query_count
BULK = 10_000


def bulk_nonconformities(org: object, actor: object) -> None:
    """Test-only fixture: 10,000 valid rows in a few INSERTs. bulk_create bypasses the services (no
    audit events, no numbering counter), which is acceptable here because nothing is audited about
    fixtures; the references use their own prefix so they stay unique and never meet the counter."""
    start = dt.date(2020, 1, 1)
    rows = [
        Nonconformity(
            organization=org,
            created_by=actor,
            reference=f"NC-BULK-{i:05d}",
            title=f"Bulk nonconformity {i}",
            source="inspection",
            severity=("critical", "major", "minor")[i % 3],
            detected_on=start + dt.timedelta(days=i % 1500),
            due_date=start + dt.timedelta(days=i % 1500 + 30),
        )
        for i in range(BULK)
    ]
    for row in rows[:3]:  # the rows are valid as the services would make them
        row.full_clean()
    Nonconformity.objects.bulk_create(rows, batch_size=2000)


class TenThousandNonconformitiesTests(QualitasTestCase):
    def test_list_page_and_api_keep_their_query_count_and_show_the_first_page_only(self) -> None:
        newest = make_nc(self.org_a, self.manager, detected_on=dt.date(2026, 1, 5))
        self.login(self.viewer)
        api = self.api_client(self.viewer)
        page_url, api_url = reverse("improvement:nonconformity_list"), reverse("nonconformity-list")
        self.client.get(page_url)  # warm caches (content types, sessions)
        api.get(api_url)
        with CaptureQueriesContext(connection) as page_one:
            self.client.get(page_url)
        with CaptureQueriesContext(connection) as api_one:
            api.get(api_url)

        bulk_nonconformities(self.org_a, self.manager)
        self.assertEqual(Nonconformity.objects.filter(organization=self.org_a).count(), BULK + 1)

        with CaptureQueriesContext(connection) as page_many:
            response = self.client.get(page_url)
        with CaptureQueriesContext(connection) as api_many:
            api_response = api.get(api_url)
        self.assertEqual((len(page_one), len(page_many)), (LIST_QUERIES, LIST_QUERIES))
        self.assertEqual((len(api_one), len(api_many)), (API_LIST_QUERIES, API_LIST_QUERIES))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertContains(response, newest.reference)  # newest first
        self.assertNotContains(response, "NC-BULK-00000")  # detected 2020-01-01: on the last page
        self.assertEqual(api_response.status_code, 200)
        self.assertEqual(len(api_response.json()["results"]), 50)
