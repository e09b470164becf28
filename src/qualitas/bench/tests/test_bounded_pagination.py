from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.api.pagination import BoundedCount, BoundedPaginator
from qualitas.core.testing import QualitasTestCase

BOUND = 10


def count_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


class BoundedPaginationTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"):
            for i in range(14):
                make_action(cls.org_a, cls.manager, title=f"Task {i:02d}")

    def test_api_count_stops_at_the_bound_and_says_so(self) -> None:
        client = self.api_client(self.viewer)
        with (
            mock.patch.object(BoundedPaginator, "count_bound", BOUND),
            CaptureQueriesContext(connection) as q,
        ):
            body = client.get(reverse("action-list"), {"page_size": 5}).json()
        self.assertEqual(body["count"], BOUND)
        self.assertFalse(body["count_exact"])
        self.assertIsNotNone(body["next"])
        [count_sql] = count_queries(q)
        self.assertIn(f"LIMIT {BOUND + 1}", count_sql.upper(), "the count reads at most bound + 1 rows")

    def test_api_pages_beyond_the_bound_are_still_reachable_and_end(self) -> None:
        client = self.api_client(self.viewer)
        with mock.patch.object(BoundedPaginator, "count_bound", BOUND):
            page3 = client.get(reverse("action-list"), {"page_size": 5, "page": 3}).json()
            page4 = client.get(reverse("action-list"), {"page_size": 5, "page": 4})
        self.assertEqual(len(page3["results"]), 4)  # rows 11-14, past the bound of 10
        self.assertIsNone(page3["next"], "no next link after the last row")
        self.assertEqual(page4.status_code, 404)

    def test_small_lists_keep_the_exact_count(self) -> None:
        body = self.api_client(self.viewer).get(reverse("action-list")).json()
        self.assertEqual(body["count"], 14)
        self.assertTrue(body["count_exact"])

    def test_list_page_says_bound_plus_and_keeps_its_query_count(self) -> None:
        self.login(self.viewer)
        url = reverse("actions:action_list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as exact:
            self.client.get(url, {"per_page": 10})
        with mock.patch.object(BoundedPaginator, "count_bound", BOUND):
            with CaptureQueriesContext(connection) as bounded:
                response = self.client.get(url, {"per_page": 10})
            deep = self.client.get(url, {"per_page": 10, "page": 2})
        self.assertContains(response, "10+ records")
        self.assertContains(response, "Page 1 of 2+")
        self.assertEqual(len(bounded), len(exact), "bounding the count adds no query")
        self.assertEqual(len(deep.context["rows"]), 4)
        self.assertFalse(deep.context["page"].has_next())

    def test_bounded_count_prints_as_a_lower_bound(self) -> None:
        self.assertEqual(str(BoundedCount(10000, exact=False)), "10,000+")
        self.assertEqual(str(BoundedCount(42)), "42")
        self.assertEqual(BoundedCount(10000, exact=False) + 1, 10001)

    def test_deep_pages_read_ids_first_and_keep_order_and_rows(self) -> None:
        client = self.api_client(self.viewer)
        url = reverse("action-list")
        params = {"page_size": 3, "page": 3, "ordering": "-reference"}
        shallow = client.get(url, params).json()
        with (
            mock.patch.object(BoundedPaginator, "deferred_from", 2),
            CaptureQueriesContext(connection) as q,
        ):
            deep = client.get(url, params).json()
        self.assertEqual(deep, shallow, "same rows, same order, same links")
        self.assertEqual([r["title"] for r in deep["results"]], ["Task 07", "Task 06", "Task 05"])
        id_reads = [s for s in (x["sql"] for x in q.captured_queries) if "OFFSET" in s.upper()]
        self.assertEqual(len(id_reads), 1)
        self.assertNotIn("title", id_reads[0], "the OFFSET walk reads ids only")
        # The list page takes the same path.
        self.login(self.viewer)
        with mock.patch.object(BoundedPaginator, "deferred_from", 2):
            page = self.client.get(
                reverse("actions:action_list"), {"per_page": 10, "page": 2, "sort": "title"}
            )
        self.assertEqual([a.title for a in page.context["rows"]], [f"Task {i:02d}" for i in range(10, 14)])
